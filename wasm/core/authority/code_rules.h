// CodeRules: what one code:update may add to a room's shared code, pure. The real server (RoomHub,
// server-stub/room_code.cpp) asks it; it only loads the room's totals, stores what it accepts and
// tells the room.
//
// The updates themselves are Yjs updates the server cannot read (only the clients hold Yjs). The
// wire already holds each to base64 of at most 64 KiB (protocol/validation.h, code_update); what
// is left is the room's quota, as for the whiteboard:
//   quota_exceeded  the room would hold more than `bytes_per_room` bytes of updates, or more than
//                   `updates_per_room` of them (until clients compact them into one state)
// A member of the room may edit; the room's authority says who is a member.
//
// Compaction keeps a room's history short: once it holds `compact_after` updates, the room asks the
// member whose update it just stored (who therefore holds every update so far) for the document's
// whole state (code:compact {upto}); their page sends it (PUT /api/rooms/CODE/code-state), and it
// replaces the first `upto` updates. The server cannot read Yjs, so it trusts the state as it trusts
// any member's edit (an edit may delete everything too); it takes it only from the member asked,
// for the count asked, within kCompactionWaitMs, and no bigger than the room's quota. One ask is
// open at a time; one that runs out is asked again of the next sender.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "authority/room_authority.h"

namespace mehfil::authority {

// The server's --code-* flags default to these.
struct CodeLimits {
  std::size_t bytes_per_room = 8 * 1024 * 1024;  // base64 text of every stored update
  std::size_t updates_per_room = 20000;           // stored updates
  std::size_t compact_after = 500;                // stored updates that make the room ask for a compaction
};

inline constexpr std::int64_t kCompactionWaitMs = 60000;

// A compaction the room has asked of one member: their state replaces the first `upto` updates.
struct CompactionAsk {
  std::string user_id;
  std::size_t upto = 0;
  std::int64_t asked_at = 0;
  friend bool operator==(const CompactionAsk&, const CompactionAsk&) = default;
};

// The room's stored code as the shell counts it.
struct CodeNow {
  std::size_t bytes = 0;
  std::size_t updates = 0;
};

// Whether one more update of `update_bytes` (its base64 text) may be stored.
std::optional<Problem> check_code_update(const CodeNow& now, std::size_t update_bytes, const CodeLimits& limits);

// After `sender`'s update was stored (the room now holds `now`): the compaction to ask of them, or
// nothing (not due yet, or an ask still open).
std::optional<CompactionAsk> compaction_to_ask(const CodeNow& now, const std::optional<CompactionAsk>& open,
                                               const std::string& sender, std::int64_t now_ms, const CodeLimits& limits);

// A state from `user` for the first `upto` updates (`state_bytes` of base64): whether it answers the
// open ask. bad_request when nothing was asked of them (or not this count, or the ask ran out);
// too_large when it is over the room's quota.
std::optional<Problem> check_compaction(const std::optional<CompactionAsk>& open, const std::string& user, std::size_t upto,
                                        std::size_t state_bytes, std::int64_t now_ms, const CodeLimits& limits);

}  // namespace mehfil::authority
