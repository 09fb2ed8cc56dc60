// A picture shared in chat, made again by the server before anyone sees it.
//
// What was sent is never served: ffmpeg (Debian's, a child process like the avatars',
// avatar_image.h) decodes its first frame and writes two new WebP pictures, the picture itself at
// most kChatImageSide on its longer side and a thumbnail at most kChatThumbSide, without the
// original's metadata (a photo's location). So a file that only claims to be a picture (a
// polyglot, a script) is refused, and what a member's browser shows is always of our making. The
// same bounds as an avatar's hold: kMaxAvatarPixels, and ffmpeg's -timelimit.
//
// Blocking: chat_files.h runs it on its own worker thread.
#pragma once

#include <cstdint>
#include <string>

namespace mehfil::server {

inline constexpr int kChatImageSide = 2048;
inline constexpr int kChatThumbSide = 320;

struct ChatImage {
  bool ok = false;
  int width = 0;   // the picture made, in pixels
  int height = 0;
  std::int64_t size = 0;  // its bytes
  std::string problem;    // when not ok: why, for the log
};

// Makes `out` (the picture) and `thumb` from `upload` (a PNG, JPEG, WebP or GIF's bytes), using
// `scratch_dir` on the same disk for the upload on its way; both appear whole or not at all.
ChatImage make_chat_image(const std::string& upload, const std::string& scratch_dir, const std::string& out,
                          const std::string& thumb);

}  // namespace mehfil::server
