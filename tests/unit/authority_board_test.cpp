// What a wb:ops batch may do to a room's board (wasm/core/authority/board_rules.h), headless: a
// board, a batch written as a line ("ana:1@2x ben:3@1": element id, version, x for erased), who sent
// it, and the time. The real server and the simulation both ask this rule; here each case is pinned
// down on its own, with the same codes and sentences the server sends.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "authority/board_rules.h"
#include "whiteboard/board.h"
#include "whiteboard/element_json.h"

using namespace mehfil::authority;
using mehfil::protocol::ErrorCode;
using nlohmann::json;
namespace wb = mehfil::whiteboard;

namespace {

constexpr std::int64_t kStart = 1'000'000;

wb::Element element(const std::string& id, std::int64_t version = 1, bool deleted = false) {
  wb::Element e;
  e.id = id;
  e.kind = wb::ElementKind::freehand;
  e.points = {{0, 0}, {10, 10}, {20, 5}};
  e.z = "a0";
  e.version = version;
  e.version_nonce = 7;
  e.deleted = deleted;
  return e;
}

// "ana:1@2x ben:3@1" -> ana:1 at version 2 erased, ben:3 at version 1.
std::vector<json> ops(const std::string& line) {
  std::vector<json> out;
  std::istringstream words(line);
  for (std::string word; words >> word;) {
    const bool erased = word.back() == 'x';
    if (erased) word.pop_back();
    const auto at = word.find('@');
    out.push_back(wb::write_element(element(word.substr(0, at), std::stoll(word.substr(at + 1)), erased)));
  }
  return out;
}

Role role(const std::string& name) { return {name == "host", name == "co-host"}; }

std::string code_of(const BoardVerdict& verdict) {
  return verdict.problem ? std::string(mehfil::protocol::to_string(verdict.problem->code)) : "ok";
}

// A room's board as the server keeps it: the elements and their bytes (canonical JSON).
struct Room {
  wb::Board board;
  std::size_t bytes = 0;
  BoardRules rules;

  explicit Room(BoardLimits limits = {}) : rules(limits) {
    // Ana drew two strokes and Ben one; Ben also erased one of his own.
    for (const wb::Element& e : {element("ana:1"), element("ana:2"), element("ben:1"), element("ben:2", 2, true)}) store(e);
  }
  void store(const wb::Element& e) {
    if (const wb::Element* old = board.find(e.id)) bytes -= wb::write_element(*old).dump().size();
    board.apply(e);
    bytes += wb::write_element(*board.find(e.id)).dump().size();
  }
  // Asks the rule and, like the server, keeps what it accepts.
  BoardVerdict send(const std::string& user_id, const std::string& who, const std::vector<json>& batch, std::int64_t now = kStart) {
    BoardVerdict verdict = rules.check({board, bytes}, {user_id, role(who), batch}, now);
    if (!verdict.problem) {
      for (const wb::Element& e : verdict.elements) board.apply(e);
      bytes = verdict.board_bytes;
    }
    return verdict;
  }
  std::size_t canonical_bytes() const {
    std::size_t total = 0;
    for (const auto& [id, e] : board.elements()) total += wb::write_element(e).dump().size();
    return total;
  }
};

}  // namespace

TEST_CASE("A batch is taken or refused whole: authorship, version steps and clearing, by who sends it") {
  const auto [what, sender, who, batch, expected] = GENERATE(table<std::string, std::string, std::string, std::string, std::string>({
      {"a member draws two strokes of their own", "ben", "member", "ben:3@1 ben:4@1", "ok"},
      {"a member draws under someone else's id", "ben", "member", "ana:9@1", "bad_request"},
      {"a member draws under an id that only starts like theirs", "ben", "member", "benny:1@1", "bad_request"},
      {"a member moves someone else's stroke", "ben", "member", "ana:1@2", "ok"},
      {"a member erases one stroke of someone else's", "ben", "member", "ana:1@2x", "ok"},
      {"a member erases two of someone else's at once", "ben", "member", "ana:1@2x ana:2@2x", "not_host"},
      {"a member erases one of someone else's and one of their own", "ben", "member", "ana:1@2x ben:1@2x", "ok"},
      {"a member erases what is already erased, and one more", "ana", "member", "ben:2@3x ben:1@2x", "ok"},
      {"a co-host erases everything of others'", "cy", "co-host", "ana:1@2x ana:2@2x ben:1@2x", "ok"},
      {"the host clears the board", "cy", "host", "ana:1@2x ana:2@2x ben:1@2x ben:2@3x", "ok"},
      {"an edit a whole step above the stored version", "ben", "member", "ben:1@1001", "ok"},
      {"an edit one past a step above the stored version", "ben", "member", "ben:1@1002", "bad_request"},
      {"a new element at a step", "ben", "member", "ben:3@1000", "ok"},
      {"a new element past a step", "ben", "member", "ben:3@1001", "bad_request"},
      {"a good op, then one past a step: nothing of it is taken", "ben", "member", "ben:3@1 ben:4@5000", "bad_request"},
      {"the host too may not jump a version", "ana", "host", "ana:1@9223372036854775807", "bad_request"},
  }));
  INFO(what);
  Room room;
  const wb::Board before = room.board;
  const BoardVerdict verdict = room.send(sender, who, ops(batch));
  CHECK(code_of(verdict) == expected);
  if (expected != "ok") {
    CHECK(verdict.rows.empty());
    CHECK(verdict.accepted.empty());
    CHECK(room.board.canonical_json() == before.canonical_json());
  } else {
    CHECK(room.bytes == room.canonical_bytes());
  }
}

TEST_CASE("Refusals say the same words the server always has") {
  Room room;
  const std::vector<json> not_an_element = {ops("ben:3@1")[0], json{{"id", "ben:4"}}};
  const BoardVerdict garbage = room.send("ben", "member", not_an_element);
  REQUIRE(garbage.problem);
  CHECK(garbage.problem->code == ErrorCode::bad_request);
  CHECK(garbage.problem->message.rfind("wb:ops.ops[1]: ", 0) == 0);

  CHECK(room.send("ben", "member", ops("ana:9@1")).problem->message == "wb:ops.ops[0]: new elements must carry your own user id");
  CHECK(room.send("ben", "member", ops("ben:3@1 ben:1@1002")).problem->message ==
        "wb:ops.ops[1].version may be at most 1000 above the stored version (1)");
  const BoardVerdict wipe = room.send("ben", "member", ops("ana:1@2x ana:2@2x"));
  CHECK(wipe.problem == Problem{ErrorCode::not_host, "Only the host or a co-host can clear the board.", std::nullopt});
}

TEST_CASE("What an accepted batch changes: one row per element in its last state, every change told, only drawing counted as written") {
  Room room;
  // Ben draws a stroke and edits it again in the same batch, erases one of Ana's, and sends an op
  // older than the board (ben:2 is at version 2).
  const BoardVerdict verdict = room.send("ben", "member", ops("ben:3@1 ben:3@2 ana:1@2x ben:2@1"));
  REQUIRE_FALSE(verdict.problem);
  CHECK(verdict.elements.size() == 4);
  REQUIRE(verdict.rows.size() == 2);
  CHECK(verdict.rows[0].id == "ben:3");
  CHECK(verdict.rows[0].json == wb::write_element(element("ben:3", 2)).dump());
  CHECK(verdict.rows[1].id == "ana:1");
  CHECK(verdict.accepted.size() == 3);  // ben:3 twice, ana:1; not the stale ben:2
  CHECK(verdict.others_erased == 1);
  const std::size_t drawn = wb::write_element(element("ben:3", 1)).dump().size() + wb::write_element(element("ben:3", 2)).dump().size();
  CHECK(verdict.drawn_bytes == drawn);
  CHECK(room.bytes == room.canonical_bytes());

  // A batch that changes nothing is neither refused nor stored.
  const BoardVerdict stale = room.send("ben", "member", ops("ben:2@1"));
  CHECK_FALSE(stale.problem);
  CHECK(stale.rows.empty());
  CHECK(stale.accepted.empty());
}

TEST_CASE("Erasing others' drawings one by one: a member's budget runs out, refills with time, and follows them to another room") {
  BoardLimits limits;
  limits.erase_others_per_minute = 4;  // one every 15 s
  Room room(limits);
  for (int i = 3; i <= 12; ++i) room.store(element("ana:" + std::to_string(i)));
  std::int64_t now = kStart;
  for (int i = 3; i <= 6; ++i) CHECK(code_of(room.send("ben", "member", ops("ana:" + std::to_string(i) + "@2x"), now)) == "ok");
  const BoardVerdict limited = room.send("ben", "member", ops("ana:7@2x"), now);
  REQUIRE(limited.problem);
  CHECK(limited.problem->code == ErrorCode::rate_limited);
  CHECK(limited.problem->message == "You have erased 4 of other people's drawings this minute: ask the host to clear the board.");
  CHECK(limited.problem->retry_after_s == 15);
  CHECK_FALSE(room.board.find("ana:7")->deleted);
  // Their own drawings and new strokes are not limited; neither is a co-host.
  CHECK(code_of(room.send("ben", "member", ops("ben:1@2x ben:3@1"), now)) == "ok");
  CHECK(code_of(room.send("cy", "co-host", ops("ana:7@2x"), now)) == "ok");
  // 15 s later there is one more.
  now += 14'999;
  CHECK(code_of(room.send("ben", "member", ops("ana:8@2x"), now)) == "rate_limited");
  now += 1;
  CHECK(code_of(room.send("ben", "member", ops("ana:8@2x"), now)) == "ok");
  // The budget is the user's, not the room's: the same rules asked about another board.
  wb::Board other;
  other.apply(element("dan:1"));
  const BoardVerdict elsewhere = room.rules.check({other, 0}, {"ben", role("member"), ops("dan:1@2x")}, now);
  CHECK(code_of(elsewhere) == "rate_limited");
  // A clock set back gives nothing back.
  CHECK(code_of(room.send("ben", "member", ops("ana:9@2x"), now - 60'000)) == "rate_limited");
}

TEST_CASE("A refused batch spends none of the erase budget, and a full budget is forgotten") {
  BoardLimits limits;
  limits.erase_others_per_minute = 1;
  limits.elements_per_room = 5;  // the room holds 4
  Room room(limits);
  // Erasing one of Ana's and drawing two new strokes would make 6 elements: refused, budget kept.
  CHECK(code_of(room.send("ben", "member", ops("ana:1@2x ben:3@1 ben:4@1"))) == "quota_exceeded");
  CHECK(room.rules.remembered() == 0);
  CHECK(code_of(room.send("ben", "member", ops("ana:1@2x"))) == "ok");
  CHECK(room.rules.remembered() == 1);
  room.rules.forget_idle(kStart + 59'999);
  CHECK(room.rules.remembered() == 1);
  room.rules.forget_idle(kStart + 60'000);
  CHECK(room.rules.remembered() == 0);
}

TEST_CASE("The board's quotas: elements (tombstones count) and bytes, with the server's sentence") {
  const auto [what, elements, kib, batch, expected] = GENERATE(table<std::string, std::size_t, std::size_t, std::string, std::string>({
      {"room for one more element", 5, 64, "ben:3@1", "ok"},
      {"one element too many", 4, 64, "ben:3@1", "quota_exceeded"},
      {"a full board still takes edits", 4, 64, "ben:1@2", "ok"},
      {"a full board still takes erasing", 4, 64, "ana:1@2x ana:2@2x ben:1@2x", "ok"},
      {"too many bytes", 100, 1, "ben:3@1 ben:4@1 ben:5@1 ben:6@1 ben:7@1 ben:8@1 ben:9@1", "quota_exceeded"},
  }));
  INFO(what);
  BoardLimits limits;
  limits.elements_per_room = elements;
  limits.bytes_per_room = kib * 1024;
  Room room(limits);
  const BoardVerdict verdict = room.send("ben", "host", ops(batch));
  CHECK(code_of(verdict) == expected);
  if (expected == "quota_exceeded") {
    CHECK(verdict.problem->message == "This room's whiteboard is full (" + std::to_string(elements) + " elements or " +
                                          std::to_string(kib) + " KiB): the host can clear it.");
  }
}
