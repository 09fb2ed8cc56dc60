// Who may do what to a room and its board: erasing others' strokes, version jumps that would
// freeze an element, REST joins that never come (ghosts), and co-hosts, with one rule whether the
// request comes over the socket or over REST.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <memory>

#include "server_abuse_helpers.h"
#include "server_fixture.h"

using namespace server_test;

namespace {

constexpr std::int64_t kMaxVersion = std::numeric_limits<std::int64_t>::max();  // 2^63 - 1

}  // namespace

TEST_CASE("A non-host erasing others' strokes one at a time is rate limited past 120 a minute and the rest of the board stays") {
  ServerProcess server;  // the default: 120 of others' elements a minute
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  constexpr int kLines = 130;
  const auto id = [&](int i) { return ana.user_id + ":" + std::to_string(i); };
  json lines = json::array();
  for (int i = 0; i < kLines; ++i) lines.push_back(line_op(id(i)));
  REQUIRE(answer_code(request(a, {{"type", "wb:ops"}, {"ops", lines}}, "draw")) == "ack");
  REQUIRE(b.receive_type("wb:ops"));
  // Wiping two at once is clearing the board: only the host may (unchanged).
  CHECK(answer_code(request(b, {{"type", "wb:ops"}, {"ops", {line_op(id(0), 2, true), line_op(id(1), 2, true)}}}, "two")) == "not_host");
  int erased = 0, limited = 0;
  for (int i = 0; i < kLines; ++i) {
    const std::string reply = answer_code(request(b, {{"type", "wb:ops"}, {"ops", {line_op(id(i), 2, true)}}}, i));
    if (reply == "ack") ++erased;
    if (reply == "rate_limited") ++limited;
  }
  CHECK(erased == 120);
  CHECK(limited == kLines - 120);
  WsClient c(server.port(), cy.token);
  const Snapshot snapshot = join_and_collect(c, code);
  REQUIRE(snapshot.joined["type"] == "room:joined");
  const auto board = board_of(snapshot.frames);
  REQUIRE(board.size() == static_cast<std::size_t>(kLines));
  int deleted = 0;
  for (const auto& [element_id, element] : board) deleted += element["deleted"] == true ? 1 : 0;
  CHECK(deleted == 120);
}

TEST_CASE("An op whose version jumps more than 1000 past the stored one is refused and the element stays editable") {
  // Which element (an existing one at version 1, or a new one: stored version 0), the version sent,
  // and whether the server takes it.
  const auto [target, version, expected] = GENERATE(table<std::string, std::int64_t, std::string>({
      {"existing", kMaxVersion, "bad_request"},
      {"new", kMaxVersion, "bad_request"},
      {"existing", 1002, "bad_request"},
      {"new", 1001, "bad_request"},
      {"existing", 1001, "ack"},
      {"new", 1000, "ack"},
  }));
  CAPTURE(target, version);
  ServerProcess server;  // the default step: 1000
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  const std::string existing = ana.user_id + ":1";
  REQUIRE(answer_code(request(a, {{"type", "wb:ops"}, {"ops", {line_op(existing)}}}, "first")) == "ack");
  REQUIRE(b.receive_type("wb:ops"));
  const std::string element = target == "existing" ? existing : ana.user_id + ":2";
  CHECK(answer_code(request(a, {{"type", "wb:ops"}, {"ops", {line_op(element, version)}}}, "jump")) == expected);
  // Its next ordinary version goes through and reaches the room.
  const std::int64_t stored = expected == "ack" ? version : (target == "existing" ? 1 : 0);
  CHECK(answer_code(request(a, {{"type", "wb:ops"}, {"ops", {line_op(element, stored + 1, true)}}}, "next")) == "ack");
  std::optional<json> relayed;
  while ((relayed = b.receive_type("wb:ops", milliseconds(2000)))) {
    if ((*relayed)["ops"][0]["version"] == stored + 1) break;
  }
  REQUIRE(relayed);
  CHECK((*relayed)["ops"][0]["id"] == element);
  CHECK((*relayed)["ops"][0]["deleted"] == true);
}

TEST_CASE("A REST join whose socket never comes frees its seat after the reservation time, not at the next sweep") {
  ServerProcess server({"--reservation-ms", "500", "--sweep-ms", "600000"});
  const User ana = new_user(server.port(), "Ana"), gus = new_user(server.port(), "Gus"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana, {{"max_participants", 2}});
  WsClient a(server.port(), ana.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(http(server.port(), "POST", "/api/rooms/" + code + "/join", json::object(), gus.token).status == 200);
  const HttpResult full = http(server.port(), "POST", "/api/rooms/" + code + "/join", json::object(), ben.token);
  CHECK(full.status == 409);
  CHECK(error_code(full) == "room_full");
  const auto started = std::chrono::steady_clock::now();
  CHECK(eventually([&] {
    return http(server.port(), "POST", "/api/rooms/" + code + "/join", json::object(), ben.token).status == 200;
  }, milliseconds(5000)));
  CAPTURE(std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started).count());
  WsClient b(server.port(), ben.token);
  CHECK(b.join(code)["type"] == "room:joined");
}

TEST_CASE("A member who never opened a socket is never made host, and cannot kick or delete over REST") {
  const std::string how = GENERATE(as<std::string>{}, "leaves", "drops and never returns");
  CAPTURE(how);
  ServerProcess server({"--resume-grace-ms", "300", "--sweep-ms", "100"});
  const User ana = new_user(server.port(), "Ana"), gus = new_user(server.port(), "Gus"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  auto a = std::make_unique<WsClient>(server.port(), ana.token);
  REQUIRE(a->join(code)["type"] == "room:joined");
  // Gus joins over REST before Ben and never opens a socket: he has been "in" the room longest.
  REQUIRE(http(server.port(), "POST", "/api/rooms/" + code + "/join", json::object(), gus.token).status == 200);
  WsClient b(server.port(), ben.token);
  REQUIRE(b.join(code)["type"] == "room:joined");
  if (how == "leaves") {
    REQUIRE(answer_code(request(*a, {{"type", "room:leave"}}, "leave")) == "ack");
  } else {
    a.reset();  // the socket drops; the resume grace runs out
  }
  const auto changed = b.receive_type("room:host-changed", milliseconds(5000));
  REQUIRE(changed);
  CHECK((*changed)["host_user_id"] == ben.user_id);
  const HttpResult kick = http(server.port(), "POST", "/api/rooms/" + code + "/kick", json{{"target_user_id", ben.user_id}}, gus.token);
  CHECK(kick.status == 403);
  CHECK(error_code(kick) == "not_host");
  const HttpResult removed = http(server.port(), "DELETE", "/api/rooms/" + code, std::nullopt, gus.token);
  CHECK(removed.status == 403);
  CHECK(error_code(removed) == "not_host");
  CHECK_FALSE(b.receive_type("room:closed", milliseconds(300)));
  CHECK_FALSE(b.receive_type("room:host-action", milliseconds(100)));
  CHECK(http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, ben.token).body["is_active"] == true);
}

TEST_CASE("A co-host has the same powers over WebSocket and REST: members yes, the host and the room's end no") {
  // How the co-host asks, what, of whom ("host", "member" or nobody), and the answer.
  const auto [via, action, target, expected] = GENERATE(table<std::string, std::string, std::string, std::string>({
      {"ws", "room:end", "", "not_host"},
      {"ws", "room:host-mute", "host", "not_host"},
      {"ws", "room:host-kick", "host", "not_host"},
      {"ws", "room:make-cohost", "member", "not_host"},
      {"ws", "room:host-transfer", "member", "not_host"},
      {"ws", "room:host-mute", "member", "ok"},
      {"ws", "room:host-kick", "member", "ok"},
      {"ws", "room:lock", "", "ok"},
      {"ws", "room:settings", "", "ok"},
      {"rest", "delete", "", "not_host"},
      {"rest", "mute", "host", "not_host"},
      {"rest", "kick", "host", "not_host"},
      {"rest", "mute", "member", "ok"},
      {"rest", "kick", "member", "ok"},
  }));
  CAPTURE(via, action, target);
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), cole = new_user(server.port(), "Cole"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), c(server.port(), cole.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(c.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  REQUIRE(answer_code(request(a, {{"type", "room:make-cohost"}, {"target_user_id", cole.user_id}}, "cohost")) == "ack");
  const User& whom = target == "host" ? ana : ben;
  WsClient& whom_socket = target == "host" ? a : b;

  std::string answered;
  if (via == "ws") {
    json message = {{"type", action}};
    if (!target.empty()) message["target_user_id"] = whom.user_id;
    if (action == "room:lock") message["locked"] = true;
    if (action == "room:settings") message["settings"] = {{"video", true}, {"audio", true}, {"screenshare", false}, {"chat", true}};
    answered = answer_code(request(c, message, "act"));
    if (answered == "ack") answered = "ok";
  } else {
    const HttpResult result = action == "delete"
                                  ? http(server.port(), "DELETE", "/api/rooms/" + code, std::nullopt, cole.token)
                                  : http(server.port(), "POST", "/api/rooms/" + code + "/" + action,
                                         json{{"target_user_id", whom.user_id}}, cole.token);
    answered = result.status == 200 ? "ok" : error_code(result);
    if (expected != "ok") CHECK(result.status == 403);
  }
  CHECK(answered == expected);

  if (expected == "ok") {
    if (target == "member") {
      const auto done = whom_socket.receive_type("room:host-action");
      REQUIRE(done);
      CHECK((*done)["by"] == cole.user_id);
    } else {
      CHECK(a.receive_type("room:settings-changed"));
    }
  } else {
    // Nothing happened: the room goes on and nobody was muted, removed or promoted.
    CHECK_FALSE(a.receive_type("room:closed", milliseconds(300)));
    CHECK_FALSE(whom_socket.receive_type("room:host-action", milliseconds(100)));
    CHECK_FALSE(a.receive_type("room:host-changed", milliseconds(100)));
    while (const auto updated = b.receive_type("room:participant-updated", milliseconds(100))) {
      CHECK_FALSE(((*updated)["user"]["user_id"] == ben.user_id && (*updated)["user"]["is_cohost"] == true));
    }
    const HttpResult preview = http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, ana.token);
    CHECK(preview.body["is_active"] == true);
    CHECK(preview.body["host_user_id"] == ana.user_id);
    CHECK(preview.body["participant_count"] == 3);
  }
}
