// What a friend's card says about someone: offline, online, or in a call. It exists so that the
// server's live updates (friend:presence) and its friends list (GET /api/friends) say the same.
//
//   no socket open                                   → offline
//   in a connected 1:1 call, or in a room            → in_call
//   otherwise (a tab open, maybe ringing someone)    → online
#pragma once

#include "protocol/messages.h"

namespace mehfil::authority {

struct Whereabouts {
  int sockets = 0;           // how many sockets the user has open
  bool in_connected_call = false;
  bool in_room = false;      // a socket of theirs is a member of a room
};

inline protocol::server::Presence presence_of(const Whereabouts& where) {
  using protocol::server::Presence;
  if (where.sockets == 0) return Presence::offline;
  return where.in_connected_call || where.in_room ? Presence::in_call : Presence::online;
}

}  // namespace mehfil::authority
