// ServerConfig: every setting of mehfil-server, with the defaults `scripts/run` relies on.
// Filled from the command line by parse_flags (flags.cpp); tests shorten the timeouts.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ice_servers.h"

namespace mehfil::server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;        // 0: any free port (printed on start)
  std::string db_path = "data/mehfil.db";
  std::string web_root = "build/web";
  std::string secret;                // JWT secret; empty: the stored one, generated on first run
  std::vector<std::string> origins;  // allowed Origin values for /ws and CORS on /api; empty: the server's own
  std::vector<std::string> hosts;    // allowed Host headers; empty: the hosts of `origins`, else loopback names
  std::string frame_ancestors = "*"; // CSP frame-ancestors: which sites may embed the pages in an iframe
  std::string public_url;            // the address people open, e.g. https://meet.example.org; when
                                     // given, and no --origin is, it is the one allowed origin
  std::string tls_cert;              // PEM certificate chain; with tls_key, the port speaks HTTPS/WSS
  std::string tls_key;               // PEM private key
  std::string log_level = "info";    // trace, debug, info, warn, error, off
  IceConfig ice;                     // STUN/TURN servers handed to clients in hello (ice_servers.h)
  std::string smtp_url;              // smtp://host:port or smtps://…: where account emails go (mailer.h); empty: none sent
  std::string mail_from = "mehfil@localhost";  // their From address

  // Limits (README, "Limits").
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
  std::chrono::milliseconds reservation{15000};      // a REST join holds a seat this long for its socket
  int rooms_per_user_per_hour = 5;

  // Abuse limits (README, "Limits").
  int max_connections = 4000;                      // sockets in total; beyond it 503 and close
  int max_connections_per_address = 200;           // sockets from one IP address (a school behind one NAT)
  int guest_sessions_per_address_per_minute = 30;  // POST /api/session, a burst of this many, refilled per minute
  int password_attempts_per_room_per_address = 10; // wrong passwords per 10 minutes, then rate_limited
  int max_pending_password_checks = 32;            // argon2 queue; full answers rate_limited at once
  int friend_requests_per_hour = 30;               // per sender
  int invites_per_hour = 60;                       // friends invited to rooms (room:invite), per sender
  // Accounts (accounts.h).
  std::chrono::seconds access_token_lifetime{900};  // an account's access JWT; the refresh token lasts 30 days
  int logins_per_address_per_10_minutes = 30;
  int login_failures_per_account_per_15_minutes = 5;  // wrong passwords, then rate_limited for that account
  int registrations_per_address_per_hour = 10;

  // Storage quotas. Hitting one is `quota_exceeded`; nothing is dropped silently except chat, which
  // keeps the newest `chat_messages_per_room` and prunes the oldest.
  std::size_t board_bytes_per_room = 8 * 1024 * 1024;
  std::size_t board_elements_per_room = 20000;
  std::size_t code_bytes_per_room = 8 * 1024 * 1024;  // the code editor's stored updates (base64)
  std::size_t code_updates_per_room = 20000;
  std::size_t code_compact_after = 500;  // authority/code_rules.h: compaction
  int chat_messages_per_room = 2000;
  std::size_t user_write_bytes_per_minute = 2 * 1024 * 1024;  // board and chat, per user
  int board_erase_others_per_minute = 120;         // others' elements one user may delete per minute
  std::int64_t board_version_step = 1000;          // how far past the stored version an edit may jump
  std::chrono::hours room_idle_lifetime{24};
  // Recordings (recordings.h): kept this many days (0: until deleted), and at most this many bytes
  // per room (0: no cap); a chunk past the cap is quota_exceeded.
  int recording_retention_days = 0;
  std::int64_t recording_bytes_per_room = 2LL * 1024 * 1024 * 1024;
  // Files in chat (chat_files.h): at most this big each, of these groups (authority/chat_files.h),
  // and at most this many bytes per room (0: no cap).
  std::int64_t chat_file_max_bytes = 25LL * 1024 * 1024;
  std::vector<std::string> chat_file_types{"image", "pdf", "text", "office", "archive"};
  std::int64_t chat_file_bytes_per_room = 500LL * 1024 * 1024;
  std::chrono::milliseconds sweep_every{60000};
  std::optional<std::chrono::milliseconds> ice_refresh;  // re-issue TURN credentials this often; default: half the TTL
  int io_threads = 1;  // the room state lives on one strand; see server.cpp
};

// Parses argv into a config; on --help or a bad flag prints usage and returns nothing.
std::optional<ServerConfig> parse_flags(int argc, char** argv);

}  // namespace mehfil::server
