// Virtual time and the seeded randomness of one simulation run.
//
// Everything that happens in a simulated room is a callback scheduled at a virtual millisecond; ties
// run in the order they were scheduled, so a run is a pure function of its seed. The random helpers
// use the raw mt19937 output (not std::uniform_*_distribution, whose algorithms differ between
// standard libraries) so a seed replays the same way everywhere.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <random>
#include <vector>

namespace mehfil::sim {

class Rng {
 public:
  explicit Rng(std::uint32_t seed) : engine_(seed) {}
  // An integer in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    const auto span = static_cast<std::uint64_t>(hi - lo + 1);
    return lo + static_cast<std::int64_t>(next64() % span);
  }
  // A value in [0, 1).
  double unit() { return static_cast<double>(next64() >> 11) * (1.0 / 9007199254740992.0); }
  bool chance(double p) { return unit() < p; }

 private:
  std::uint64_t next64() { return (static_cast<std::uint64_t>(engine_()) << 32) | engine_(); }
  std::mt19937 engine_;
};

class Clock {
 public:
  std::int64_t now() const { return now_; }
  void at(std::int64_t when, std::function<void()> action) {
    queue_.push(Item{when < now_ ? now_ : when, next_seq_++, std::move(action)});
  }
  void after(std::int64_t delay, std::function<void()> action) { at(now_ + delay, std::move(action)); }
  // Runs everything due up to and including `until`; leaves the clock at `until`.
  void run_until(std::int64_t until) {
    while (!queue_.empty() && queue_.top().when <= until) {
      Item item = queue_.top();
      queue_.pop();
      now_ = item.when;
      item.action();
    }
    if (now_ < until) now_ = until;
  }

 private:
  struct Item {
    std::int64_t when;
    std::uint64_t seq;
    std::function<void()> action;
    bool operator>(const Item& other) const { return when != other.when ? when > other.when : seq > other.seq; }
  };
  std::int64_t now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue_;
};

}  // namespace mehfil::sim
