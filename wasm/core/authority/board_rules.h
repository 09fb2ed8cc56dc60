// BoardRules: what one wb:ops batch may do to a room's whiteboard, pure. The real server (RoomHub,
// server-stub/room_board.cpp) and the simulation's server (tests/sim/sim_server.cpp) both ask it;
// they only load the board, store what it accepts and tell the room.
//
// A batch is checked whole: one bad op and nothing of it is taken. In the order checked:
//   bad_request     an op is not an element (element_json.h), "wb:ops.ops[i]: ..."
//   bad_request     a new element does not carry the sender's user id ("<user_id>:<n>")
//   bad_request     a version more than `version_step` above the stored one (0 for a new element),
//                   so nobody can write a version nobody could ever change again
//   not_host        erasing several of other people's elements at once is clearing the board: it
//                   needs Power::clear_board (the host and co-hosts, permissions.h)
//   rate_limited    erasing others' elements one by one, without that power: at most
//                   `erase_others_per_minute` a minute per user, with `retry_after_s`
//   quota_exceeded  the board would hold more than `elements_per_room` elements (tombstones count)
//                   or `bytes_per_room` bytes of canonical JSON
// Erasing one stroke of someone else's is ordinary teamwork; the host's Clear is the power.
//
// The time comes in as `now_ms` (the core has no clock); the per-user erase budgets are the only
// state, kept here so a user's budget follows them from room to room as it always has.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "authority/permissions.h"
#include "authority/room_authority.h"
#include "whiteboard/board.h"
#include "whiteboard/element.h"

namespace mehfil::authority {

// The server's --board-* flags default to these.
struct BoardLimits {
  std::int64_t version_step = 1000;               // how far past the stored version an edit may jump
  std::size_t elements_per_room = 20000;          // elements on one board, tombstones included
  std::size_t bytes_per_room = 8 * 1024 * 1024;   // canonical JSON of every element
  int erase_others_per_minute = 120;              // others' elements one user may erase a minute
};

// The room's board as the shell holds it.
struct BoardNow {
  const whiteboard::Board& board;
  std::size_t bytes = 0;  // canonical JSON of every element, tombstones included
};

// One wb:ops batch and who sent it.
struct BoardBatch {
  std::string user_id;                   // the sender: new elements must be "<user_id>:<n>"
  Role role;                             // the sender's role in the room
  std::span<const nlohmann::json> ops;   // as they came, each a JSON object
};

// One row to store: an element's id and its canonical JSON text.
struct BoardRow {
  std::string id;
  std::string json;
  friend bool operator==(const BoardRow&, const BoardRow&) = default;
};

// The rule's answer: a problem (nothing changes), or what to store, apply and tell. No rows and no
// problem: the batch was older than the board everywhere, so there is nothing to store or tell.
struct BoardVerdict {
  std::optional<Problem> problem;
  std::vector<whiteboard::Element> elements;  // the batch, read: apply each to the board once stored
  std::vector<BoardRow> rows;                 // to store, one per element that changes (its last state)
  std::vector<nlohmann::json> accepted;       // to tell the room (wb:ops), in batch order
  std::size_t board_bytes = 0;                // the board's bytes once stored
  std::size_t drawn_bytes = 0;                // new drawing in `accepted` (erasures not counted), for the
                                              // shell's bytes-stored-per-user quota
  int others_erased = 0;                      // other people's elements this batch erases
};

class BoardRules {
 public:
  explicit BoardRules(BoardLimits limits = {});

  // Whether `batch` may change `now`'s board, and what it changes. An accepted batch that erases
  // others' elements without the clear_board power spends that much of the sender's erase budget.
  BoardVerdict check(const BoardNow& now, const BoardBatch& batch, std::int64_t now_ms);
  // Forgets budgets that are full again, so only people who erased lately are remembered.
  void forget_idle(std::int64_t now_ms);

  const BoardLimits& limits() const { return limits_; }
  std::size_t remembered() const { return budgets_.size(); }

 private:
  struct Budget {
    double left = 0;            // elements still erasable
    std::int64_t last_ms = 0;   // when `left` was last brought up to date
  };
  Budget refilled(const std::string& user_id, std::int64_t now_ms) const;

  BoardLimits limits_;
  std::map<std::string, Budget> budgets_;  // user id -> their erase budget
};

}  // namespace mehfil::authority
