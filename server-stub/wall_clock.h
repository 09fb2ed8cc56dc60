// The wall clock in ms since the epoch: what the server stores, puts in JWTs' `exp` (in seconds)
// and compares with times that clients and booking sites send. One function for the server's files.
#pragma once

#include <chrono>
#include <cstdint>

namespace mehfil::server {

inline std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace mehfil::server
