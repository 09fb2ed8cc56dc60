// The whiteboard on the server: ops are checked whole, relayed to the room, kept in SQLite for late
// joiners and restarts; bad ops change nothing for anyone.
#include <catch2/catch.hpp>

#include "server_fixture.h"

using namespace server_test;

namespace {

json line(const std::string& id, int version = 1, bool deleted = false) {
  return {{"id", id}, {"kind", "line"}, {"points", {0, 0, 100, 50}}, {"version", version}, {"version_nonce", 7},
          {"deleted", deleted}, {"z", "000000000001"}};
}

}  // namespace

TEST_CASE("Whiteboard ops reach the room, and late joiners and restarts see the same board") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  {
    WsClient a(server.port(), ana.token), b(server.port(), ben.token);
    REQUIRE(a.join(code)["type"] == "room:joined");
    REQUIRE(b.join(code)["type"] == "room:joined");
    a.send({{"type", "wb:ops"}, {"ops", {line(ana.user_id + ":1"), line(ana.user_id + ":2")}}, {"id", 1}});
    REQUIRE(a.receive_type("ack"));
    const auto relayed = b.receive_type("wb:ops");
    REQUIRE(relayed);
    CHECK((*relayed)["from"] == a.peer_id);
    CHECK((*relayed)["ops"].size() == 2);
    b.send({{"type", "wb:ops"}, {"ops", {line(ana.user_id + ":1", 2, true)}}, {"id", 2}});  // Ben erases one of Ana's
    REQUIRE(b.receive_type("ack"));
  }
  server.kill_hard();
  server.restart();
  WsClient c(server.port(), new_user(server.port(), "Cy").token);
  REQUIRE(c.join(code)["type"] == "room:joined");
  const auto board = c.receive_type("wb:ops");
  REQUIRE(board);
  CHECK((*board)["from"] == "server");
  REQUIRE((*board)["ops"].size() == 2);
  CHECK((*board)["ops"][0]["deleted"] == true);
  CHECK((*board)["ops"][0]["version"] == 2);
  CHECK((*board)["ops"][1]["deleted"] == false);
}

TEST_CASE("Bad whiteboard ops are refused whole and the board stays intact for everyone") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  a.send({{"type", "wb:ops"}, {"ops", {line(ana.user_id + ":1"), line(ana.user_id + ":2")}}, {"id", 1}});
  REQUIRE(a.receive_type("ack"));
  REQUIRE(b.receive_type("wb:ops"));

  json nan_point = line(ben.user_id + ":1");
  nan_point["points"] = {0, 0, 1e30, 5};
  json unknown = line(ben.user_id + ":2");
  unknown["kind"] = "hologram";
  const auto [op, code_expected] = GENERATE_COPY(table<json, std::string>({
      {nan_point, "bad_request"},
      {unknown, "bad_request"},
      {line(ana.user_id + ":9"), "bad_request"},  // a new element in someone else's name
  }));
  CAPTURE(op);
  b.send({{"type", "wb:ops"}, {"ops", {line(ben.user_id + ":5"), op}}, {"id", 3}});
  const auto refused = b.receive_type("error");
  REQUIRE(refused);
  CHECK((*refused)["code"] == code_expected);
  CHECK_FALSE(a.receive_type("wb:ops", std::chrono::milliseconds(300)));  // not even the good op went through

  SECTION("and only the host clears the board") {
    b.send({{"type", "wb:ops"}, {"ops", {line(ana.user_id + ":1", 2, true), line(ana.user_id + ":2", 2, true)}}, {"id", 4}});
    CHECK(b.receive_type("error").value()["code"] == "not_host");
    a.send({{"type", "wb:ops"}, {"ops", {line(ana.user_id + ":1", 2, true), line(ana.user_id + ":2", 2, true)}}, {"id", 5}});
    CHECK(a.receive_type("ack"));
  }
  SECTION("someone outside the room cannot draw on it") {
    WsClient eve(server.port(), new_user(server.port(), "Eve").token);
    eve.send({{"type", "wb:ops"}, {"ops", {line("eve:1")}}});
    CHECK(eve.receive_type("error").value()["code"] == "not_in_room");
  }
}

TEST_CASE("Cursors and the laser pointer are relayed to the room and never stored") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  a.send({{"type", "wb:cursor"}, {"x", 120}, {"y", -40}, {"laser", true}});
  const auto cursor = b.receive_type("wb:cursor");
  REQUIRE(cursor);
  CHECK((*cursor)["from"] == a.peer_id);
  CHECK((*cursor)["laser"] == true);
  CHECK((*cursor)["x"] == 120);
  a.send({{"type", "wb:cursor"}, {"x", 1e9}, {"y", 0}, {"laser", false}});
  CHECK(a.receive_type("error").value()["code"] == "bad_request");
  WsClient c(server.port(), new_user(server.port(), "Cy").token);
  REQUIRE(c.join(code)["type"] == "room:joined");
  CHECK_FALSE(c.receive_type("wb:cursor", std::chrono::milliseconds(300)));
  CHECK_FALSE(c.receive_type("wb:ops", std::chrono::milliseconds(100)));  // nothing was stored
}
