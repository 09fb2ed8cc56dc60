// The waiting room against a real server: knocking, admitting and denying, the door after a closed
// tab and a host's departure, and a flood of knockers (authority/room_authority.h is the rule).
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <thread>

#include "server_abuse_helpers.h"
#include "server_fixture.h"

using namespace server_test;

namespace {

const json kWaitingRoom = {{"settings", {{"waiting_room", true}}}};

// The user ids of the next room:knock's queue.
std::vector<std::string> next_queue(WsClient& socket) {
  std::vector<std::string> ids;
  const auto knock = socket.receive_type("room:knock");
  REQUIRE(knock);
  for (const json& k : (*knock)["waiting"]) ids.push_back(k["user_id"]);
  return ids;
}

}  // namespace

TEST_CASE("A knocker waits until the host admits them, a denied one hears knock_denied, and nobody else hears of the door") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana, kWaitingRoom);
  CHECK(http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, ben.token).body["admission"] == "knock");
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token);
  REQUIRE(a.join(code)["type"] == "room:joined");  // the host never knocks

  const json waiting = b.join(code);
  CHECK(waiting["type"] == "room:waiting");
  CHECK(next_queue(a) == std::vector<std::string>{ben.user_id});
  CHECK(answer_code(request(b, {{"type", "chat:send"}, {"text", "let me in"}, {"client_msg_id", "c1"}}, "chat")) == "not_in_room");
  // A REST join at the door reserves nothing and says so.
  const HttpResult rest = http(server.port(), "POST", "/api/rooms/" + code + "/join", json::object(), cy.token);
  CHECK(rest.status == 200);
  CHECK(rest.body["admission"] == "knock");
  CHECK(rest.body["participant_count"] == 1);
  CHECK(c.join(code)["type"] == "room:waiting");
  CHECK(next_queue(a) == std::vector<std::string>{ben.user_id, cy.user_id});

  REQUIRE(answer_code(request(a, {{"type", "room:admit"}, {"target_user_id", ben.user_id}}, "in")) == "ack");
  const auto joined = b.receive_type("room:joined");
  REQUIRE(joined);
  CHECK((*joined)["participants"].size() == 1);
  CHECK(a.receive_type("room:participant-joined").value()["user"]["user_id"] == ben.user_id);
  // Ben, a member now, may not answer the door.
  CHECK(answer_code(request(b, {{"type", "room:deny"}, {"target_user_id", cy.user_id}}, "no")) == "not_host");

  REQUIRE(answer_code(request(a, {{"type", "room:deny"}, {"target_user_id", cy.user_id}}, "out")) == "ack");
  const auto denied = c.receive_type("error");
  REQUIRE(denied);
  CHECK((*denied)["code"] == "knock_denied");
  const json again = c.join(code);
  CHECK(again["code"] == "rate_limited");
  CHECK(again["retry_after"].get<int>() >= 1);
}

TEST_CASE("A knocker who closes the tab leaves the queue, and the host leaving hands the queue to the co-host") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), cole = new_user(server.port(), "Cole"), ben = new_user(server.port(), "Ben"),
             dee = new_user(server.port(), "Dee");
  const std::string code = new_room(server.port(), ana, kWaitingRoom);
  WsClient a(server.port(), ana.token), k(server.port(), cole.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(k.join(code)["type"] == "room:waiting");
  REQUIRE(next_queue(a) == std::vector<std::string>{cole.user_id});
  REQUIRE(answer_code(request(a, {{"type", "room:admit"}}, "all")) == "ack");
  REQUIRE(k.receive_type("room:joined"));
  REQUIRE(answer_code(request(a, {{"type", "room:make-cohost"}, {"target_user_id", cole.user_id}}, "co")) == "ack");
  {
    WsClient b(server.port(), ben.token);
    REQUIRE(b.join(code)["type"] == "room:waiting");
    CHECK(next_queue(k) == std::vector<std::string>{ben.user_id});  // the co-host hears it too
  }  // Ben's tab closes
  CHECK(next_queue(k).empty());

  WsClient d(server.port(), dee.token);
  REQUIRE(d.join(code)["type"] == "room:waiting");
  REQUIRE(next_queue(k) == std::vector<std::string>{dee.user_id});
  REQUIRE(answer_code(request(a, {{"type", "room:leave"}}, "bye")) == "ack");
  CHECK(k.receive_type("room:host-changed").value()["host_user_id"] == cole.user_id);
  CHECK(next_queue(k) == std::vector<std::string>{dee.user_id});  // handed over with the room
  REQUIRE(answer_code(request(k, {{"type", "room:admit"}, {"target_user_id", dee.user_id}}, "in")) == "ack");
  CHECK(d.receive_type("room:joined"));
}

TEST_CASE("A flood of knockers stops at the queue's size with waiting_room_full, and the room and its host carry on") {
  ServerProcess server({"--guest-sessions-per-minute", "100"});
  const User ana = new_user(server.port(), "Ana");
  const std::string code = new_room(server.port(), ana, kWaitingRoom);
  WsClient a(server.port(), ana.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  std::vector<std::unique_ptr<WsClient>> knockers;
  json last;
  for (int i = 0; i < 51; ++i) {
    knockers.push_back(std::make_unique<WsClient>(server.port(), new_user(server.port(), "K" + std::to_string(i)).token));
    last = knockers.back()->join(code);
    if (i < 50) REQUIRE(last["type"] == "room:waiting");
  }
  CHECK(last["code"] == "waiting_room_full");
  // The host's socket still answers, and letting everyone in fills the room's places; the rest wait on.
  REQUIRE(answer_code(request(a, {{"type", "room:admit"}}, "all")) == "ack");
  const HttpResult room = http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, ana.token);
  CHECK(room.body["participant_count"] == room.body["max_participants"]);
  CHECK(next_queue(a).size() == 50 - (room.body["max_participants"].get<std::size_t>() - 1));
}

TEST_CASE("People knocking before the host arrives are kept through the server's sweeps and the host finds them at the door") {
  ServerProcess server({"--sweep-ms", "100"});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana, kWaitingRoom);
  WsClient b(server.port(), ben.token);
  REQUIRE(b.join(code)["type"] == "room:waiting");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // several sweeps of rooms nobody is in
  WsClient a(server.port(), ana.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  CHECK(next_queue(a) == std::vector<std::string>{ben.user_id});
  REQUIRE(answer_code(request(a, {{"type", "room:admit"}, {"target_user_id", ben.user_id}}, "in")) == "ack");
  CHECK(b.receive_type("room:joined"));
}

TEST_CASE("Leaving the door and knocking again at once is refused, and knocking twice on one socket rings no bell") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana, kWaitingRoom);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:waiting");
  REQUIRE(next_queue(a) == std::vector<std::string>{ben.user_id});
  REQUIRE(b.join(code)["type"] == "room:waiting");  // again on the same socket
  CHECK_FALSE(a.receive_type("room:knock", std::chrono::milliseconds(400)));
  REQUIRE(answer_code(request(b, {{"type", "room:leave"}}, "away")) == "ack");
  CHECK(next_queue(a).empty());
  const json again = b.join(code);
  CHECK(again["code"] == "rate_limited");
  CHECK(again["retry_after"].get<int>() <= 5);
}
