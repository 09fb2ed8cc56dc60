// Avatar pictures: what someone uploads as their picture, made into the one the site shows.
//
// An upload is any PNG, JPEG, WebP or GIF up to kMaxAvatarUploadBytes (a phone's photo). It is
// never served as it came: ffmpeg (Debian's, run as a child process like the recordings' finishing,
// recording_file.h) decodes its first frame, crops the middle square, scales it to 256×256 and
// encodes a new WebP. So what is served is always a small WebP of our making, whatever the file
// held (metadata such as a photo's location, a script in an SVG, a second image), and a file that
// only claims to be a picture is refused.
//
// The kind is read from the file's first bytes, not from its name or Content-Type, and names the
// one ffmpeg demuxer that may open it. The decoder refuses pictures over kMaxAvatarPixels (a small
// file can claim enormous dimensions), and -timelimit bounds ffmpeg's CPU time.
//
// Blocking: profiles.h runs it on its own worker thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mehfil::server {

inline constexpr std::size_t kMaxAvatarUploadBytes = 5 * 1024 * 1024;
inline constexpr long kMaxAvatarPixels = 40'000'000;
inline constexpr int kAvatarSide = 256;

// The ffmpeg demuxer for a picture with these first bytes: "png_pipe", "jpeg_pipe", "webp_pipe" or
// "gif"; nothing for anything else (SVG, HEIC, a video, text).
std::optional<std::string> picture_demuxer(std::string_view bytes);

// Puts an upload in `scratch_dir` (made if missing) for ffmpeg to read: the file's path without its
// ".upload" ending (a stem for what is made from it), or nothing when it could not be written.
std::optional<std::string> scratch_upload(const std::string& upload, const std::string& scratch_dir, const std::string& prefix);

struct AvatarImage {
  bool ok = false;
  std::string problem;  // when not: why, for the log
};

// Makes the 256×256 WebP from an upload and puts it at `out` whole (renamed into place), using
// `scratch_dir` (on the same disk) for its files, removed after.
AvatarImage make_avatar(const std::string& upload, const std::string& scratch_dir, const std::string& out);

}  // namespace mehfil::server
