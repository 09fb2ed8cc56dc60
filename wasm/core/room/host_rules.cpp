// The host actions on offer, read off the permission table (host_rules.h, authority/permissions.h).
#include "room/host_rules.h"

namespace mehfil::room {

std::string_view to_string(HostActionKind action) {
  switch (action) {
    case HostActionKind::mute: return "mute";
    case HostActionKind::kick: return "kick";
    case HostActionKind::make_cohost: return "make_cohost";
    case HostActionKind::transfer: return "transfer";
    case HostActionKind::lock: return "lock";
    case HostActionKind::settings: return "settings";
    case HostActionKind::end: return "end";
    case HostActionKind::mute_all: return "mute_all";
    case HostActionKind::lower_hand: return "lower_hand";
    case HostActionKind::admit: return "admit";
    case HostActionKind::deny: return "deny";
  }
  return "?";
}

authority::Power power_of(HostActionKind action) {
  switch (action) {
    case HostActionKind::mute: return authority::Power::mute;
    case HostActionKind::kick: return authority::Power::kick;
    case HostActionKind::make_cohost: return authority::Power::make_cohost;
    case HostActionKind::transfer: return authority::Power::transfer_host;
    case HostActionKind::lock: return authority::Power::lock;
    case HostActionKind::settings: return authority::Power::change_settings;
    case HostActionKind::end: return authority::Power::end_room;
    case HostActionKind::mute_all: return authority::Power::mute_all;
    case HostActionKind::lower_hand: return authority::Power::lower_hand;
    case HostActionKind::admit:
    case HostActionKind::deny: return authority::Power::admit;
  }
  return authority::Power::end_room;
}

bool may_offer(Role me, HostActionKind action) { return !authority::check_power(me, power_of(action)); }

std::vector<HostActionKind> actions_on(Role me, const protocol::Participant& target, bool target_is_self) {
  std::vector<HostActionKind> actions;
  const Role whom{target.is_host, target.is_cohost};
  for (HostActionKind action : {HostActionKind::mute, HostActionKind::kick, HostActionKind::make_cohost, HostActionKind::transfer}) {
    if (!authority::check_power(me, power_of(action), whom, target_is_self)) actions.push_back(action);
  }
  // Someone else's raised hand; one's own goes down with the hand button.
  const bool lowers = target.hand_raised_at && !target_is_self;
  if (lowers && !authority::check_power(me, authority::Power::lower_hand, whom, false)) actions.push_back(HostActionKind::lower_hand);
  return actions;
}

std::vector<HostActionKind> room_actions(Role me) {
  std::vector<HostActionKind> actions;
  for (HostActionKind action : {HostActionKind::lock, HostActionKind::settings, HostActionKind::mute_all, HostActionKind::admit,
                                HostActionKind::deny, HostActionKind::end}) {
    if (may_offer(me, action)) actions.push_back(action);
  }
  return actions;
}

bool may_share_screen(Role me, const protocol::RoomSettings& settings) {
  return !authority::check_screen_share(me, settings.screenshare);
}

bool may_record(Role me) { return !authority::check_recording(me); }

}  // namespace mehfil::room
