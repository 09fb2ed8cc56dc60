// Who may use which host power on whom: the one table the server (REST and WebSocket alike), the
// client's buttons (room/host_rules.h) and the simulation all ask. It exists because there were
// three copies of this rule and they disagreed (over the WebSocket a co-host could end the room and
// mute the host; over REST neither).
//
// The rule: a co-host may mute and remove members, lock the room, change its settings and clear the
// whiteboard; may not end the room, mute or remove the host, make co-hosts or hand over the room.
// The host may do all of it, plus make co-hosts, hand over the room and end it. Nobody mutes or
// removes the host, except that the host may mute themselves; nobody removes themselves with a host
// power (they leave instead). An ordinary member has no host powers.
//
//   power            host                                co-host                      member
//   mute             anyone (the host only themselves)   anyone but the host          -
//   kick             anyone but themselves               anyone but self and host     -
//   make_cohost      members (not self, not co-hosts)    -                            -
//   transfer_host    anyone but themselves               -                            -
//   lock             yes                                 yes                          -
//   change_settings  yes                                 yes                          -
//   clear_board      yes                                 yes                          -
//   mute_all         yes (everyone but themselves)       yes (but themselves, host)   -
//   lower_hand       anyone                              anyone                       -
//   admit            yes                                 yes                          -
//   end_room         yes                                 -                            -
//
// "clear_board" is erasing several other people's whiteboard elements in one wb:ops; erasing one
// stroke of someone else's is ordinary teamwork and needs no power. "mute_all" mutes everyone whose
// microphone is on, but the one who asks and (for a co-host) the host. "lower_hand" is lowering
// someone else's raised hand; raising and lowering your own needs no power (gestures.h). "admit" is
// letting people in from the waiting room or turning them away (room_authority.h).
//
// Roles come in as plain flags; mapping a user to them is the caller's job. The server counts a user
// whose token an embedding site minted with `role: "host"` for this room as a co-host. A Role with
// both flags set is the host.
//
// Refusals, in the order they are checked:
//   not_host     the actor's role does not hold the power at all ("Only the host can end the room.")
//   not_host     the power may not touch this target ("Nobody can remove the host.")
//   bad_request  the request makes no sense for anyone ("You cannot remove yourself; ...", making an
//                existing co-host or the host a co-host, handing the room to its own host)
// The messages are sentences for people, sent as they are in `error.message` and REST bodies.
//
// Recording (start, pause, resume, stop) is the host's and the co-hosts' (check_recording); it is
// no power on the table because it acts on nobody and changes no setting.
//
// Sharing a screen is no host power but a room switch (settings.screenshare): while it is off only
// the host and co-hosts may start a share; anyone else gets screenshare_disabled.
#pragma once

#include <optional>
#include <string_view>

#include "protocol/errors.h"

namespace mehfil::authority {

enum class Power { mute, kick, make_cohost, transfer_host, lock, change_settings, end_room, clear_board, mute_all, lower_hand, admit };
// "mute", "kick", "make_cohost", "transfer_host", "lock", "change_settings", "end_room", "clear_board",
// "mute_all", "lower_hand", "admit".
std::string_view to_string(Power power);
// mute, kick, make_cohost, transfer_host and lower_hand act on one person; the rest on the whole room.
bool acts_on_someone(Power power);

struct Role {
  bool is_host = false;
  bool is_cohost = false;
  friend bool operator==(const Role&, const Role&) = default;
};

// Why a power is refused, or nothing when allowed.
struct Refusal {
  protocol::ErrorCode code = protocol::ErrorCode::not_host;
  std::string_view message;  // a static sentence, e.g. "Nobody can remove the host."
  friend bool operator==(const Refusal&, const Refusal&) = default;
};

// Whether `actor` may use `power` on `target`.
//   - room-wide powers: `target` is ignored (pass nothing);
//   - powers on someone, with no target: whether the actor's role holds the power at all, which is
//     what a UI may offer and what a server can check before it looks the target up;
//   - `target_is_self`: the actor acts on themselves; their own role is then the target's.
std::optional<Refusal> check_power(Role actor, Power power, std::optional<Role> target = std::nullopt,
                                   bool target_is_self = false);

// Whether `actor` may start sharing a screen in a room whose screenshare switch is `room_allows`.
std::optional<Refusal> check_screen_share(Role actor, bool room_allows);

// Whether `actor` may start, pause, resume or stop recording the room: the host and co-hosts.
std::optional<Refusal> check_recording(Role actor);

}  // namespace mehfil::authority
