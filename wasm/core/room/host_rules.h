// Which host actions this user may offer in the UI. The server is the authority and refuses anything
// else with `not_host`; mirroring its rules here only keeps the UI from offering buttons that fail.
//
//   action        host   co-host   on whom
//   mute          yes    yes       anyone but self and the host
//   kick          yes    yes       anyone but self and the host
//   make_cohost   yes    yes       anyone but self, the host and existing co-hosts
//   transfer      yes    no        anyone but self
//   lock          yes    yes       (the room)
//   settings      yes    yes       (the room)
//   end           yes    yes       (the room)
#pragma once

#include <string_view>
#include <vector>

#include "protocol/messages.h"

namespace mehfil::room {

enum class HostActionKind { mute, kick, make_cohost, transfer, lock, settings, end };
std::string_view to_string(HostActionKind action);

struct Role {
  bool is_host = false;
  bool is_cohost = false;
};

// Room-wide actions: lock, settings, end.
bool may_offer(Role me, HostActionKind action);
// Actions on one participant, in the order above. `target_is_self` when it is this user's own tile.
std::vector<HostActionKind> actions_on(Role me, const protocol::Participant& target, bool target_is_self);
// The room-wide ones this user may offer.
std::vector<HostActionKind> room_actions(Role me);

}  // namespace mehfil::room
