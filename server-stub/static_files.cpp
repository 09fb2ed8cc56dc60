#include "static_files.h"

#include <array>
#include <utility>

namespace mehfil::server {
namespace {

std::string content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes{{
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".wasm", "application/wasm"}, {".json", "application/json"}, {".svg", "image/svg+xml"},
      {".png", "image/png"}, {".ico", "image/x-icon"}, {".ts", "text/plain; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (path.size() >= extension.size() && path.substr(path.size() - extension.size()) == extension) {
      return std::string(type);
    }
  }
  return "application/octet-stream";
}

// The path part of a request target, or nothing if it tries to climb out ("..") or is odd.
std::optional<std::string> clean_path(std::string_view target) {
  const auto end = target.find_first_of("?#");
  const std::string_view path = target.substr(0, end);
  if (path.empty() || path[0] != '/' || path.find("..") != std::string_view::npos ||
      path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(path);
}

}  // namespace

std::optional<StaticFile> find_static_file(const std::string& web_root, std::string_view target) {
  auto path = clean_path(target);
  if (!path) return std::nullopt;
  if (path->back() == '/') *path += "index.html";
  // Single-page routes: the room page handles /room/CODE itself.
  if (path->rfind("/room/", 0) == 0) *path = "/room.html";
  const auto open = [&](const std::string& relative) -> std::optional<StaticFile> {
    StaticFile file;
    boost::beast::error_code ec;
    file.body.open((web_root + relative).c_str(), boost::beast::file_mode::scan, ec);
    if (ec) return std::nullopt;
    file.content_type = content_type_for(relative);
    return file;
  };
  if (auto file = open(*path)) return file;
  if (*path == "/room.html") return open("/index.html");  // before the room page exists
  return std::nullopt;
}

}  // namespace mehfil::server
