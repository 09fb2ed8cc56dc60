#include "static_files.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <utility>

namespace mehfil::server {
namespace {

std::string content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kTypes{{
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".wasm", "application/wasm"}, {".json", "application/json"}, {".svg", "image/svg+xml"},
      {".png", "image/png"}, {".ico", "image/x-icon"}, {".ts", "text/plain; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
      {".zip", "application/zip"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (path.size() >= extension.size() && path.substr(path.size() - extension.size()) == extension) {
      return std::string(type);
    }
  }
  return "application/octet-stream";
}

// The path part of a request target, or nothing if it tries to climb out ("..") or is odd: a "."
// segment names a directory, never a file.
std::optional<std::string> clean_path(std::string_view target) {
  const auto end = target.find_first_of("?#");
  const std::string_view path = target.substr(0, end);
  if (path.empty() || path[0] != '/' || path.find("..") != std::string_view::npos ||
      path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  for (std::size_t start = 1; start <= path.size();) {
    const auto slash = std::min(path.find('/', start), path.size());
    if (path.substr(start, slash - start) == ".") return std::nullopt;
    start = slash + 1;
  }
  return std::string(path);
}

// `relative` under `web_root` with every symlink resolved, if that is a regular file still inside
// the root. Directories (a path without its trailing slash), FIFOs and devices are not files to
// serve: opening one either fails half-way through the answer or blocks.
std::optional<std::filesystem::path> resolve_inside(const std::string& web_root, const std::string& relative) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path root = fs::canonical(web_root, ec);
  if (ec) return std::nullopt;
  const fs::path file = fs::canonical(root / fs::path(relative).relative_path(), ec);
  if (ec || !fs::is_regular_file(file, ec) || ec) return std::nullopt;
  const auto [root_end, file_at] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (root_end != root.end()) return std::nullopt;  // a symlink led out of the root
  return file;
}

}  // namespace

std::optional<StaticFile> find_static_file(const std::string& web_root, std::string_view target) {
  auto path = clean_path(target);
  if (!path) return std::nullopt;
  if (path->back() == '/') *path += "index.html";
  // Single-page routes: the room page handles /room/CODE itself, the player /recording/ID.
  if (path->rfind("/room/", 0) == 0) *path = "/room.html";
  if (path->rfind("/recording/", 0) == 0) *path = "/recording.html";  // the player: /recording/ID
  if (path->rfind("/video-room/", 0) == 0) *path = "/meeting.html";   // a booked meeting: /video-room/ID?passcode=…
  const auto open = [&](const std::string& relative) -> std::optional<StaticFile> {
    const auto resolved = resolve_inside(web_root, relative);
    if (!resolved) return std::nullopt;
    StaticFile file;
    boost::beast::error_code ec;
    file.body.open(resolved->c_str(), boost::beast::file_mode::scan, ec);
    if (ec) return std::nullopt;
    file.content_type = content_type_for(relative);
    return file;
  };
  if (auto file = open(*path)) return file;
  if (*path == "/room.html") return open("/index.html");  // before the room page exists
  return std::nullopt;
}

}  // namespace mehfil::server
