// Avatar pictures (avatar_image.h).
#include "avatar_image.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "recording_file.h"
#include "tokens.h"

namespace mehfil::server {

std::optional<std::string> picture_demuxer(std::string_view bytes) {
  if (bytes.starts_with("\x89PNG\r\n\x1a\n")) return "png_pipe";
  if (bytes.starts_with("\xFF\xD8\xFF")) return "jpeg_pipe";
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") return "webp_pipe";
  if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) return "gif";
  return std::nullopt;
}

AvatarImage make_avatar(const std::string& upload, const std::string& scratch_dir) {
  namespace fs = std::filesystem;
  AvatarImage result;
  const auto demuxer = picture_demuxer(upload);
  if (!demuxer) {
    result.problem = "not a PNG, JPEG, WebP or GIF";
    return result;
  }
  std::error_code ec;
  fs::create_directories(scratch_dir, ec);
  const std::string stem = (fs::path(scratch_dir) / ("avatar-" + random_token(9))).string();
  const std::string in = stem + ".upload";
  const std::string out = stem + ".webp";
  {
    std::ofstream file(in, std::ios::binary);
    file.write(upload.data(), static_cast<std::streamsize>(upload.size()));
    if (!file) {
      result.problem = "could not write the upload to " + scratch_dir;
      fs::remove(in, ec);
      return result;
    }
  }
  const std::string side = std::to_string(kAvatarSide);
  const int status = run_program({"ffmpeg", "-nostdin", "-v", "error", "-y", "-timelimit", "10",
                                  "-max_pixels", std::to_string(kMaxAvatarPixels), "-f", *demuxer, "-i", in,
                                  "-frames:v", "1", "-map", "0:v:0", "-map_metadata", "-1",
                                  "-vf", "scale=" + side + ":" + side + ":force_original_aspect_ratio=increase,crop=" + side + ":" + side,
                                  "-c:v", "libwebp", "-quality", "82", "-f", "webp", out});
  if (status == 0) {
    std::ifstream file(out, std::ios::binary);
    result.webp.assign(std::istreambuf_iterator<char>(file), {});
  }
  if (result.webp.empty()) result.problem = "ffmpeg could not read it as a picture (exit " + std::to_string(status) + ")";
  fs::remove(in, ec);
  fs::remove(out, ec);
  return result;
}

}  // namespace mehfil::server
