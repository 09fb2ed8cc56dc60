// Command-line flags of mehfil-server (server_config.h holds the defaults).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "server_config.h"

namespace mehfil::server {
namespace {

constexpr const char* kUsage =
    "usage: mehfil-server [--port N] [--host ADDR] [--db FILE] [--web DIR] [--secret S] [--origin URL]...\n"
    "  --port N       port to listen on (default 8080; 0 picks a free one)\n"
    "  --host ADDR    address to bind (default 127.0.0.1)\n"
    "  --db FILE      SQLite database (default data/mehfil.db; created if missing)\n"
    "  --web DIR      the site to serve (default build/web)\n"
    "  --secret S     JWT secret (default: generated on first run and stored in the database)\n"
    "  --origin URL   an allowed Origin for /ws, repeatable (default: the server's own)\n"
    "Test knobs, in milliseconds: --handshake-timeout-ms, --idle-ping-ms, --idle-drop-ms, --resume-grace-ms,\n"
    "  --sweep-ms; and --room-lifetime-hours.\n";

bool number(const char* text, long long low, long long high, long long& out) {
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  if (!end || *end != '\0' || value < low || value > high) return false;
  out = value;
  return true;
}

}  // namespace

std::optional<ServerConfig> parse_flags(int argc, char** argv) {
  ServerConfig config;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      return std::nullopt;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "mehfil-server: %s needs a value\n%s", flag.c_str(), kUsage);
      return std::nullopt;
    }
    const char* value = argv[++i];
    long long n = 0;
    bool ok = true;
    if (flag == "--port") ok = number(value, 0, 65535, n), config.port = static_cast<unsigned short>(n);
    else if (flag == "--host") config.host = value;
    else if (flag == "--db") config.db_path = value;
    else if (flag == "--web") config.web_root = value;
    else if (flag == "--secret") config.secret = value;
    else if (flag == "--origin") config.origins.emplace_back(value);
    else if (flag == "--handshake-timeout-ms") ok = number(value, 1, 3600000, n), config.handshake_timeout = std::chrono::milliseconds(n);
    else if (flag == "--idle-ping-ms") ok = number(value, 1, 3600000, n), config.idle_ping_after = std::chrono::milliseconds(n);
    else if (flag == "--idle-drop-ms") ok = number(value, 1, 3600000, n), config.idle_drop_after = std::chrono::milliseconds(n);
    else if (flag == "--resume-grace-ms") ok = number(value, 0, 3600000, n), config.resume_grace = std::chrono::milliseconds(n);
    else if (flag == "--sweep-ms") ok = number(value, 1, 3600000, n), config.sweep_every = std::chrono::milliseconds(n);
    else if (flag == "--room-lifetime-hours") ok = number(value, 0, 24 * 365, n), config.room_idle_lifetime = std::chrono::hours(n);
    else {
      std::fprintf(stderr, "mehfil-server: unknown flag %s\n%s", flag.c_str(), kUsage);
      return std::nullopt;
    }
    if (!ok) {
      std::fprintf(stderr, "mehfil-server: bad value for %s: %s\n", flag.c_str(), value);
      return std::nullopt;
    }
  }
  return config;
}

}  // namespace mehfil::server
