// Serves the built site (build/web) with the right content types (`.wasm` as application/wasm, so
// browsers can compile it while it streams) and single-page routes: /room/CODE serves the room page.
#pragma once

#include <optional>
#include <string>

#include <boost/beast/http.hpp>

namespace mehfil::server {

struct StaticFile {
  boost::beast::http::file_body::value_type body;
  std::string content_type;
  bool immutable = false;  // hashed or versioned assets could be cached forever; none are yet
};

// The file for a GET path under `web_root`, or nothing (404). Never leaves `web_root`, not even
// through a symlink inside it, and serves regular files only (not "/." nor a directory).
std::optional<StaticFile> find_static_file(const std::string& web_root, std::string_view target);

}  // namespace mehfil::server
