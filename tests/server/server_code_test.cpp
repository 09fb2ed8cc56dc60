// The shared code editor on the server: code:update is stored before the room hears it, relayed to
// everyone else, and sent whole to late joiners and after a restart; bad updates, updates from
// outside the room and updates past the room's quota change nothing for anyone. The updates are
// opaque here (base64 of Yjs updates only the clients read).
#include <catch2/catch.hpp>

#include "server_fixture.h"

using namespace server_test;

TEST_CASE("Code updates reach the room, and late joiners and a restarted server get them all in order") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  {
    WsClient a(server.port(), ana.token), b(server.port(), ben.token);
    REQUIRE(a.join(code)["type"] == "room:joined");
    REQUIRE(b.join(code)["type"] == "room:joined");
    a.send({{"type", "code:update"}, {"update", "AQID"}, {"id", 1}});
    REQUIRE(a.receive_type("ack"));
    const auto relayed = b.receive_type("code:update");
    REQUIRE(relayed);
    CHECK((*relayed)["from"] == a.peer_id);
    CHECK((*relayed)["updates"] == json::array({"AQID"}));
    b.send({{"type", "code:update"}, {"update", "BAUGBw=="}, {"id", 2}});
    REQUIRE(b.receive_type("ack"));
    CHECK(a.receive_type("code:update").value()["updates"] == json::array({"BAUGBw=="}));
    // A cursor is relayed and never stored.
    a.send({{"type", "code:cursor"}, {"state", "CAkK"}});
    CHECK(b.receive_type("code:cursor").value()["state"] == "CAkK");
    WsClient c(server.port(), new_user(server.port(), "Cy").token);
    REQUIRE(c.join(code)["type"] == "room:joined");
    const auto history = c.receive_type("code:update");
    REQUIRE(history);
    CHECK((*history)["from"] == "server");
    CHECK((*history)["updates"] == json::array({"AQID", "BAUGBw=="}));
    CHECK_FALSE(c.receive_type("code:cursor", std::chrono::milliseconds(300)));
  }
  server.kill_hard();
  server.restart();
  WsClient d(server.port(), new_user(server.port(), "Dee").token);
  REQUIRE(d.join(code)["type"] == "room:joined");
  CHECK(d.receive_type("code:update").value()["updates"] == json::array({"AQID", "BAUGBw=="}));
}

TEST_CASE("Bad code updates, updates from outside the room and updates past the room's quota get clear errors and change nothing") {
  ServerProcess server({"--code-updates-per-room", "2"});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), eve = new_user(server.port(), "Eve");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), e(server.port(), eve.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  a.send({{"type", "code:update"}, {"update", "AQID"}, {"id", 1}});
  REQUIRE(a.receive_type("ack"));
  REQUIRE(b.receive_type("code:update"));

  const auto [what, update, sender, expected] = GENERATE(table<std::string, json, int, std::string>({
      {"not base64", "<img src=x onerror=alert(1)>", 0, "bad_request"},
      {"not a string", json::array({1, 2}), 0, "bad_request"},
      {"over 45000 bytes", std::string(60004, 'A'), 0, "too_large"},
      {"from someone not in the room", "AQID", 1, "not_in_room"},
  }));
  INFO(what);
  WsClient& from = sender == 0 ? a : e;
  from.send({{"type", "code:update"}, {"update", update}, {"id", 7}});
  const auto refused = from.receive_type("error");
  REQUIRE(refused);
  CHECK((*refused)["code"] == expected);
  CHECK((*refused)["ref"] == 7);
  CHECK_FALSE(b.receive_type("code:update", std::chrono::milliseconds(300)));  // nobody heard anything
  CHECK_FALSE(from.closed());

  // The room holds two updates at most here: the second is taken, the third is quota_exceeded.
  a.send({{"type", "code:update"}, {"update", "BAUG"}, {"id", 8}});
  REQUIRE(a.receive_type("ack"));
  a.send({{"type", "code:update"}, {"update", "CAkK"}, {"id", 9}});
  CHECK(a.receive_type("error").value()["code"] == "quota_exceeded");
  WsClient c(server.port(), new_user(server.port(), "Cy").token);
  REQUIRE(c.join(code)["type"] == "room:joined");
  CHECK(c.receive_type("code:update").value()["updates"] == json::array({"AQID", "BAUG"}));
}

TEST_CASE("A run of the room's code is started for everyone, ended by its runner alone, and shown to late joiners, and the host can keep Run to hosts") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");

  b.send({{"type", "code:run"}, {"file", "main.py"}, {"language", "python"}, {"id", 1}});
  REQUIRE(b.receive_type("ack"));
  const auto running = a.receive_type("code:running");
  REQUIRE(running);
  CHECK((*running)["by"] == b.peer_id);
  CHECK((*running)["display_name"] == "Ben");
  CHECK((*running)["limit_ms"] == 5000);
  const std::string run_id = (*running)["run_id"];
  CHECK(b.receive_type("code:running").value()["run_id"] == run_id);

  // Nobody else runs meanwhile, and nobody else ends Ben's run.
  a.send({{"type", "code:run"}, {"file", "main.py"}, {"language", "python"}, {"id", 2}});
  const auto busy = a.receive_type("error");
  CHECK(busy.value()["code"] == "run_in_progress");
  CHECK(busy.value()["ref"] == 2);
  const json output = {{"type", "code:output"}, {"run_id", run_id}, {"status", "ok"},
                       {"output", json::array({{{"stream", "stdout"}, {"text", "45\n"}}})}, {"duration_ms", 12}};
  json forged = output;
  forged["id"] = 3;
  a.send(forged);
  CHECK(a.receive_type("error").value()["code"] == "bad_request");
  json ended = output;
  ended["id"] = 4;
  b.send(ended);
  REQUIRE(b.receive_type("ack"));
  const auto told = a.receive_type("code:output");
  REQUIRE(told);
  CHECK((*told)["output"][0]["text"] == "45\n");
  CHECK((*told)["display_name"] == "Ben");

  WsClient c(server.port(), new_user(server.port(), "Cy").token);
  REQUIRE(c.join(code)["type"] == "room:joined");
  CHECK(c.receive_type("code:output").value()["run_id"] == run_id);

  // Hosts only: Ben is refused with the code that says so; Ana, the host, runs.
  a.send({{"type", "room:settings"}, {"id", 5},
          {"settings", {{"video", true}, {"audio", true}, {"screenshare", true}, {"chat", true}, {"code_run_hosts_only", true}}}});
  REQUIRE(a.receive_type("ack"));
  b.send({{"type", "code:run"}, {"file", "main.py"}, {"language", "python"}, {"id", 6}});
  CHECK(b.receive_type("error").value()["code"] == "run_hosts_only");
  a.send({{"type", "code:run"}, {"file", "main.py"}, {"language", "python"}, {"id", 7}});
  REQUIRE(a.receive_type("ack"));
  CHECK(c.receive_type("code:running").value()["by"] == a.peer_id);
}

TEST_CASE("Past --code-compact-after updates the room asks the last sender for the whole state, which replaces the oldest updates for joiners and after a restart") {
  ServerProcess server({"--code-compact-after", "3"});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  const std::string path = "/api/rooms/" + code + "/code-state";
  {
    WsClient a(server.port(), ana.token), b(server.port(), ben.token);
    REQUIRE(a.join(code)["type"] == "room:joined");
    REQUIRE(b.join(code)["type"] == "room:joined");
    b.send({{"type", "code:update"}, {"update", "AQID"}, {"id", 1}});
    REQUIRE(b.receive_type("ack"));
    a.send({{"type", "code:update"}, {"update", "BAUG"}, {"id", 2}});
    REQUIRE(a.receive_type("ack"));
    CHECK_FALSE(a.receive_type("code:compact", std::chrono::milliseconds(200)));  // two: not due yet
    a.send({{"type", "code:update"}, {"update", "BwgJ"}, {"id", 3}});
    REQUIRE(a.receive_type("ack"));
    const auto asked = a.receive_type("code:compact");
    REQUIRE(asked);
    CHECK((*asked)["upto"] == 3);
    CHECK_FALSE(b.receive_type("code:compact", std::chrono::milliseconds(200)));  // asked of Ana alone

    // Only Ana, for the count asked, and the state must be bytes.
    CHECK(http_raw_body(server.port(), "PUT", path + "?upto=3", "STATE", ben.token).status == 400);
    CHECK(http_raw_body(server.port(), "PUT", path + "?upto=2", "STATE", ana.token).status == 400);
    CHECK(http_raw_body(server.port(), "PUT", path + "?upto=x", "STATE", ana.token).status == 400);
    CHECK(http_raw_body(server.port(), "PUT", path + "?upto=3", "", ana.token).status == 400);
    CHECK(http_raw_body(server.port(), "PUT", path + "?upto=3", "STATE", "").status == 401);
    const auto compacted = http_raw_body(server.port(), "PUT", path + "?upto=3", "STATE", ana.token);
    REQUIRE(compacted.status == 200);
    CHECK(compacted.body["updates"] == 1);
    // Asked once: the same answer again is refused.
    CHECK(http_raw_body(server.port(), "PUT", path + "?upto=3", "STATE", ana.token).status == 400);
    b.send({{"type", "code:update"}, {"update", "CgsM"}, {"id", 4}});
    REQUIRE(b.receive_type("ack"));

    WsClient c(server.port(), new_user(server.port(), "Cy").token);
    REQUIRE(c.join(code)["type"] == "room:joined");
    CHECK(c.receive_type("code:update").value()["updates"] == json::array({"U1RBVEU=", "CgsM"}));  // base64 of "STATE"
  }
  server.kill_hard();
  server.restart();
  WsClient d(server.port(), new_user(server.port(), "Dee").token);
  REQUIRE(d.join(code)["type"] == "room:joined");
  CHECK(d.receive_type("code:update").value()["updates"] == json::array({"U1RBVEU=", "CgsM"}));
}
