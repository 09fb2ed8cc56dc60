// The public Live rooms list (GET /api/rooms) against a real server: who is listed and with what,
// pages, the short answer while nothing moves, and bad paging refused.
#include <catch2/catch.hpp>

#include "server_abuse_helpers.h"
#include "server_fixture.h"

using namespace server_test;

namespace {

std::vector<std::string> listed_codes(unsigned short port, const std::string& query = "") {
  const HttpResult result = http(port, "GET", "/api/rooms" + query);
  REQUIRE(result.status == 200);
  std::vector<std::string> codes;
  for (const json& room : result.body["rooms"]) codes.push_back(room["room_code"]);
  return codes;
}

}  // namespace

TEST_CASE("Live rooms lists the public rooms people are in, liveliest first, never a private one, and drops one that ends") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string open = new_room(server.port(), ana, {{"room_name", "Open mic"}, {"topic", "Poetry, bring one"}, {"is_public", true}});
  const std::string busy = new_room(server.port(), ben, {{"room_name", "Busy"}, {"is_public", true}, {"password", "secret pass"}});
  const std::string hidden = new_room(server.port(), cy, {{"room_name", "Private"}});
  CHECK(listed_codes(server.port()).empty());  // public, but nobody in them yet

  WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token), d(server.port(), cy.token);
  REQUIRE(a.join(open)["type"] == "room:joined");
  REQUIRE(b.join(busy)["type"] == "room:joined");
  REQUIRE(c.join(hidden)["type"] == "room:joined");
  REQUIRE(d.join(busy, "secret pass")["type"] == "room:joined");
  const HttpResult listed = http(server.port(), "GET", "/api/rooms");  // no session needed
  REQUIRE(listed.status == 200);
  REQUIRE(listed.body["rooms"].size() == 2);
  CHECK(listed.body["total"] == 2);
  const json& first = listed.body["rooms"][0];
  CHECK(first["room_code"] == busy);  // two people in it
  CHECK(first["participant_count"] == 2);
  CHECK(first["has_password"] == true);
  const json& second = listed.body["rooms"][1];
  CHECK(second["room_name"] == "Open mic");
  CHECK(second["topic"] == "Poetry, bring one");
  CHECK(second["host_name"] == "Ana");
  CHECK(second["max_participants"] == 5);

  // Pages, and the short answer while nothing changes.
  const HttpResult page = http(server.port(), "GET", "/api/rooms?limit=1");
  CHECK(page.body["rooms"].size() == 1);
  CHECK(page.body["next_offset"] == 1);
  CHECK(listed_codes(server.port(), "?offset=1&limit=1") == std::vector<std::string>{open});
  const std::string version = listed.body["version"];
  CHECK(http(server.port(), "GET", "/api/rooms?version=" + version).body["unchanged"] == true);

  // The host ends it: gone from the list, and the version moves.
  REQUIRE(answer_code(request(a, {{"type", "room:end"}}, "end")) == "ack");
  CHECK(listed_codes(server.port()) == std::vector<std::string>{busy});
  const HttpResult after = http(server.port(), "GET", "/api/rooms?version=" + version);
  CHECK_FALSE(after.body.contains("unchanged"));
}

TEST_CASE("Bad paging and a bad topic are refused with bad_request") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  for (const std::string query : {"?limit=0", "?limit=51", "?offset=-1", "?limit=abc", "?offset=1e3"}) {
    CAPTURE(query);
    const HttpResult result = http(server.port(), "GET", "/api/rooms" + query);
    CHECK(result.status == 400);
    CHECK(result.body["error"]["code"] == "bad_request");
  }
  CHECK(http(server.port(), "POST", "/api/rooms", json::object()).status == 405);
  const HttpResult bad = http(server.port(), "POST", "/api/rooms/create", json{{"topic", std::string("a\u202Eb")}, {"is_public", true}}, ana.token);
  CHECK(bad.status == 400);
  CHECK(bad.body["error"]["code"] == "bad_request");
}
