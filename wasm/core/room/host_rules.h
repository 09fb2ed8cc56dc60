// Which host actions this user may offer in the UI: the buttons a participant's card shows and the
// room-wide ones in the settings. The rule itself is authority/permissions.h (the table the server
// enforces too); this file only turns it into lists of the actions js-glue knows by name, so the UI
// never offers a button the server would refuse. The server stays the authority (`not_host`).
//
//   action        power (authority::Power)   on whom
//   mute          mute                       one participant
//   kick          kick                       one participant
//   make_cohost   make_cohost                one participant
//   transfer      transfer_host              one participant
//   lower_hand    lower_hand                 one participant whose hand is up (not our own)
//   lock          lock                       the room
//   settings      change_settings            the room
//   mute_all      mute_all                   the room
//   admit, deny   admit                      someone at the door (the waiting room), or everyone there (admit)
//   end           end_room                   the room
//
// What that gives (see the table in permissions.h): the host gets every action; a co-host mutes and
// removes anyone but the host, locks and changes settings, but makes no co-hosts and cannot end the
// room; an ordinary member gets none.
#pragma once

#include <string_view>
#include <vector>

#include "authority/permissions.h"
#include "protocol/messages.h"

namespace mehfil::room {

enum class HostActionKind { mute, kick, make_cohost, transfer, lock, settings, end, mute_all, lower_hand, admit, deny };
std::string_view to_string(HostActionKind action);
authority::Power power_of(HostActionKind action);

using Role = authority::Role;

// Whether this user's role holds the action at all (for actions on someone: on some participant).
bool may_offer(Role me, HostActionKind action);
// Actions on one participant, in the order above. `target_is_self` when it is this user's own tile.
std::vector<HostActionKind> actions_on(Role me, const protocol::Participant& target, bool target_is_self);
// The room-wide ones this user may offer.
std::vector<HostActionKind> room_actions(Role me);
// Whether to offer this user "Share your screen" in a room with these settings.
bool may_share_screen(Role me, const protocol::RoomSettings& settings);
// Whether this user may start, pause, resume or stop recording (authority::check_recording).
bool may_record(Role me);

}  // namespace mehfil::room
