// Every (role × action × target) through the three doors a power has: the client core's list of
// what the UI may offer (room/host_rules.h, what the buttons show), the WebSocket, and REST where
// REST has the action. They must agree: a button the UI shows is never refused, and nothing the UI
// hides goes through by another door. The table itself is authority/permissions.h, pinned cell by
// cell in tests/unit/authority_permissions_test.cpp; this test holds the doors to it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "room/host_rules.h"
#include "server_abuse_helpers.h"
#include "server_fixture.h"

using namespace server_test;
namespace rm = mehfil::room;

namespace {

// The message an action is over the socket.
json ws_message(rm::HostActionKind action, const std::string& target_user_id) {
  switch (action) {
    case rm::HostActionKind::mute: return {{"type", "room:host-mute"}, {"target_user_id", target_user_id}};
    case rm::HostActionKind::kick: return {{"type", "room:host-kick"}, {"target_user_id", target_user_id}};
    case rm::HostActionKind::make_cohost: return {{"type", "room:make-cohost"}, {"target_user_id", target_user_id}};
    case rm::HostActionKind::transfer: return {{"type", "room:host-transfer"}, {"target_user_id", target_user_id}};
    case rm::HostActionKind::lock: return {{"type", "room:lock"}, {"locked", true}};
    case rm::HostActionKind::settings:
      return {{"type", "room:settings"}, {"settings", {{"video", true}, {"audio", true}, {"screenshare", false}, {"chat", true}}}};
    case rm::HostActionKind::end: return {{"type", "room:end"}};
    case rm::HostActionKind::mute_all: return {{"type", "room:mute-all"}};
    case rm::HostActionKind::lower_hand: return {{"type", "room:raise-hand"}, {"raised", false}, {"target_user_id", target_user_id}};
  }
  return {};
}

bool on_someone(rm::HostActionKind action) {
  return action == rm::HostActionKind::mute || action == rm::HostActionKind::kick ||
         action == rm::HostActionKind::make_cohost || action == rm::HostActionKind::transfer ||
         action == rm::HostActionKind::lower_hand;
}

}  // namespace

TEST_CASE("Every role, action and target gets the same answer from the UI's list, the WebSocket and REST") {
  using K = rm::HostActionKind;
  const std::string role = GENERATE(as<std::string>{}, "host", "co-host", "member");
  const K action = GENERATE(K::mute, K::kick, K::make_cohost, K::transfer, K::lock, K::settings, K::end, K::mute_all, K::lower_hand);
  const std::string target = GENERATE(as<std::string>{}, "", "member", "co-host", "host");
  if (on_someone(action) == target.empty()) return;  // a room-wide action has no target, the others one
  if (role == "host" && target == "host") return;     // acting on oneself is another rule (leave, not kick)
  CAPTURE(role, rm::to_string(action), target);

  // Ana made the room; Cole and Cora are co-hosts; Ben and Dina are members.
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), cole = new_user(server.port(), "Cole"), cora = new_user(server.port(), "Cora"),
             ben = new_user(server.port(), "Ben"), dina = new_user(server.port(), "Dina");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), c(server.port(), cole.token), k(server.port(), cora.token), b(server.port(), ben.token),
      d(server.port(), dina.token);
  for (WsClient* socket : {&a, &c, &k, &b, &d}) REQUIRE(socket->join(code)["type"] == "room:joined");
  for (const User* co : {&cole, &cora}) {
    REQUIRE(answer_code(request(a, {{"type", "room:make-cohost"}, {"target_user_id", co->user_id}}, "co")) == "ack");
  }
  const User& actor = role == "host" ? ana : role == "co-host" ? cole : ben;
  WsClient& actor_socket = role == "host" ? a : role == "co-host" ? c : b;
  const User& whom = target == "host" ? ana : target == "co-host" ? cora : dina;

  // The client core: what the UI offers this actor.
  const rm::Role actor_role{role == "host", role == "co-host"};
  mehfil::protocol::Participant whom_card;
  whom_card.user_id = whom.user_id;
  whom_card.is_host = target == "host";
  whom_card.is_cohost = target == "co-host";
  if (action == K::lower_hand) {  // Lower hand is offered on a raised hand: raise it first
    WsClient& whom_socket = target == "host" ? a : target == "co-host" ? k : d;
    REQUIRE(answer_code(request(whom_socket, {{"type", "room:raise-hand"}, {"raised", true}}, "up")) == "ack");
    whom_card.hand_raised_at = 1;
  }
  const auto offered = on_someone(action) ? rm::actions_on(actor_role, whom_card, false) : rm::room_actions(actor_role);
  const bool ui_offers = std::find(offered.begin(), offered.end(), action) != offered.end();

  // REST, for the actions it has (tried first, on the same room: a refusal there changes nothing).
  std::optional<bool> rest_allows;
  if (action == K::mute || action == K::kick || action == K::end) {
    const HttpResult result = action == K::end
                                  ? http(server.port(), "DELETE", "/api/rooms/" + code, std::nullopt, actor.token)
                                  : http(server.port(), "POST", "/api/rooms/" + code + "/" + std::string(rm::to_string(action)),
                                         json{{"target_user_id", whom.user_id}}, actor.token);
    CAPTURE(result.body.dump());
    rest_allows = result.status == 200;
    if (*rest_allows) {
      CHECK(ui_offers);  // it went through by REST; the socket would see a changed room, so stop
      return;
    }
    CHECK((error_code(result) == "not_host" || error_code(result) == "bad_request"));
  }

  const std::string answered = answer_code(request(actor_socket, ws_message(action, whom.user_id), "act"));
  CAPTURE(answered);
  CHECK((answered == "ack") == ui_offers);
  if (answered != "ack") CHECK((answered == "not_host" || answered == "bad_request"));
  if (rest_allows) CHECK(*rest_allows == ui_offers);
}
