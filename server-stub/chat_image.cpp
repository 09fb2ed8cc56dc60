// Pictures shared in chat (chat_image.h).
#include "chat_image.h"

#include <charconv>
#include <filesystem>

#include "avatar_image.h"
#include "recording_file.h"

namespace mehfil::server {
namespace {

namespace fs = std::filesystem;

// Fits within side×side, never larger than it was.
std::string fit(int side) {
  const std::string s = std::to_string(side);
  return "scale='min(" + s + ",iw)':'min(" + s + ",ih)':force_original_aspect_ratio=decrease";
}

// "1280x720" from ffprobe.
bool read_size(const std::string& text, int& width, int& height) {
  const auto x = text.find('x');
  if (x == std::string::npos) return false;
  const char* end = text.data() + text.size();
  while (end > text.data() && (end[-1] == '\n' || end[-1] == '\r')) --end;
  return std::from_chars(text.data(), text.data() + x, width).ec == std::errc() &&
         std::from_chars(text.data() + x + 1, end, height).ec == std::errc() && width > 0 && height > 0;
}

}  // namespace

ChatImage make_chat_image(const std::string& upload, const std::string& scratch_dir, const std::string& out,
                          const std::string& thumb) {
  ChatImage result;
  const auto demuxer = picture_demuxer(upload);
  if (!demuxer) {
    result.problem = "not a PNG, JPEG, WebP or GIF";
    return result;
  }
  std::error_code ec;
  const auto stem = scratch_upload(upload, scratch_dir, "chat-");
  if (!stem) {
    result.problem = "could not write the upload to " + scratch_dir;
    return result;
  }
  const std::string in = *stem + ".upload", made = *stem + ".webp", made_thumb = *stem + ".thumb.webp";
  const auto clean = [&] {
    fs::remove(in, ec);
    fs::remove(made, ec);
    fs::remove(made_thumb, ec);
  };
  const int status = run_program({"ffmpeg", "-nostdin", "-v", "error", "-y", "-timelimit", "20",
                                  "-max_pixels", std::to_string(kMaxAvatarPixels), "-f", *demuxer, "-i", "file:" + in,
                                  "-filter_complex", "[0:v:0]split=2[a][b];[a]" + fit(kChatImageSide) + "[big];[b]" + fit(kChatThumbSide) + "[small]",
                                  "-map", "[big]", "-frames:v", "1", "-map_metadata", "-1", "-c:v", "libwebp", "-quality", "88",
                                  "-f", "webp", "file:" + made,
                                  "-map", "[small]", "-frames:v", "1", "-map_metadata", "-1", "-c:v", "libwebp", "-quality", "75",
                                  "-f", "webp", "file:" + made_thumb});
  std::string probed;
  if (status != 0 || fs::file_size(made, ec) == 0 || ec || fs::file_size(made_thumb, ec) == 0 || ec) {
    result.problem = "ffmpeg could not read it as a picture (exit " + std::to_string(status) + ")";
  } else if (run_program({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                          "-of", "csv=p=0:s=x", "file:" + made}, &probed) != 0 ||
             !read_size(probed, result.width, result.height)) {
    result.problem = "ffprobe could not read the picture made: " + probed;
  } else {
    result.size = static_cast<std::int64_t>(fs::file_size(made, ec));
    fs::rename(made_thumb, thumb, ec);
    if (!ec) fs::rename(made, out, ec);
    result.ok = !ec;
    if (ec) {
      result.problem = "could not put the picture at " + out + ": " + ec.message();
      fs::remove(thumb, ec);
    }
  }
  clean();
  return result;
}

}  // namespace mehfil::server
