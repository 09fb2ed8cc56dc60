// Raised hands, reactions and Mute all against a real server (authority/gestures.h is the rule):
// what everyone hears, who may lower whose hand, and floods refused without harm to the socket.
#include <catch2/catch.hpp>

#include "server_abuse_helpers.h"
#include "server_fixture.h"

using namespace server_test;

namespace {

const std::string kClap = "\xF0\x9F\x91\x8F";  // 👏

json raise(bool raised) { return {{"type", "room:raise-hand"}, {"raised", raised}}; }

// The next room:participant-updated about this user (earlier ones about others are passed over).
std::optional<json> update_of(WsClient& socket, const std::string& user_id) {
  while (auto updated = socket.receive_type("room:participant-updated")) {
    if ((*updated)["user"]["user_id"] == user_id) return updated;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("Hands go up for everyone in the order raised, the host lowers one, and a member may lower only their own") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token);
  for (WsClient* socket : {&a, &b, &c}) REQUIRE(socket->join(code)["type"] == "room:joined");

  REQUIRE(answer_code(request(c, raise(true), "c1")) == "ack");
  const auto cy_up = update_of(a, cy.user_id);
  REQUIRE(cy_up);
  REQUIRE(answer_code(request(b, raise(true), "b1")) == "ack");
  const auto ben_up = update_of(a, ben.user_id);
  REQUIRE(ben_up);
  CHECK((*ben_up)["user"]["hand_raised_at"].get<std::int64_t>() >= (*cy_up)["user"]["hand_raised_at"].get<std::int64_t>());

  // A joiner finds the hands in room:joined.
  const User dee = new_user(server.port(), "Dee");
  WsClient d(server.port(), dee.token);
  const json joined = d.join(code);
  int hands = 0;
  for (const json& p : joined["participants"]) hands += p.contains("hand_raised_at") ? 1 : 0;
  CHECK(hands == 2);

  json lower_cy = {{"type", "room:raise-hand"}, {"raised", false}, {"target_user_id", cy.user_id}};
  CHECK(answer_code(request(b, lower_cy, "b2")) == "not_host");
  json raise_cy = lower_cy;
  raise_cy["raised"] = true;
  CHECK(answer_code(request(a, raise_cy, "a1")) == "bad_request");
  REQUIRE(answer_code(request(a, lower_cy, "a2")) == "ack");
  const auto lowered = update_of(c, cy.user_id);
  REQUIRE(lowered);
  CHECK_FALSE((*lowered)["user"].contains("hand_raised_at"));
}

TEST_CASE("A reaction goes to everyone, a flood of them is rate_limited with retry_after, and the socket and room carry on") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");

  const json clap = {{"type", "room:reaction"}, {"emoji", kClap}};
  std::vector<json> before_ack;
  REQUIRE(answer_code(request(b, clap, "r0", &before_ack)) == "ack");
  const auto seen = a.receive_type("room:reaction");
  REQUIRE(seen);
  CHECK((*seen)["from_user_id"] == ben.user_id);
  CHECK((*seen)["emoji"] == kClap);
  REQUIRE(before_ack.size() == 1);  // the sender sees their own
  CHECK(before_ack[0] == *seen);

  // Not from the set: refused by the decoder, whatever it is.
  CHECK(answer_code(request(b, {{"type", "room:reaction"}, {"emoji", "<img src=x>"}}, "bad")) == "bad_request");
  CHECK(answer_code(request(b, {{"type", "room:reaction"}, {"emoji", "\xF0\x9F\x92\xA9"}}, "poo")) == "bad_request");

  std::optional<json> refused;
  for (int i = 1; i < 20 && !refused; ++i) {
    auto reply = request(b, clap, "r" + std::to_string(i));
    REQUIRE(reply);
    if ((*reply)["type"] == "error") refused = reply;
  }
  REQUIRE(refused);
  CHECK((*refused)["code"] == "rate_limited");
  CHECK((*refused)["retry_after"].get<int>() >= 1);
  CHECK((*refused)["retry_after"].get<int>() <= 5);
  // Still in the room: a hand goes up, a chat line goes through.
  CHECK(answer_code(request(b, raise(true), "h")) == "ack");
  CHECK(answer_code(request(b, {{"type", "chat:send"}, {"text", "still here"}, {"client_msg_id", "c1"}}, "chat")) == "ack");
}

TEST_CASE("Mute all: a member may not, the host mutes everyone whose microphone is on but themselves") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token);
  for (WsClient* socket : {&a, &b, &c}) {
    REQUIRE(socket->join(code)["type"] == "room:joined");
    REQUIRE(answer_code(request(*socket, {{"type", "media:state"}, {"audio", true}, {"video", true}, {"screen", false}}, "m")) == "ack");
  }
  CHECK(answer_code(request(b, {{"type", "room:mute-all"}}, "b")) == "not_host");
  REQUIRE(answer_code(request(a, {{"type", "room:mute-all"}}, "a")) == "ack");
  for (WsClient* muted : {&b, &c}) {
    const auto action = muted->receive_type("room:host-action");
    REQUIRE(action);
    CHECK((*action)["action"] == "mute");
    CHECK((*action)["by"] == ana.user_id);
  }
  // The host kept their microphone: a newcomer sees ana on and the others off.
  WsClient d(server.port(), new_user(server.port(), "Dee").token);
  const json joined = d.join(code);
  for (const json& p : joined["participants"]) {
    CAPTURE(p.dump());
    CHECK(p["audio"] == (p["user_id"] == ana.user_id));
  }
}
