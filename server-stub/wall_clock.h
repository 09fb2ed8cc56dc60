// The wall clock in ms since the epoch: what the server stores, puts in JWTs' `exp` (in seconds)
// and compares with times that clients and booking sites send. One function for the server's files.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace mehfil::server {

inline std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// "2026-12-05 14:03 UTC": how the operator's commands (keys, reports) show a time.
inline std::string utc_minute(std::int64_t ms) {
  const std::time_t seconds = ms / 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  return text;
}

}  // namespace mehfil::server
