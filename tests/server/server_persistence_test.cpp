// Whatever the server acknowledged survives a restart, kill -9 included.
#include <catch2/catch.hpp>

#include <thread>

#include "server_fixture.h"

using namespace server_test;

TEST_CASE("Rooms, passwords, chat and kicks survive kill -9 and a restart") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana, {{"room_name", "Durable"}, {"password", "sesame"}});
  {
    WsClient a(server.port(), ana.token), c(server.port(), cy.token);
    REQUIRE(a.join(code)["type"] == "room:joined");
    REQUIRE(c.join(code, "sesame")["type"] == "room:joined");
    a.send({{"type", "chat:send"}, {"text", "remember me"}, {"client_msg_id", "c1"}});
    REQUIRE(a.receive_type("chat:message"));
    a.send({{"type", "room:host-kick"}, {"target_user_id", cy.user_id}, {"id", 1}});
    REQUIRE(a.receive_type("ack"));
  }
  server.kill_hard();
  server.restart();

  const auto preview = http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, ben.token);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["room_name"] == "Durable");
  CHECK(preview.body["participant_count"] == 1);  // Ana keeps her place for the resume grace
  WsClient b(server.port(), ben.token);
  CHECK(b.join(code, "wrong")["code"] == "wrong_password");
  const json joined = b.join(code, "sesame");
  REQUIRE(joined["type"] == "room:joined");
  const auto history = b.receive_type("chat:message");
  REQUIRE(history);
  CHECK((*history)["text"] == "remember me");
  WsClient c(server.port(), cy.token);
  CHECK(c.join(code, "sesame")["code"] == "kicked");
  // Tokens stay valid: the secret was stored on first run.
  CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, ana.token).status == 200);
}

TEST_CASE("After a restart the first one back sees the others in the snapshot, and those who never return leave") {
  ServerProcess server({"--resume-grace-ms", "1500", "--sweep-ms", "100"});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  std::string ana_token, ana_peer, ben_peer;
  {
    WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token);
    const json joined = a.join(code);
    ana_token = joined["resume_token"];
    ana_peer = a.peer_id;
    REQUIRE(b.join(code)["type"] == "room:joined");
    ben_peer = b.peer_id;
    REQUIRE(c.join(code)["type"] == "room:joined");
    c.send({{"type", "room:leave"}, {"id", 1}});
    REQUIRE(c.receive_type("ack"));
    server.kill_hard();
  }
  server.restart();
  WsClient a(server.port(), ana.token);
  a.send({{"type", "room:join"}, {"room_code", code}, {"resume_token", ana_token}});
  const auto snapshot = a.receive_type("room:joined");
  REQUIRE(snapshot);
  CHECK((*snapshot)["self"]["peer_id"] == ana_peer);
  REQUIRE((*snapshot)["participants"].size() == 1);  // Ben, not Cy who had left
  CHECK((*snapshot)["participants"][0]["peer_id"] == ben_peer);
  const auto left = a.receive_type("room:participant-left", std::chrono::milliseconds(4000));
  REQUIRE(left);  // Ben never came back
  CHECK((*left)["peer_id"] == ben_peer);
}

TEST_CASE("Rooms idle past their lifetime expire") {
  ServerProcess server({"--room-lifetime-hours", "0", "--sweep-ms", "100"});
  const User ana = new_user(server.port(), "Ana");
  const std::string code = new_room(server.port(), ana);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  const auto gone = http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, ana.token);
  CHECK(gone.status == 410);
  CHECK(gone.body["error"]["code"] == "expired");
}
