// The reconnect backoff (reconnect_backoff.h).
#include "room/reconnect_backoff.h"

namespace mehfil::room {

std::int64_t reconnect_base_delay_ms(int attempt) {
  if (attempt <= 0) return 0;
  if (attempt >= 10) return kMaxReconnectDelayMs;  // 300·10² = 30 s already; avoids overflow
  const std::int64_t n = attempt;
  const std::int64_t base = 300 * n * n;
  return base < kMaxReconnectDelayMs ? base : kMaxReconnectDelayMs;
}

std::int64_t reconnect_delay_ms(int attempt, double jitter) {
  if (!(jitter >= 0.0)) jitter = 0.0;  // also catches NaN
  if (jitter >= 1.0) jitter = 0.999999;
  const std::int64_t base = reconnect_base_delay_ms(attempt);
  const double span = 100.0 + static_cast<double>(base) / 4.0;
  return base + static_cast<std::int64_t>(jitter * span);
}

}  // namespace mehfil::room
