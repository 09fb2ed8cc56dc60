// TokenBucket: at most `rate` messages a second on average, bursts up to `burst`, for one socket.
// KeyedBuckets: the same idea per key, for limits that follow a person across sockets.
// Time is passed in, so the rules are testable without sleeping.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>

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

namespace mehfil::server {

// KeyedBuckets: a budget of `per_window` units every `window`, kept separately for each key (an
// address, a user, a room and address), for the limits that follow a person rather than a socket:
// guest sessions per address, password guesses, friend requests, bytes stored, others' whiteboard
// elements erased. A key whose budget is full again is forgotten by forget_idle(), so the map only
// holds people who used some of theirs recently.
class KeyedBuckets {
 public:
  using Clock = std::chrono::steady_clock;

  KeyedBuckets(double per_window, std::chrono::seconds window)
      : capacity_(per_window), rate_(per_window / std::chrono::duration<double>(window).count()) {}

  // Takes `amount` if the key has it. Otherwise takes nothing and returns the whole seconds until it
  // would have it (at least 1), for `retry_after`.
  std::optional<int> take(const std::string& key, double amount, Clock::time_point now) {
    Budget& budget = refill(key, now);
    if (budget.tokens >= amount) {
      budget.tokens -= amount;
      return std::nullopt;
    }
    const double wait = amount > capacity_ ? 3600 : (amount - budget.tokens) / rate_;
    return std::max(1, static_cast<int>(std::ceil(wait)));
  }
  // Takes `amount` even past empty (the thing already happened: a wrong password was tried).
  void spend(const std::string& key, double amount, Clock::time_point now) { refill(key, now).tokens -= amount; }
  // Like take() without taking: nothing when `amount` is there, else the seconds until it is.
  std::optional<int> wait_for(const std::string& key, double amount, Clock::time_point now) {
    const auto it = budgets_.find(key);
    if (it == budgets_.end()) return std::nullopt;
    const Budget& budget = refill_one(it->second, now);
    if (budget.tokens >= amount) return std::nullopt;
    return std::max(1, static_cast<int>(std::ceil((amount - budget.tokens) / rate_)));
  }
  void forget_idle(Clock::time_point now) {
    for (auto it = budgets_.begin(); it != budgets_.end();) {
      it = refill_one(it->second, now).tokens >= capacity_ ? budgets_.erase(it) : std::next(it);
    }
  }
  std::size_t size() const { return budgets_.size(); }

 private:
  struct Budget {
    double tokens;
    Clock::time_point last;
  };
  Budget& refill(const std::string& key, Clock::time_point now) {
    auto [it, fresh] = budgets_.try_emplace(key, Budget{capacity_, now});
    return fresh ? it->second : refill_one(it->second, now);
  }
  Budget& refill_one(Budget& budget, Clock::time_point now) {
    const double elapsed = std::chrono::duration<double>(now - budget.last).count();
    budget.tokens = std::min(capacity_, budget.tokens + std::max(0.0, elapsed) * rate_);
    budget.last = now;
    return budget;
  }

  double capacity_;
  double rate_;
  std::unordered_map<std::string, Budget> budgets_;
};

}  // namespace mehfil::server
