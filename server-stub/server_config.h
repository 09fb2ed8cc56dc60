// ServerConfig: every setting of mehfil-server, with the defaults `scripts/run` relies on.
// Filled from the command line by parse_flags (flags.cpp); tests shorten the timeouts.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mehfil::server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;        // 0: any free port (printed on start)
  std::string db_path = "data/mehfil.db";
  std::string web_root = "build/web";
  std::string secret;                // JWT secret; empty: the stored one, generated on first run
  std::vector<std::string> origins;  // allowed Origin values for /ws; empty: the server's own

  // Limits (DESIGN.md, "Limits").
  std::size_t max_message_bytes = 64 * 1024;       // one WebSocket message; larger closes with 1009
  std::size_t max_body_bytes = 64 * 1024;          // one HTTP request body; larger is 413
  double messages_per_second = 50;                 // token bucket per connection...
  double message_burst = 200;                      // ...and its depth
  double overdraft_before_close = 200;             // rate_limited errors this far past empty, then close
  std::size_t max_queued_bytes = 1024 * 1024;      // a reader this far behind is dropped
  std::chrono::milliseconds handshake_timeout{15000};
  std::chrono::milliseconds idle_ping_after{20000};  // ping a silent socket after this...
  std::chrono::milliseconds idle_drop_after{45000};  // ...and drop it after this
  std::chrono::milliseconds resume_grace{30000};     // a dropped member keeps its place this long
  int rooms_per_user_per_hour = 5;
  std::chrono::hours room_idle_lifetime{24};
  std::chrono::milliseconds sweep_every{60000};
  int io_threads = 1;  // the room state lives on one strand; see server.cpp
};

// Parses argv into a config; on --help or a bad flag prints usage and returns nothing.
std::optional<ServerConfig> parse_flags(int argc, char** argv);

}  // namespace mehfil::server
