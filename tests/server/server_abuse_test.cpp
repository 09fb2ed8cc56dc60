// Cheap abuse from one address: guessing room passwords, flooding the password checker, minting
// guest sessions, friend requests and call rings. Each is bounded, answers a stable code
// (rate_limited with a retry time, unauthorized, bad_request), and honest users are not held up.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <thread>

#include "server_abuse_helpers.h"
#include "server_fixture.h"

using namespace server_test;

namespace {

using Clock = std::chrono::steady_clock;

HttpResult rest_join(unsigned short port, const std::string& code, const User& user, const std::string& password) {
  return http(port, "POST", "/api/rooms/" + code + "/join", json{{"password", password}}, user.token);
}

bool retry_after_header_ok(const HttpResult& result) {
  const auto value = header(result, "Retry-After");
  return value && !value->empty() && std::stol(*value) >= 1;
}

}  // namespace

TEST_CASE("Past ten wrong passwords from one address a room answers rate_limited, even to the right one, and other rooms do not care") {
  const std::string guessed_over = GENERATE(as<std::string>{}, "ws", "rest");
  CAPTURE(guessed_over);
  ServerProcess server;  // the default: 10 wrong passwords per room per address per 10 minutes
  const User host = new_user(server.port(), "Host"), mallory = new_user(server.port(), "Mallory"),
             ben = new_user(server.port(), "Ben");
  const std::string guarded = new_room(server.port(), host, {{"password", "sesame"}, {"max_participants", 10}});
  const std::string other = new_room(server.port(), host, {{"password", "sesame"}, {"max_participants", 10}});
  WsClient m(server.port(), mallory.token);
  for (int i = 0; i < 10; ++i) {
    const std::string guess = "guess" + std::to_string(i);
    if (guessed_over == "ws") {
      REQUIRE(m.join(guarded, guess)["code"] == "wrong_password");
    } else {
      const HttpResult wrong = rest_join(server.port(), guarded, mallory, guess);
      REQUIRE(wrong.status == 403);
      REQUIRE(error_code(wrong) == "wrong_password");
    }
  }
  // The eleventh attempt is refused whatever it says, over the socket...
  const json refused = m.join(guarded, "sesame");
  CHECK(refused["type"] == "error");
  CHECK(refused["code"] == "rate_limited");
  CHECK((refused.contains("retry_after") && refused["retry_after"].is_number_integer() && refused["retry_after"].get<int>() >= 1));
  // ...and over REST, for anyone from this address.
  const HttpResult rest = rest_join(server.port(), guarded, ben, "sesame");
  CHECK(rest.status == 429);
  CHECK(error_code(rest) == "rate_limited");
  CHECK(retry_after_header_ok(rest));
  // Another room is unaffected.
  CHECK(m.join(other, "sesame")["type"] == "room:joined");
  CHECK(rest_join(server.port(), other, ben, "sesame").status == 200);
}

TEST_CASE("A flood of password guesses from four sockets is cut short and a legitimate join still completes within 5 s") {
  // One address for everyone here, so the per-address attempt limit is lifted to test the queue.
  ServerProcess server({"--password-attempts", "1000000", "--password-queue", "4"});
  const User host = new_user(server.port(), "Host"), ben = new_user(server.port(), "Ben"), dee = new_user(server.port(), "Dee");
  const std::string code = new_room(server.port(), host, {{"password", "sesame"}, {"max_participants", 10}});
  // For scale: one password check on this machine as loaded as it is right now. A fixed server
  // keeps Ben behind at most a few checks; the probe saw 71 s behind an unbounded queue.
  const auto before = Clock::now();
  {
    WsClient d(server.port(), dee.token);
    REQUIRE(d.join(code, "sesame")["type"] == "room:joined");
  }
  const auto one_check = std::chrono::duration_cast<milliseconds>(Clock::now() - before);
  const milliseconds allowed = std::max<milliseconds>(std::chrono::seconds(5), 4 * one_check);
  std::vector<std::unique_ptr<WsClient>> flooders;
  for (int i = 0; i < 4; ++i) flooders.push_back(std::make_unique<WsClient>(server.port(), new_user(server.port(), "Mallory").token));
  int wrong = 0, limited = 0, sent = 0;
  const auto count = [&](const json& frame) {
    if (frame.value("type", "") != "error") return;
    if (frame.value("code", "") == "wrong_password") ++wrong;
    if (frame.value("code", "") == "rate_limited") ++limited;
  };
  // Three seconds at 40 guesses a second per socket: under the 50 messages a second a socket may send.
  const auto started = Clock::now();
  for (int round = 0; Clock::now() - started < std::chrono::seconds(3); ++round) {
    for (auto& f : flooders) {
      f->send({{"type", "room:join"}, {"room_code", code}, {"password", "guess" + std::to_string(sent++)}});
    }
    for (auto& f : flooders) {
      while (auto frame = f->receive(milliseconds(1))) count(*frame);
    }
    std::this_thread::sleep_until(started + milliseconds(25) * (round + 1));
  }
  CHECK(limited > 0);  // the queue is bounded: most guesses were turned away at once
  // Ben, with the right password: allowed to retry when told the checker is busy, as a client would.
  WsClient b(server.port(), ben.token);
  const auto asked = Clock::now();
  json joined;
  do {
    joined = b.join(code, "sesame");
    if (joined["type"] == "room:joined") break;
    if (joined.value("code", "") != "rate_limited") break;
    std::this_thread::sleep_for(milliseconds(100));
  } while (Clock::now() - asked < allowed);
  const auto waited = std::chrono::duration_cast<milliseconds>(Clock::now() - asked);
  CAPTURE(waited.count(), allowed.count(), one_check.count(), sent, wrong, limited);
  CHECK(joined["type"] == "room:joined");
  CHECK(waited < allowed);
}

TEST_CASE("Guest sessions from one address are limited per minute: the 31st gets 429 rate_limited with Retry-After") {
  ServerProcess server;  // the default: 30 a minute per address
  for (int i = 0; i < 30; ++i) {
    const HttpResult made = http(server.port(), "POST", "/api/session", json{{"display_name", "Guest " + std::to_string(i)}});
    REQUIRE(made.status == 201);
  }
  const HttpResult refused = http(server.port(), "POST", "/api/session", json{{"display_name", "One too many"}});
  CHECK(refused.status == 429);
  CHECK(error_code(refused) == "rate_limited");
  CHECK(retry_after_header_ok(refused));
}

TEST_CASE("Friend requests are limited per sender per hour, and a refused one reaches nobody") {
  ServerProcess server({"--friend-requests-per-hour", "3"});
  const User sam = new_user(server.port(), "Sam");
  const std::string code = new_room(server.port(), sam);
  WsClient s(server.port(), sam.token);
  REQUIRE(s.join(code)["type"] == "room:joined");
  std::vector<User> targets;
  std::vector<std::unique_ptr<WsClient>> sockets;
  for (int i = 0; i < 4; ++i) {
    targets.push_back(new_user(server.port(), "Target " + std::to_string(i)));
    sockets.push_back(std::make_unique<WsClient>(server.port(), targets.back().token));
    REQUIRE(sockets.back()->join(code)["type"] == "room:joined");
  }
  for (int i = 0; i < 3; ++i) {
    const HttpResult asked = http(server.port(), "POST", "/api/friends/request", json{{"target_user_id", targets[i].user_id}}, sam.token);
    CHECK(asked.status == 200);
    CHECK(sockets[i]->receive_type("friend:update"));
  }
  const HttpResult refused = http(server.port(), "POST", "/api/friends/request", json{{"target_user_id", targets[3].user_id}}, sam.token);
  CHECK(refused.status == 429);
  CHECK(error_code(refused) == "rate_limited");
  CHECK(retry_after_header_ok(refused));
  CHECK_FALSE(sockets[3]->receive_type("friend:update", milliseconds(500)));
}

TEST_CASE("call:ring reaches friends and people in a room with the caller, and nobody else") {
  ServerProcess server;
  const User mallory = new_user(server.port(), "Mallory"), vic = new_user(server.port(), "Vic"),
             ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  WsClient m(server.port(), mallory.token), v(server.port(), vic.token);
  // A stranger: online, no friendship, no room in common.
  const auto stranger = request(m, {{"type", "call:ring"}, {"to_user_id", vic.user_id}, {"call_id", "spam1"}}, 1);
  CHECK(answer_code(stranger) == "unauthorized");
  CHECK_FALSE(v.receive_type("call:incoming", milliseconds(500)));

  // Someone in the same room.
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  CHECK(answer_code(request(a, {{"type", "call:ring"}, {"to_user_id", ben.user_id}, {"call_id", "room1"}}, 2)) == "ack");
  const auto in_room = b.receive_type("call:incoming");
  REQUIRE(in_room);
  CHECK((*in_room)["call_id"] == "room1");
  CHECK(answer_code(request(a, {{"type", "call:cancel"}, {"call_id", "room1"}}, 3)) == "ack");

  // A friend who is in no room with the caller any more.
  REQUIRE(make_friends(server.port(), ana, ben));
  REQUIRE(answer_code(request(b, {{"type", "room:leave"}}, "leave")) == "ack");
  CHECK(answer_code(request(a, {{"type", "call:ring"}, {"to_user_id", ben.user_id}, {"call_id", "friend1"}}, 4)) == "ack");
  const auto as_friend = b.receive_type("call:incoming");
  REQUIRE(as_friend);
  CHECK((*as_friend)["call_id"] == "friend1");
}

TEST_CASE("A call_id used before is refused with bad_request") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  const json ring = {{"type", "call:ring"}, {"to_user_id", ben.user_id}, {"call_id", "c1"}};
  REQUIRE(answer_code(request(a, ring, 1)) == "ack");
  REQUIRE(b.receive_type("call:incoming"));
  SECTION("while it is still ringing") {
    CHECK(answer_code(request(a, ring, 2)) == "bad_request");
  }
  SECTION("after it was rejected") {
    REQUIRE(answer_code(request(b, {{"type", "call:reject"}, {"call_id", "c1"}}, "r")) == "ack");
    REQUIRE(a.receive_type("call:rejected"));
    CHECK(answer_code(request(a, ring, 2)) == "bad_request");
  }
  CHECK_FALSE(b.receive_type("call:incoming", milliseconds(500)));
}
