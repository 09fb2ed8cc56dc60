// The call bridge (wasm/bindings/room_bridge.h) natively: the JSON that js-glue sends and receives
// maps onto RoomClient's events and commands, bad input is a `rejected` command and never a crash,
// and the speaker rules hold.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "room_bridge.h"

using mehfil::bindings::CallBridge;
using mehfil::room::SpeakerTracker;
using nlohmann::json;

namespace {

const char* kJoined = R"({"type":"room:joined","self":{"user_id":"u1","peer_id":"p1","display_name":"Ana","is_host":true},
 "room":{"room_code":"ABCDEFGH","room_name":"Tea","host_user_id":"u1","max_participants":5,"is_locked":false,
 "settings":{"video":true,"audio":true,"screenshare":true,"chat":true}},
 "participants":[{"user_id":"u2","peer_id":"p2","display_name":"Bo","is_host":false,"is_cohost":false,"audio":true,"video":true,"screen":false}],
 "resume_token":"t"})";

json types(const json& commands) {
  json out = json::array();
  for (const auto& c : commands) out.push_back(c["type"]);
  return out;
}

CallBridge joined_bridge() {
  CallBridge bridge;
  bridge.handle_event(R"({"type":"join","room_code":"ABCDEFGH","display_name":"Ana"})", 0);
  bridge.handle_event(R"({"type":"socket-opened"})", 1);
  bridge.handle_server_frame(kJoined, 2);
  return bridge;
}

}  // namespace

TEST_CASE("joining through the bridge opens the socket, sends room:join encoded, and opens a link per peer") {
  CallBridge bridge;
  CHECK(types(json::parse(bridge.handle_event(R"({"type":"join","room_code":"ABCDEFGH","display_name":"Ana"})", 0))) ==
        json::array({"open-socket"}));
  const json sent = json::parse(bridge.handle_event(R"({"type":"socket-opened"})", 1));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["type"] == "send");
  CHECK(json::parse(sent[0]["text"].get<std::string>())["type"] == "room:join");
  const json commands = json::parse(bridge.handle_server_frame(kJoined, 2));
  CHECK(types(commands) == json::array({"create-peer", "send-cap", "participants"}));
  CHECK(commands[0]["peer"] == "p2");
  CHECK(commands[0]["polite"] == true);  // "p1" < "p2"
  const json snapshot = json::parse(bridge.snapshot());
  CHECK(snapshot["state"] == "in_room");
  CHECK(snapshot["role"]["is_host"] == true);
  CHECK(json::parse(bridge.actions_on("u2"))["on"] == json::array({"mute", "kick", "make_cohost", "transfer"}));
}

TEST_CASE("peer events carry op ids both ways and an offer goes out as signal:offer") {
  CallBridge bridge = joined_bridge();
  const json offer = json::parse(bridge.handle_event(R"({"type":"peer","peer":"p2","event":"negotiation-needed"})", 3));
  REQUIRE(types(offer) == json::array({"create-offer", "timer"}));  // the timer: the link's connect watchdog
  CHECK(offer[1]["key"] == "peer:p2:connect");
  const auto op = offer[0]["op"].get<std::uint64_t>();
  const json set = json::parse(bridge.handle_event(
      json{{"type", "peer"}, {"peer", "p2"}, {"event", "description-created"}, {"op", op}, {"sdp_type", "offer"}, {"sdp", "v=0"}}.dump(), 4));
  REQUIRE(types(set) == json::array({"set-local"}));
  CHECK(set[0]["sdp_type"] == "offer");
  const json out = json::parse(bridge.handle_event(
      json{{"type", "peer"}, {"peer", "p2"}, {"event", "local-set"}, {"op", set[0]["op"]}}.dump(), 5));
  bool signalled = false;
  for (const auto& c : out) {
    if (c["type"] == "send") signalled = json::parse(c["text"].get<std::string>())["type"] == "signal:offer";
  }
  CHECK(signalled);
}

TEST_CASE("malformed events become rejected commands, never a crash") {
  CallBridge bridge = joined_bridge();
  const char* bad[] = {"", "nonsense", "[]", "42", R"({"type":7})", R"({"type":"nope"})",
                       R"({"type":"peer","peer":"p2","event":"description-created","op":"x","sdp_type":"offer"})",
                       R"({"type":"peer","peer":"p2","event":"connection-state","state":"melted"})",
                       R"({"type":"peer","peer":"p2","event":"ice-gathered","candidate":{"candidate":1}})",
                       R"({"type":"host","action":"explode"})", R"({"type":"join","room_code":["x"]})"};
  for (const char* event : bad) {
    INFO(event);
    const json out = json::parse(bridge.handle_event(event, 10));
    REQUIRE(out.size() == 1);
    CHECK(out[0]["type"] == "rejected");
  }
  const json frame = json::parse(bridge.handle_server_frame("{\"type\":\"room:joined\"}", 11));
  CHECK(frame[0]["type"] == "rejected");
  CHECK(json::parse(bridge.snapshot())["state"] == "in_room");
}

TEST_CASE("media access steps down through the bridge: camera denied, then audio only") {
  CallBridge bridge;
  json start = json::parse(bridge.media_start());
  CHECK(start["commands"][0] == json{{"type", "request-media"}, {"audio", true}, {"video", true}});
  json denied = json::parse(bridge.media_event("camera-denied"));
  CHECK(denied["state"] == "camera_denied");
  CHECK(denied["commands"][0]["video"] == false);
  CHECK(json::parse(bridge.media_event("granted-mic"))["state"] == "audio_only");
}

TEST_CASE("the active speaker changes only after the newcomer has been louder for a while") {
  SpeakerTracker speakers;
  speakers.update({{"a", 0.2}, {"b", 0.0}}, 0);
  CHECK(speakers.active() == "a");
  speakers.update({{"a", 0.1}, {"b", 0.3}}, 100);
  CHECK(speakers.active() == "a");
  CHECK(speakers.speaking("b"));
  speakers.update({{"a", 0.1}, {"b", 0.3}}, 100 + SpeakerTracker::kSwitchMs);
  CHECK(speakers.active() == "b");
  // a pause shorter than the hold keeps the ring on
  speakers.update({{"a", 0.0}, {"b", 0.0}}, 100 + SpeakerTracker::kSwitchMs + SpeakerTracker::kHoldMs - 1);
  CHECK(speakers.speaking("b"));
  speakers.update({{"a", 0.0}, {"b", 0.0}}, 100 + SpeakerTracker::kSwitchMs + SpeakerTracker::kHoldMs + 1);
  CHECK_FALSE(speakers.speaking("b"));
  speakers.update({{"a", 0.0}}, 10'000);
  CHECK_FALSE(speakers.active().has_value());
}

TEST_CASE("an embedder's own ICE servers and relay policy replace the server's for every link") {
  CallBridge bridge;
  bridge.handle_event(json{{"type", "join"}, {"room_code", "ABCDEFGH"}, {"display_name", "Ana"},
                           {"ice_servers", json::array({json{{"urls", json::array({"turn:turn.example.org:3478", "turns:turn.example.org:5349"})},
                                                             {"username", "site-user"}, {"credential", "site-pass"}}})},
                           {"ice_transport_policy", "relay"}}.dump(), 0);
  bridge.handle_event(R"({"type":"socket-opened"})", 1);
  // The server's hello names its own STUN server; the embedder's list wins.
  bridge.handle_server_frame(R"({"type":"hello","protocol_version":1,"server_time":1,"ice_servers":[{"urls":"stun:server.example.org"}]})", 2);
  const json commands = json::parse(bridge.handle_server_frame(kJoined, 3));
  REQUIRE(commands[0]["type"] == "create-peer");
  CHECK(commands[0]["relay_only"] == true);
  CHECK(commands[0]["ice_servers"] == json::array({
      json{{"urls", "turn:turn.example.org:3478"}, {"username", "site-user"}, {"credential", "site-pass"}},
      json{{"urls", "turns:turn.example.org:5349"}, {"username", "site-user"}, {"credential", "site-pass"}}}));
}

TEST_CASE("ICE servers an embedder gets wrong are refused when joining, naming what is wrong") {
  using Row = std::tuple<json, std::string>;
  const auto [servers, says] = GENERATE(table<json, std::string>({
      Row{json("turn:x.example.org"), "iceServers must be an array"},
      Row{json::array({json{{"urls", "http://x.example.org"}}}), "iceServers[0].urls "},
      Row{json::array({json{{"username", "u"}}}), "iceServers[0].urls is missing"},
      Row{json::array({json{{"urls", "turn:x.example.org"}, {"credential", 5}}}), "iceServers[0].credential must be a string"},
  }));
  CallBridge bridge;
  const json out = json::parse(bridge.handle_event(
      json{{"type", "join"}, {"room_code", "ABCDEFGH"}, {"display_name", "Ana"}, {"ice_servers", servers}}.dump(), 0));
  REQUIRE(out.size() == 1);
  CHECK(out[0]["type"] == "rejected");
  CHECK(out[0]["reason"].get<std::string>().find(says) != std::string::npos);
  const json policy = json::parse(bridge.handle_event(
      R"({"type":"join","room_code":"ABCDEFGH","display_name":"Ana","ice_transport_policy":"sometimes"})", 0));
  CHECK(policy[0]["type"] == "rejected");
}

TEST_CASE("The stage answers with the layout engine's tiles, and pin, page and whiteboard change it") {
  CallBridge bridge = joined_bridge();
  bridge.handle_event(R"({"type":"own-media","audio":true,"video":true,"screen":false})", 3);
  json stage = json::parse(bridge.stage());
  REQUIRE(stage["tiles"].size() == 2);
  CHECK(stage["tiles"][0]["id"] == "p2");  // Bo was there before us
  CHECK(stage["tiles"][1] == json{{"id", "p1"}, {"kind", "camera"}, {"content", "camera"}, {"peer_id", "p1"}, {"user_id", "u1"},
                                  {"pinned", false}, {"speaking", false}, {"has_video", true}, {"is_local", true}});
  CHECK(stage["pinned"] == nullptr);

  CHECK(bridge.handle_event(R"({"type":"whiteboard","open":true})", 4) == "[]");
  stage = json::parse(bridge.stage());
  CHECK(stage["tiles"][2]["kind"] == "document");  // it fills the stage (layout.h)
  CHECK(stage["tiles"][2]["content"] == "whiteboard");
  CHECK(stage["pinned"] == "whiteboard");
  bridge.handle_event(R"({"type":"pin","tile":"p2"})", 5);
  bridge.handle_event(R"({"type":"page","page":1})", 6);
  stage = json::parse(bridge.stage());
  CHECK(stage["pinned"] == "p2");
  CHECK(stage["page"] == 1);
  CHECK(types(json::parse(bridge.handle_event(R"({"type":"page","page":"two"})", 7))) == json::array({"rejected"}));
  CHECK(types(json::parse(bridge.handle_event(R"({"type":"pin"})", 7))) == json::array({"rejected"}));
}

TEST_CASE("Commands carry the participants who came and went, the kick's author and the server's error") {
  CallBridge bridge = joined_bridge();
  json out = json::parse(bridge.handle_server_frame(
      R"({"type":"room:participant-joined","room_code":"ABCDEFGH","user":{"user_id":"u3","peer_id":"p3","display_name":"Cy","is_host":false,"is_cohost":false,"audio":true,"video":true,"screen":false},"participant_count":3})", 3));
  json participants;
  for (const auto& c : out) {
    if (c["type"] == "participants") participants = c;
  }
  REQUIRE(participants.is_object());
  CHECK(participants["joined"][0]["peer_id"] == "p3");
  CHECK(participants["left"].empty());
  out = json::parse(bridge.handle_server_frame(R"({"type":"error","code":"chat_disabled","message":"Chat is off."})", 4));
  CHECK(out.back() == json{{"type", "error"}, {"code", "chat_disabled"}, {"message", "Chat is off."}});
  out = json::parse(bridge.handle_server_frame(R"({"type":"room:host-action","action":"kick","target_user_id":"u1","by":"u9"})", 5));
  CHECK(out.back()["type"] == "screen");
  CHECK(out.back()["by"] == "u9");
  CHECK(out.back()["code"] == "kicked");
}
