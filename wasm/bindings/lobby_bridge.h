// LobbyBridge: what a Mehfil page keeps up outside any room, behind the same kind of text interface
// as the call bridge (room_bridge.h): the 1:1 call's ringing (room/call.h), friends' presence and
// friend updates, and its own socket's reconnects (room/reconnect_backoff.h). The home page, a room
// page and an embed with `ringing: true` each run one (js-glue/lobby.js), so whatever Mehfil page
// someone has open rings. The call's media is not here: it meets in the call's own room, which the
// page joins with an ordinary call (js-glue/ring.js) once the core names the room.
//
// Events in (JSON objects, "type" first):
//   start | socket-opened | socket-closed {jitter} | tick (a timer the bridge asked for came due)
//   place {to_user_id, to_display_name, call_id, video} | accept | reject | cancel | hang-up
//   dismiss-invite {invite_id}
// Server frames come in as the text the WebSocket received.
//
// Commands out (a JSON array, run in order):
//   send {text} | open-socket | timer {key, at}
//   call {state, reason, call_id, peer_user_id, peer_display_name, video, room_code, remote_ringing}
//   presence {user_id, presence} | friend {user_id, display_name, friends} | error {code, message}
//   invite {invite_id, room_code, room_name, from_user_id, from_display_name, sent_at}
//   invite-gone {invite_id} | rejected {reason}
// Invites to rooms (room:invite from a friend) are passed on as they come and go; the server keeps
// them (Your Rooms lists them), so the lobby holds no list of its own.
// A refused ring or answer comes back as an error frame whose ref is the request's id; the bridge
// remembers which call each request was about and hands the core CallRefused.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "room/call.h"

namespace mehfil::bindings {

class LobbyBridge {
 public:
  std::string handle_event(std::string_view event_json, std::int64_t now_ms);
  std::string handle_server_frame(std::string_view frame, std::int64_t now_ms);

  const room::Call& call() const { return call_; }

 private:
  std::string run(const room::CallEvent& event, std::int64_t now_ms, std::string extra = {});

  room::Call call_;
  int attempt_ = 0;                                  // reconnect attempts since the socket last opened
  std::optional<std::int64_t> reconnect_at_;         // when to open the socket again, while it is down
  std::int64_t next_request_ = 1;                    // ids of our call requests: "l1", "l2"...
  std::map<std::string, std::string> asked_about_;   // request id -> call id, for refusals
};

}  // namespace mehfil::bindings
