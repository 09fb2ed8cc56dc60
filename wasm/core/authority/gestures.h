// Raised hands and reactions: how often a member may use them. A raised hand lives in the room's
// Member (hand_raised_at) and a reaction is relayed at once; neither is stored, so a flood of them
// would cost nothing but everyone's attention and bandwidth. These budgets keep a held-down key or
// a script from filling the room with them while leaving a real person plenty (a burst of
// applause, a hand raised and lowered a few times).
//
//   what        at most                      refused with
//   reaction    kReactionsPerWindow a window   rate_limited, retry_after_s until the oldest leaves it
//   hand        kHandChangesPerWindow a window rate_limited, the same
//   report      kReportsPerWindow a window     rate_limited, the same
//
// A window slides: it holds the times of the last uses, not a count reset on the minute, so a burst
// just before a boundary does not double up.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "authority/problem.h"

namespace mehfil::authority {

inline constexpr int kReactionsPerWindow = 8;
inline constexpr std::int64_t kReactionWindowMs = 5'000;
inline constexpr int kHandChangesPerWindow = 6;
inline constexpr std::int64_t kHandWindowMs = 10'000;
// Reports (room:report) are stored for the operator and ring the hosts: a handful per member.
inline constexpr int kReportsPerWindow = 5;
inline constexpr std::int64_t kReportWindowMs = 10 * 60'000;

// The times of one member's last uses of one thing.
class UseWindow {
 public:
  // Takes a use at `now` when fewer than `most` came in the last `window_ms`; else the problem
  // (rate_limited, retry_after_s) and nothing taken. `what` words it: "reactions", "hand changes".
  std::optional<Problem> take(std::int64_t now, int most, std::int64_t window_ms, const char* what);

 private:
  std::deque<std::int64_t> uses_;
};

}  // namespace mehfil::authority
