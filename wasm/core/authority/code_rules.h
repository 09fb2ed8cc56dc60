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
#pragma once

#include <cstddef>
#include <optional>

#include "authority/room_authority.h"

namespace mehfil::authority {

// The server's --code-* flags default to these.
struct CodeLimits {
  std::size_t bytes_per_room = 8 * 1024 * 1024;  // base64 text of every stored update
  std::size_t updates_per_room = 20000;           // stored updates
};

// The room's stored code as the shell counts it.
struct CodeNow {
  std::size_t bytes = 0;
  std::size_t updates = 0;
};

// Whether one more update of `update_bytes` (its base64 text) may be stored.
std::optional<Problem> check_code_update(const CodeNow& now, std::size_t update_bytes, const CodeLimits& limits);

}  // namespace mehfil::authority
