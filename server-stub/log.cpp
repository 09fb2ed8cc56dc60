// Logging (log.h).
#include "log.h"

#include <chrono>
#include <cstdint>

#include <spdlog/sinks/stdout_color_sinks.h>

#include "connection.h"
#include "server_config.h"

namespace mehfil::server::log {
namespace {

constexpr int kRefusedPerSecond = 20;

// A fixed window: the first kRefusedPerSecond refusals of each second are logged, the rest counted.
struct RefusedBudget {
  std::chrono::steady_clock::time_point window_start{};
  int used = 0;
  std::uint64_t left_out = 0;

  bool take() {
    const auto now = std::chrono::steady_clock::now();
    if (now - window_start >= std::chrono::seconds(1)) {
      if (left_out > 0) spdlog::warn("{} more refused requests were not logged", left_out);
      window_start = now;
      used = 0;
      left_out = 0;
    }
    if (used < kRefusedPerSecond) {
      ++used;
      return true;
    }
    ++left_out;
    return false;
  }
};

RefusedBudget& refused_budget() {
  static RefusedBudget budget;  // the I/O thread is the only caller
  return budget;
}

}  // namespace

void init(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("mehfil");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

void startup(const ServerConfig& c, unsigned short port) {
  spdlog::info("mehfil-server on {}:{} web={} db={} log-level={}", c.host, port, c.web_root, c.db_path, c.log_level);
  spdlog::info("origins=[{}] hosts=[{}] frame-ancestors={} public-url={} tls={}", fmt::join(c.origins, " "),
               fmt::join(c.hosts, " "), c.frame_ancestors, c.public_url.empty() ? "-" : c.public_url,
               c.tls_cert.empty() ? "off" : "on (" + c.tls_cert + ")");
  spdlog::info("limits: connections {} ({} per address), {} msg/s burst {}, queue {} B, guest sessions {}/min per "
               "address, password attempts {}/10 min per room and address, password queue {}, friend requests {}/h, "
               "invites {}/h, rooms {}/h per user",
               c.max_connections, c.max_connections_per_address, c.messages_per_second, c.message_burst,
               c.max_queued_bytes, c.guest_sessions_per_address_per_minute, c.password_attempts_per_room_per_address,
               c.max_pending_password_checks, c.friend_requests_per_hour, c.invites_per_hour, c.rooms_per_user_per_hour);
  spdlog::info("quotas: board {} B and {} elements per room, chat {} messages per room (oldest pruned), {} B/min "
               "written per user, {} others' elements erased/min, version step {}",
               c.board_bytes_per_room, c.board_elements_per_room, c.chat_messages_per_room,
               c.user_write_bytes_per_minute, c.board_erase_others_per_minute, c.board_version_step);
}

void refused(const Connection& connection, std::string_view code, std::string_view message) {
  if (!refused_budget().take()) return;
  spdlog::info("c{} {} user={} room={} refused {}: {}", connection.id(), connection.address(), connection.user_id(),
               connection.room_code.empty() ? "-" : connection.room_code, code, message);
}

void refused_http(std::string_view address, unsigned status, std::string_view why) {
  if (!refused_budget().take()) return;
  spdlog::info("http {} refused {}: {}", address, status, why);
}

void storage_failed(std::string_view what, std::string_view detail) {
  spdlog::error("storage failed while {}: {}", what, detail);
}

void code_compacted(std::string_view room_code, std::size_t updates, std::size_t from_bytes, std::size_t to_bytes) {
  spdlog::info("room {}: code compacted, {} updates ({} B) into one state ({} B)", room_code, updates, from_bytes, to_bytes);
}

}  // namespace mehfil::server::log
