// Command-line flags of mehfil-server (server_config.h holds the defaults).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

#include "http_policy.h"
#include "server_config.h"
#include "authority/chat_files.h"

namespace mehfil::server {
namespace {

constexpr const char* kUsage =
    "usage: mehfil-server [--port N] [--host ADDR] [--db FILE] [--web DIR] [--secret S] [--origin URL]... [FLAGS]\n"
    "  --port N       port to listen on (default 8080; 0 picks a free one)\n"
    "  --host ADDR    address to bind (default 127.0.0.1; 0.0.0.0 or :: to serve beyond this machine)\n"
    "  --db FILE      SQLite database (default data/mehfil.db; created if missing)\n"
    "  --web DIR      the site to serve (default build/web)\n"
    "  --secret S     JWT secret (default: generated on first run and stored in the database)\n"
    "  --origin URL   an allowed Origin for /ws and for CORS on /api, repeatable (default: the server's own)\n"
    "  --allowed-host H     an allowed Host header, repeatable (default: the origins' hosts, else loopback)\n"
    "  --frame-ancestors S  who may embed pages in an iframe, CSP syntax (default *)\n"
    "  --log-level L        trace, debug, info, warn, error or off (default info)\n"
    "  --public-url URL     the address people open, e.g. https://meet.example.org (sets the default --origin)\n"
    "HTTPS (both or neither; plain http:// on the same port is redirected to https://):\n"
    "  --tls-cert FILE      PEM certificate chain (fullchain.pem); SIGHUP re-reads it and the key\n"
    "  --tls-key FILE       PEM private key\n"
    "ICE servers handed to every client (none by default: calls work on one network only):\n"
    "  --stun URL           stun:host[:port], repeatable\n"
    "  --turn URL           turn:host[:port][?transport=udp|tcp] or turns:..., repeatable; needs --turn-secret\n"
    "  --turn-secret S      coturn's static-auth-secret (use-auth-secret); clients get credentials made from it\n"
    "  --turn-secret-file F the same, from the first line of a file (kept out of `ps`)\n"
    "  --turn-ttl SECONDS   how long a TURN credential lasts (default 86400)\n"
    "Accounts (email verification and password reset need an SMTP server):\n"
    "  --smtp-url URL       smtp://host[:port] or smtps://host[:port] (user:password@ in it if the server asks)\n"
    "  --mail-from ADDR     the From address of account emails (default mehfil@localhost)\n"
    "  --access-token-seconds N [900]  --logins-per-10-minutes N [30] per address\n"
    "  --login-failures-per-account N [5] per 15 min  --registrations-per-hour N [10] per address\n"
    "Limits (defaults in brackets):\n"
    "  --max-connections N [4000]  --max-connections-per-address N [200]\n"
    "  --guest-sessions-per-minute N [30] per address   --password-attempts N [10] per room per address per 10 min\n"
    "  --password-queue N [32] pending argon2 checks     --friend-requests-per-hour N [30] per sender\n"
    "Storage quotas:\n"
    "  --board-bytes-per-room N [8388608]  --board-elements-per-room N [20000]\n"
    "  --chat-messages-per-room N [2000] (the oldest are pruned)  --user-write-bytes-per-minute N [2097152]\n"
    "  --board-erase-others-per-minute N [120]  --board-version-step N [1000]\n"
    "  --code-bytes-per-room N [8388608]  --code-updates-per-room N [20000] (the code editor's updates)\n"
    "  --code-compact-after N [500]       stored code updates that make the room ask a member for a compaction\n"
    "  --recording-retention-days N [0: kept until deleted]  --recording-bytes-per-room N [2147483648] (0: no cap)\n"
    "  --chat-file-max-bytes N [26214400]  --chat-file-bytes-per-room N [524288000] (0: no cap)\n"
    "  --chat-file-types LIST [image,pdf,text,office,archive] (the groups of files chat takes; empty: none)\n"
    "Test knobs, in milliseconds: --handshake-timeout-ms, --idle-ping-ms, --idle-drop-ms, --resume-grace-ms,\n"
    "  --reservation-ms,"
    "  --sweep-ms, --ice-refresh-ms (TURN credentials re-issued; default half of --turn-ttl); and --room-lifetime-hours.\n";

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
    else if (flag == "--allowed-host") config.hosts.emplace_back(value);
    else if (flag == "--frame-ancestors") config.frame_ancestors = value;
    else if (flag == "--public-url") {
      if (!HttpPolicy::is_site_origin(value)) {
        std::fprintf(stderr, "mehfil-server: --public-url %s: must be http:// or https:// and a host, with no path\n", value);
        return std::nullopt;
      }
      config.public_url = value;
    }
    else if (flag == "--smtp-url") ok = std::string_view(value).starts_with("smtp://") || std::string_view(value).starts_with("smtps://"), config.smtp_url = value;
    else if (flag == "--mail-from") ok = std::string_view(value).find('@') != std::string_view::npos && std::string_view(value).find_first_of(" \r\n<>") == std::string_view::npos, config.mail_from = value;
    else if (flag == "--access-token-seconds") ok = number(value, 1, 86400, n), config.access_token_lifetime = std::chrono::seconds(n);
    else if (flag == "--logins-per-10-minutes") ok = number(value, 1, 1000000, n), config.logins_per_address_per_10_minutes = static_cast<int>(n);
    else if (flag == "--login-failures-per-account") ok = number(value, 1, 1000000, n), config.login_failures_per_account_per_15_minutes = static_cast<int>(n);
    else if (flag == "--registrations-per-hour") ok = number(value, 1, 1000000, n), config.registrations_per_address_per_hour = static_cast<int>(n);
    else if (flag == "--tls-cert") config.tls_cert = value;
    else if (flag == "--tls-key") config.tls_key = value;
    else if (flag == "--stun" || flag == "--turn") {
      const std::string problem = ice_url_problem(value, flag == "--turn");
      if (!problem.empty()) {
        std::fprintf(stderr, "mehfil-server: %s %s: %s\n", flag.c_str(), value, problem.c_str());
        return std::nullopt;
      }
      (flag == "--turn" ? config.ice.turn_urls : config.ice.stun_urls).emplace_back(value);
    }
    else if (flag == "--turn-secret") ok = *value != '\0', config.ice.turn_secret = value;
    else if (flag == "--turn-secret-file") {
      // The secret from a file, so it is not on the command line for `ps` to show.
      std::ifstream in(value);
      std::string secret;
      if (!in || !std::getline(in, secret) || secret.empty()) {
        std::fprintf(stderr, "mehfil-server: --turn-secret-file %s: cannot read a secret from its first line\n", value);
        return std::nullopt;
      }
      config.ice.turn_secret = secret;
    }
    else if (flag == "--turn-ttl") ok = number(value, 60, 7 * 86400, n), config.ice.turn_ttl = std::chrono::seconds(n);
    else if (flag == "--log-level") {
      config.log_level = value;
      ok = config.log_level == "trace" || config.log_level == "debug" || config.log_level == "info" ||
           config.log_level == "warn" || config.log_level == "error" || config.log_level == "off";
    }
    else if (flag == "--max-connections") ok = number(value, 1, 1000000, n), config.max_connections = static_cast<int>(n);
    else if (flag == "--max-connections-per-address") ok = number(value, 1, 1000000, n), config.max_connections_per_address = static_cast<int>(n);
    else if (flag == "--guest-sessions-per-minute") ok = number(value, 1, 1000000, n), config.guest_sessions_per_address_per_minute = static_cast<int>(n);
    else if (flag == "--password-attempts") ok = number(value, 1, 1000000, n), config.password_attempts_per_room_per_address = static_cast<int>(n);
    else if (flag == "--password-queue") ok = number(value, 1, 100000, n), config.max_pending_password_checks = static_cast<int>(n);
    else if (flag == "--friend-requests-per-hour") ok = number(value, 1, 1000000, n), config.friend_requests_per_hour = static_cast<int>(n);
    else if (flag == "--invites-per-hour") ok = number(value, 1, 1000000, n), config.invites_per_hour = static_cast<int>(n);
    else if (flag == "--board-bytes-per-room") ok = number(value, 1024, 1LL << 32, n), config.board_bytes_per_room = static_cast<std::size_t>(n);
    else if (flag == "--code-bytes-per-room") ok = number(value, 1024, 1LL << 32, n), config.code_bytes_per_room = static_cast<std::size_t>(n);
    else if (flag == "--code-updates-per-room") ok = number(value, 1, 10000000, n), config.code_updates_per_room = static_cast<std::size_t>(n);
    else if (flag == "--code-compact-after") ok = number(value, 2, 10000000, n), config.code_compact_after = static_cast<std::size_t>(n);
    else if (flag == "--board-elements-per-room") ok = number(value, 1, 10000000, n), config.board_elements_per_room = static_cast<std::size_t>(n);
    else if (flag == "--chat-messages-per-room") ok = number(value, 1, 10000000, n), config.chat_messages_per_room = static_cast<int>(n);
    else if (flag == "--user-write-bytes-per-minute") ok = number(value, 1024, 1LL << 32, n), config.user_write_bytes_per_minute = static_cast<std::size_t>(n);
    else if (flag == "--board-erase-others-per-minute") ok = number(value, 1, 1000000, n), config.board_erase_others_per_minute = static_cast<int>(n);
    else if (flag == "--recording-retention-days") ok = number(value, 0, 100000, n), config.recording_retention_days = static_cast<int>(n);
    else if (flag == "--recording-bytes-per-room") ok = number(value, 0, 1LL << 50, n), config.recording_bytes_per_room = n;
    else if (flag == "--chat-file-max-bytes") ok = number(value, 1, 1LL << 32, n), config.chat_file_max_bytes = n;
    else if (flag == "--chat-file-bytes-per-room") ok = number(value, 0, 1LL << 50, n), config.chat_file_bytes_per_room = n;
    else if (flag == "--chat-file-types") {
      config.chat_file_types.clear();
      for (std::string_view list = value; !list.empty();) {
        const std::string_view group = list.substr(0, list.find(','));
        ok = ok && authority::is_chat_file_group(group);
        config.chat_file_types.emplace_back(group);
        list.remove_prefix(std::min(list.size(), group.size() + 1));
      }
    }
    else if (flag == "--board-version-step") ok = number(value, 1, 1LL << 40, n), config.board_version_step = n;
    else if (flag == "--handshake-timeout-ms") ok = number(value, 1, 3600000, n), config.handshake_timeout = std::chrono::milliseconds(n);
    else if (flag == "--idle-ping-ms") ok = number(value, 1, 3600000, n), config.idle_ping_after = std::chrono::milliseconds(n);
    else if (flag == "--idle-drop-ms") ok = number(value, 1, 3600000, n), config.idle_drop_after = std::chrono::milliseconds(n);
    else if (flag == "--resume-grace-ms") ok = number(value, 0, 3600000, n), config.resume_grace = std::chrono::milliseconds(n);
    else if (flag == "--reservation-ms") ok = number(value, 1, 3600000, n), config.reservation = std::chrono::milliseconds(n);
    else if (flag == "--sweep-ms") ok = number(value, 1, 3600000, n), config.sweep_every = std::chrono::milliseconds(n);
    else if (flag == "--ice-refresh-ms") ok = number(value, 1, 7LL * 86400 * 1000, n), config.ice_refresh = std::chrono::milliseconds(n);
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
  if (!config.ice.turn_urls.empty() && config.ice.turn_secret.empty()) {
    std::fputs("mehfil-server: --turn needs --turn-secret (coturn's static-auth-secret)\n", stderr);
    return std::nullopt;
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    std::fputs(config.tls_cert.empty() ? "mehfil-server: --tls-key needs --tls-cert\n" : "mehfil-server: --tls-cert needs --tls-key\n",
               stderr);
    return std::nullopt;
  }
  if (!config.public_url.empty() && config.origins.empty()) config.origins.push_back(config.public_url);
  return config;
}

}  // namespace mehfil::server
