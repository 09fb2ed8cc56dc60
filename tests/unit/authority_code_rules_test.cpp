// What the room's shared code may hold and when it is compacted (wasm/core/authority/code_rules.h):
// the quota on stored updates, when the room asks for a compaction and of whom, and which answer
// it takes.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "authority/code_rules.h"

using namespace mehfil::authority;
using mehfil::protocol::to_string;

namespace {

std::string verdict(const std::optional<Problem>& problem) { return problem ? std::string(to_string(problem->code)) : "ok"; }

}  // namespace

TEST_CASE("A room's code holds at most its quota of updates and bytes") {
  const CodeLimits limits{100, 3, 500};
  CHECK(verdict(check_code_update({90, 2}, 10, limits)) == "ok");
  CHECK(verdict(check_code_update({90, 2}, 11, limits)) == "quota_exceeded");
  CHECK(verdict(check_code_update({10, 3}, 1, limits)) == "quota_exceeded");
}

TEST_CASE("The room asks the last sender for a compaction once it holds compact_after updates, one ask at a time") {
  const CodeLimits limits{1 << 20, 20000, 3};
  CHECK_FALSE(compaction_to_ask({100, 2}, std::nullopt, "ana", 1000, limits));
  const auto ask = compaction_to_ask({100, 3}, std::nullopt, "ana", 1000, limits);
  REQUIRE(ask);
  CHECK(*ask == CompactionAsk{"ana", 3, 1000});
  CHECK_FALSE(compaction_to_ask({120, 4}, ask, "ben", 2000, limits));  // Ana's ask is still open
  const auto again = compaction_to_ask({120, 4}, ask, "ben", 1000 + kCompactionWaitMs, limits);  // it ran out
  REQUIRE(again);
  CHECK(again->user_id == "ben");
  CHECK(again->upto == 4);
}

TEST_CASE("A compaction is taken from the member asked, for the count asked, in time, and within the room's quota") {
  const CodeLimits limits{1000, 20000, 3};
  const std::optional<CompactionAsk> open = CompactionAsk{"ana", 3, 1000};
  const auto [what, asked, user, upto, bytes, at, expected] = GENERATE_COPY(table<std::string, std::optional<CompactionAsk>, std::string, std::size_t, std::size_t, std::int64_t, std::string>({
      {"the answer asked for", open, "ana", 3, 8, 2000, "ok"},
      {"nothing was asked", std::nullopt, "ana", 3, 8, 2000, "bad_request"},
      {"someone else", open, "ben", 3, 8, 2000, "bad_request"},
      {"another count", open, "ana", 2, 8, 2000, "bad_request"},
      {"too late", open, "ana", 3, 8, 1000 + kCompactionWaitMs, "bad_request"},
      {"no state", open, "ana", 3, 0, 2000, "bad_request"},
      {"over the room's quota", open, "ana", 3, 1001, 2000, "too_large"},
  }));
  CAPTURE(what);
  CHECK(verdict(check_compaction(asked, user, upto, bytes, at, limits)) == expected);
}
