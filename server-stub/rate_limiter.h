// TokenBucket: at most `rate` messages a second on average, bursts up to `burst`. Time is passed in,
// so the rule is testable without sleeping.
#pragma once

#include <algorithm>
#include <chrono>

namespace mehfil::server {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  TokenBucket(double rate, double burst, Clock::time_point now) : rate_(rate), burst_(burst), tokens_(burst), last_(now) {}

  // Takes a token if there is one. Otherwise counts the overdraft: how far past empty the sender went.
  bool take(Clock::time_point now) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    if (tokens_ >= 1) {
      tokens_ -= 1;
      overdraft_ = std::max(0.0, overdraft_ - elapsed * rate_);
      return true;
    }
    overdraft_ += 1;
    return false;
  }
  double overdraft() const { return overdraft_; }

 private:
  double rate_;
  double burst_;
  double tokens_;
  double overdraft_ = 0;
  Clock::time_point last_;
};

}  // namespace mehfil::server
