// CallBridge: one call's core (RoomClient + MediaAccess + who is speaking) behind a text interface,
// so the JS executor (js-glue/mehfil.js) can drive it through a handful of Embind functions.
//
// Why a bridge and not bindings of every struct: the commands are a std::variant of ~20 structs and
// the events another ~25; one JSON shape per direction keeps the wasm small, needs no .delete() on
// the JS side, and this file stays plain C++ (no emscripten) so tests/unit can run it natively.
//
// Events in (JSON objects, snake_case, "type" first):
//   preview | join {room_code, display_name, password?} | submit-password {password} | leave
//   own-media {audio, video, screen} | host {action, target_user_id?, locked?, settings?} | grow
//   raise-hand {raised} | react {emoji}
//   invite {user_ids} | record {action: start | pause | resume | stop}
//   chat {text, client_msg_id} | board-ops {ops} | board-cursor {x, y, laser}
//   socket-opened | socket-closed {jitter} | tick
//   pin {tile} | unpin | page {page} | whiteboard {open}       the stage (room/stage.h)
//   peer {peer, event: negotiation-needed | description-created {op, sdp_type, sdp} | local-set {op}
//         | remote-set {op} | ice-added {op} | op-failed {op, error} | ice-gathered {candidate}
//         | connection-state {state} | signaling-state {state}}
// Server frames come in as the text the WebSocket received; protocol::decode_server reads them here.
//
// Commands out (a JSON array, executed in order):
//   send {text}          the client message, already encoded by protocol::encode
//   open-socket | close-socket | toast {kind, detail} | screen {screen, code, message, by, reason}
//   error {code, message} | participants {participants, joined, left, updated} (lists of participants)
//   friend {user_id, relation} | board-ops {from, ops} | board-cursor {from, x, y, laser}
//   chat {message} | mute-microphone | reaction {user_id, peer_id, emoji} | rejected {reason}
//   knocks {waiting, arrived} (lists of {user_id, display_name, knocked_at}: the waiting room)
//   create-peer {peer, polite, offers_first, ice_servers: [{urls, username?, credential?}]} | create-offer {peer, op} | create-answer {peer, op}
//   set-local {peer, op, sdp_type, sdp} | set-remote {peer, op, sdp_type, sdp}
//   add-ice {peer, op, candidate} | restart-ice {peer} | close-peer {peer}
//   send-cap {peer, bps, scale, fps} | timer {key, at}
// Every JSON object is read defensively: the wasm build has no exceptions, so a wrong type is a
// `rejected` command, never an abort.
//
// Speaking: the executor measures each tile's audio level (0..1); the rule of who counts as speaking
// and who is the active speaker is the core's (room/speakers.h). What the stage shows (the tiles, the
// pin, the page) is the core's too (room/stage.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "room/media_access.h"
#include "room/link_quality.h"
#include "room/room_client.h"
#include "room/speakers.h"
#include "room/stage.h"

namespace mehfil::bindings {

class CallBridge {
 public:
  std::string handle_event(std::string_view event_json, std::int64_t now_ms);
  std::string handle_server_frame(std::string_view frame, std::int64_t now_ms);

  // MediaAccess: {"commands": [request-media {audio, video} | rejected], "state", "message"}.
  std::string media_start(bool camera = true);  // false: the call starts with the camera off
  std::string media_event(std::string_view event_name);  // granted-both | granted-mic | camera-denied | mic-denied | continue | retry

  // {state, room_code, self, room, role: {is_host, is_cohost}, participants, links: {peer: {state, polite}},
  //  media: {state, message, audio, video}, reconnect_attempt}
  std::string snapshot() const;
  // The host actions this user may take on that user, and on the room: {"on": [...], "room": [...]}.
  std::string actions_on(std::string_view user_id) const;

  // {"speaking": [peer ids], "active": peer id | null}
  std::string speaking(std::string_view levels_json, std::int64_t now_ms);
  // {"tiles": [{id, kind: camera|screen, content: camera|screen|whiteboard, peer_id, user_id, pinned,
  //  speaking, has_video, is_local}], "page", "pinned": id|null}: the layout engine's tiles and page.
  std::string stage();

  // {peer: StatsSample as JSON} (room/link_quality.h) → {peer: {quality, path, relayed, rtt_ms,
  // loss_percent, in_bps, out_bps}}. Peers missing from the map are forgotten.
  std::string link_stats(std::string_view samples_json);

  const room::RoomClient& client() const { return client_; }

 private:
  std::string run(const room::RoomEvent& event, std::int64_t now_ms);
  std::optional<std::string> stage_event(const nlohmann::json& event);

  room::RoomClient client_;
  room::MediaAccess media_;
  room::SpeakerTracker speakers_;
  room::Stage stage_;
  std::map<std::string, room::LinkQuality> qualities_;
};

}  // namespace mehfil::bindings
