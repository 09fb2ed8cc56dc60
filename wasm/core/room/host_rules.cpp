// The host rules table (host_rules.h).
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
  }
  return "?";
}

bool may_offer(Role me, HostActionKind action) {
  const bool moderator = me.is_host || me.is_cohost;
  if (action == HostActionKind::transfer) return me.is_host;
  return moderator;
}

std::vector<HostActionKind> actions_on(Role me, const protocol::Participant& target, bool target_is_self) {
  std::vector<HostActionKind> actions;
  if (target_is_self || !(me.is_host || me.is_cohost)) return actions;
  if (!target.is_host) {
    actions.push_back(HostActionKind::mute);
    actions.push_back(HostActionKind::kick);
    if (!target.is_cohost) actions.push_back(HostActionKind::make_cohost);
  }
  if (me.is_host) actions.push_back(HostActionKind::transfer);
  return actions;
}

std::vector<HostActionKind> room_actions(Role me) {
  std::vector<HostActionKind> actions;
  for (HostActionKind action : {HostActionKind::lock, HostActionKind::settings, HostActionKind::end}) {
    if (may_offer(me, action)) actions.push_back(action);
  }
  return actions;
}

}  // namespace mehfil::room
