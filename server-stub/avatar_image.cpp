// Avatar pictures (avatar_image.h).
#include "avatar_image.h"

#include <filesystem>
#include <fstream>

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

std::optional<std::string> scratch_upload(const std::string& upload, const std::string& scratch_dir, const std::string& prefix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(scratch_dir, ec);
  const std::string stem = (fs::path(scratch_dir) / (prefix + random_token(9))).string();
  std::ofstream file(stem + ".upload", std::ios::binary);
  file.write(upload.data(), static_cast<std::streamsize>(upload.size()));
  file.close();
  if (file) return stem;
  fs::remove(stem + ".upload", ec);
  return std::nullopt;
}

AvatarImage make_avatar(const std::string& upload, const std::string& scratch_dir, const std::string& out) {
  namespace fs = std::filesystem;
  AvatarImage result;
  const auto demuxer = picture_demuxer(upload);
  if (!demuxer) {
    result.problem = "not a PNG, JPEG, WebP or GIF";
    return result;
  }
  std::error_code ec;
  const auto stem = scratch_upload(upload, scratch_dir, "avatar-");
  if (!stem) {
    result.problem = "could not write the upload to " + scratch_dir;
    return result;
  }
  const std::string in = *stem + ".upload";
  const std::string made = *stem + ".webp";
  // The middle square first, then scaled: a very long, thin picture never grows on its way down.
  const std::string side = std::to_string(kAvatarSide);
  const int status = run_program({"ffmpeg", "-nostdin", "-v", "error", "-y", "-timelimit", "10",
                                  "-max_pixels", std::to_string(kMaxAvatarPixels), "-f", *demuxer, "-i", "file:" + in,
                                  "-frames:v", "1", "-map", "0:v:0", "-map_metadata", "-1",
                                  "-vf", "crop='min(iw,ih)':'min(iw,ih)',scale=" + side + ":" + side,
                                  "-c:v", "libwebp", "-quality", "82", "-f", "webp", "file:" + made});
  fs::remove(in, ec);
  if (status != 0 || fs::file_size(made, ec) == 0 || ec) {
    result.problem = "ffmpeg could not read it as a picture (exit " + std::to_string(status) + ")";
  } else {
    fs::rename(made, out, ec);
    result.ok = !ec;
    if (ec) result.problem = "could not put the picture at " + out + ": " + ec.message();
  }
  fs::remove(made, ec);
  return result;
}

}  // namespace mehfil::server
