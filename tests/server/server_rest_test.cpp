// The REST API against a real server on loopback: every endpoint's happy path and its errors.
#include <catch2/catch.hpp>

#include "server_fixture.h"

using namespace server_test;

TEST_CASE("A session gives a user id and a token, and bad names are refused") {
  ServerProcess server;
  const auto ok = http(server.port(), "POST", "/api/session", json{{"display_name", "  Ana  "}});
  CHECK(ok.status == 201);
  CHECK(ok.body["display_name"] == "Ana");
  CHECK(ok.body["token"].get<std::string>().size() > 40);
  CHECK(http(server.port(), "POST", "/api/session", json{{"display_name", ""}}).status == 400);
  CHECK(http(server.port(), "POST", "/api/session", json{{"display_name", 42}}).status == 400);
  CHECK(http(server.port(), "POST", "/api/session", json{{"display_name", std::string(65, 'x')}}).status == 400);
  CHECK(http_raw_body(server.port(), "POST", "/api/session", "{not json", "").body["error"]["code"] == "bad_request");
}

TEST_CASE("Every API call needs a valid token") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  CHECK(http(server.port(), "GET", "/api/user/rooms").status == 401);
  CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, "not-a-token").status == 401);
  std::string forged = ana.token;
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  const auto rejected = http(server.port(), "GET", "/api/user/rooms", std::nullopt, forged);
  CHECK(rejected.status == 401);
  CHECK(rejected.body["error"]["code"] == "unauthorized");
  CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, ana.token).status == 200);
}

TEST_CASE("Creating a room gives a code, a link and the defaults our users asked for") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const auto created = http(server.port(), "POST", "/api/rooms/create", json::object(), ana.token);
  REQUIRE(created.status == 201);
  const std::string code = created.body["room_code"];
  CHECK(code.size() == 8);
  CHECK(code.find_first_of("0O1Il") == std::string::npos);
  CHECK(created.body["link"] == "/room/" + code);
  CHECK(created.body["room_name"] == "Ana's Room");
  CHECK(created.body["max_participants"] == 5);
  CHECK(created.body["settings"] == json{{"video", true}, {"audio", true}, {"screenshare", true}, {"chat", true}, {"record_automatically", false}, {"code_run_hosts_only", false}, {"waiting_room", false}});
  CHECK(created.body["expires_at"].get<std::int64_t>() > created.body["created_at"].get<std::int64_t>());

  SECTION("and bad options are refused") {
    for (const json& bad : {json{{"max_participants", 11}}, json{{"max_participants", 1}}, json{{"room_name", 5}},
                            json{{"settings", {{"video", "yes"}}}}, json{{"is_public", "true"}}}) {
      const auto refused = http(server.port(), "POST", "/api/rooms/create", bad, ana.token);
      CAPTURE(bad);
      CHECK(refused.status == 400);
      CHECK(refused.body["error"]["code"] == "bad_request");
    }
  }
  SECTION("and settings may come in part, in the messages' shape: a flag left out stays on") {
    const auto made = http(server.port(), "POST", "/api/rooms/create", json{{"settings", {{"chat", false}}}}, ana.token);
    REQUIRE(made.status == 201);
    CHECK(made.body["settings"] == json{{"video", true}, {"audio", true}, {"screenshare", true}, {"chat", false}, {"record_automatically", false}, {"code_run_hosts_only", false}, {"waiting_room", false}});
  }
}

TEST_CASE("The preview tells what a joiner needs and never leaks secrets") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const User ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana, {{"room_name", "Standup"}, {"password", "sesame"}, {"max_participants", 3}});
  const auto preview = http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, ben.token);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["room_name"] == "Standup");
  CHECK(preview.body["host_name"] == "Ana");
  CHECK(preview.body["has_password"] == true);
  CHECK(preview.body["participant_count"] == 0);
  CHECK(preview.body["max_participants"] == 3);
  CHECK(preview.body["is_locked"] == false);
  const std::string text = preview.body.dump();
  CHECK(text.find("argon2") == std::string::npos);
  CHECK(text.find("password_hash") == std::string::npos);
  CHECK(text.find(ana.token) == std::string::npos);

  const auto missing = http(server.port(), "GET", "/api/rooms/ZZZZZZZZ", std::nullopt, ben.token);
  CHECK(missing.status == 404);
  CHECK(missing.body["error"]["code"] == "room_not_found");
  CHECK(http(server.port(), "GET", "/api/rooms/XYZ789", std::nullopt, ben.token).status == 404);
}

TEST_CASE("Joining by REST checks the password, and leaving frees the place") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const User ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana, {{"password", "sesame"}});
  const std::string join = "/api/rooms/" + code + "/join";
  CHECK(http(server.port(), "POST", join, json::object(), ben.token).body["error"]["code"] == "wrong_password");
  const auto wrong = http(server.port(), "POST", join, json{{"password", "open"}}, ben.token);
  CHECK(wrong.status == 403);
  CHECK(wrong.body["error"]["code"] == "wrong_password");
  const auto right = http(server.port(), "POST", join, json{{"password", "sesame"}}, ben.token);
  CHECK(right.status == 200);
  CHECK(right.body["participant_count"] == 1);
  CHECK(http(server.port(), "POST", "/api/rooms/" + code + "/leave", std::nullopt, ben.token).status == 200);
  CHECK(http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, ben.token).body["participant_count"] == 0);
  CHECK(http(server.port(), "POST", "/api/rooms/" + code + "/leave", std::nullopt, ben.token).body["error"]["code"] == "not_in_room");
  CHECK(http(server.port(), "POST", "/api/rooms/ZZZZZZZZ/join", json::object(), ben.token).status == 404);
}

TEST_CASE("Only the host may delete a room, kick or mute, over REST as over the socket") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const User ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient ben_socket(server.port(), ben.token);
  REQUIRE(ben_socket.join(code)["type"] == "room:joined");

  const auto not_host = http(server.port(), "POST", "/api/rooms/" + code + "/mute", json{{"target_user_id", ana.user_id}}, ben.token);
  CHECK(not_host.status == 403);
  CHECK(not_host.body["error"]["code"] == "not_host");
  CHECK(http(server.port(), "DELETE", "/api/rooms/" + code, std::nullopt, ben.token).status == 403);

  CHECK(http(server.port(), "POST", "/api/rooms/" + code + "/mute", json{{"target_user_id", ben.user_id}}, ana.token).status == 200);
  const auto muted = ben_socket.receive_type("room:host-action");
  REQUIRE(muted);
  CHECK((*muted)["action"] == "mute");
  CHECK((*muted)["by"] == ana.user_id);

  CHECK(http(server.port(), "POST", "/api/rooms/" + code + "/kick", json{{"target_user_id", ben.user_id}}, ana.token).status == 200);
  const auto kicked = ben_socket.receive_type("room:host-action");
  REQUIRE(kicked);
  CHECK((*kicked)["action"] == "kick");
  CHECK(http(server.port(), "POST", "/api/rooms/" + code + "/join", json::object(), ben.token).body["error"]["code"] == "kicked");
  CHECK(http(server.port(), "POST", "/api/rooms/" + code + "/kick", json{{"target_user_id", "nobody"}}, ana.token).status == 409);

  CHECK(http(server.port(), "DELETE", "/api/rooms/" + code, std::nullopt, ana.token).status == 200);
  CHECK(http(server.port(), "POST", "/api/rooms/" + code + "/join", json::object(), ana.token).status == 404);
}

TEST_CASE("Your rooms lists the rooms you created and the ones you joined") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const User ben = new_user(server.port(), "Ben");
  const std::string mine = new_room(server.port(), ana, {{"room_name", "Mine"}});
  const std::string theirs = new_room(server.port(), ben, {{"room_name", "Theirs"}});
  REQUIRE(http(server.port(), "POST", "/api/rooms/" + theirs + "/join", json::object(), ana.token).status == 200);
  const auto rooms = http(server.port(), "GET", "/api/user/rooms", std::nullopt, ana.token);
  REQUIRE(rooms.status == 200);
  REQUIRE(rooms.body["created"].size() == 1);
  CHECK(rooms.body["created"][0]["room_code"] == mine);
  REQUIRE(rooms.body["joined"].size() == 1);
  CHECK(rooms.body["joined"][0]["room_code"] == theirs);
  CHECK(rooms.body["joined"][0]["participant_count"] == 1);
}

TEST_CASE("A user may create five rooms an hour, then gets 429 with Retry-After") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  for (int i = 0; i < 5; ++i) new_room(server.port(), ana);
  const auto sixth = http(server.port(), "POST", "/api/rooms/create", json::object(), ana.token);
  CHECK(sixth.status == 429);
  CHECK(sixth.body["error"]["code"] == "rate_limited");
  REQUIRE(sixth.headers.count("Retry-After"));
  CHECK(std::stoi(sixth.headers.at("Retry-After")) > 3000);
  CHECK(http(server.port(), "POST", "/api/rooms/create", json::object(), new_user(server.port(), "Ben").token).status == 201);
}

TEST_CASE("Request bodies are capped") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const auto huge = http_raw_body(server.port(), "POST", "/api/rooms/create", std::string(100 * 1024, ' '), ana.token);
  CHECK(huge.status == 413);
  CHECK(http(server.port(), "GET", "/healthz").status == 200);
}
