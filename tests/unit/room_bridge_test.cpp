// The call bridge (wasm/bindings/room_bridge.h) natively: the JSON that js-glue sends and receives
// maps onto RoomClient's events and commands, bad input is a `rejected` command and never a crash,
// and the speaker rules hold.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "room_bridge.h"

using mehfil::bindings::CallBridge;
using mehfil::bindings::SpeakerTracker;
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
