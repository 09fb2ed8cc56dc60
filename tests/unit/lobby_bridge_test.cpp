// The lobby bridge (wasm/bindings/lobby_bridge.h): the JSON a page outside any room exchanges with
// the ringing core. Rings go out with ids; a refusal naming that id ends the right call; presence
// and friend frames become commands; a dropped socket comes back on the reconnect table's time.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "lobby_bridge.h"

using nlohmann::json;
using mehfil::bindings::LobbyBridge;

namespace {

json event(LobbyBridge& lobby, const json& e, std::int64_t now = 1000) { return json::parse(lobby.handle_event(e.dump(), now)); }
json frame(LobbyBridge& lobby, const json& f, std::int64_t now = 1000) { return json::parse(lobby.handle_server_frame(f.dump(), now)); }

const json* find(const json& commands, const std::string& type) {
  for (const json& c : commands) {
    if (c["type"] == type) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("A ring goes out with an id, the room comes with call:ringing, and a refusal of that id ends the call as offline") {
  LobbyBridge lobby;
  CHECK(event(lobby, {{"type", "start"}})[0]["type"] == "open-socket");
  const json placed = event(lobby, {{"type", "place"}, {"to_user_id", "ben"}, {"to_display_name", "Ben"}, {"call_id", "k1"}, {"video", true}});
  const json sent = json::parse(find(placed, "send")->at("text").get<std::string>());
  CHECK(sent["type"] == "call:ring");
  CHECK(sent["video"] == true);
  CHECK((*find(placed, "call"))["state"] == "calling");
  CHECK((*find(placed, "call"))["peer_display_name"] == "Ben");

  const json ringing = frame(lobby, {{"type", "call:ringing"}, {"call_id", "k1"}, {"room_code", "Cq4Rt7Wm"}});
  CHECK((*find(ringing, "call"))["remote_ringing"] == true);
  CHECK((*find(ringing, "call"))["room_code"] == "Cq4Rt7Wm");

  SECTION("refused by the server") {
    const json refused = frame(lobby, {{"type", "error"}, {"code", "user_offline"}, {"message", "That person is not online."}, {"ref", sent["id"]}});
    CHECK((*find(refused, "error"))["code"] == "user_offline");
    CHECK((*find(refused, "call"))["state"] == "ended");
    CHECK((*find(refused, "call"))["reason"] == "offline");
  }
  SECTION("an error about something else leaves the call alone") {
    const json other = frame(lobby, {{"type", "error"}, {"code", "rate_limited"}, {"message", "slow down"}, {"ref", "x9"}});
    CHECK(find(other, "call") == nullptr);
    CHECK(lobby.call().state() == mehfil::room::CallState::calling);
  }
}

TEST_CASE("Presence and friend frames become commands, and bad events are rejected, not fatal") {
  LobbyBridge lobby;
  const json presence = frame(lobby, {{"type", "friend:presence"}, {"user_id", "ben"}, {"presence", "in_call"}});
  CHECK(presence[0] == json{{"type", "presence"}, {"user_id", "ben"}, {"presence", "in_call"}});
  const json update = frame(lobby, {{"type", "friend:update"}, {"user_id", "ben"}, {"display_name", "Ben"}, {"friends", true}});
  CHECK(update[0]["type"] == "friend");
  CHECK(event(lobby, {{"type", "place"}, {"to_user_id", 7}})[0]["type"] == "rejected");
  CHECK(json::parse(lobby.handle_event("not json", 0))[0]["type"] == "rejected");
  CHECK(json::parse(lobby.handle_server_frame("{\"type\":\"call:ringing\"}", 0))[0]["type"] == "rejected");
}

TEST_CASE("A dropped lobby socket comes back after the reconnect table's wait, sooner after it opened again") {
  LobbyBridge lobby;
  const json first = event(lobby, {{"type", "socket-closed"}, {"jitter", 0}}, 1000);
  CHECK(first[0]["key"] == "reconnect");
  CHECK(first[0]["at"] == 1000);  // the first try is at once
  const json second = event(lobby, {{"type", "socket-closed"}, {"jitter", 0}}, 1000);
  CHECK(second[0]["at"] == 1300);
  CHECK(event(lobby, {{"type", "tick"}}, 1299).empty());  // not yet
  CHECK(event(lobby, {{"type", "tick"}}, 1300)[0]["type"] == "open-socket");
  event(lobby, {{"type", "socket-opened"}});
  CHECK(event(lobby, {{"type", "socket-closed"}, {"jitter", 0}}, 5000)[0]["at"] == 5000);
}

TEST_CASE("Invites come and go as commands, and Dismiss sends invite:dismiss") {
  LobbyBridge lobby;
  const json invite = frame(lobby, {{"type", "invite:received"}, {"invite_id", "i1"}, {"room_code", "Cq4Rt7Wm"}, {"room_name", "Study"},
                                    {"from_user_id", "ana"}, {"from_display_name", "Ana"}, {"sent_at", 5}});
  CHECK(invite[0] == json{{"type", "invite"}, {"invite_id", "i1"}, {"room_code", "Cq4Rt7Wm"}, {"room_name", "Study"},
                          {"from_user_id", "ana"}, {"from_display_name", "Ana"}, {"sent_at", 5}});
  CHECK(frame(lobby, {{"type", "invite:gone"}, {"invite_id", "i1"}})[0] == json{{"type", "invite-gone"}, {"invite_id", "i1"}});
  const json dismissed = event(lobby, {{"type", "dismiss-invite"}, {"invite_id", "i1"}});
  CHECK(json::parse(dismissed[0]["text"].get<std::string>()) == json{{"type", "invite:dismiss"}, {"invite_id", "i1"}});
  CHECK(event(lobby, {{"type", "dismiss-invite"}})[0]["type"] == "rejected");
}
