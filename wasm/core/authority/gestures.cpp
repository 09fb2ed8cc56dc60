// How often raised hands and reactions may come (gestures.h).
#include "authority/gestures.h"

#include <string>

namespace mehfil::authority {

std::optional<Problem> UseWindow::take(std::int64_t now, int most, std::int64_t window_ms, const char* what) {
  while (!uses_.empty() && now - uses_.front() >= window_ms) uses_.pop_front();
  if (static_cast<int>(uses_.size()) >= most) {
    const std::int64_t wait_ms = uses_.front() + window_ms - now;
    return Problem{protocol::ErrorCode::rate_limited,
                   "Too many " + std::string(what) + ": at most " + std::to_string(most) + " in " +
                       std::to_string(window_ms / 1000) + " seconds.",
                   static_cast<int>((wait_ms + 999) / 1000)};
  }
  uses_.push_back(now);
  return std::nullopt;
}

}  // namespace mehfil::authority
