// RoomClient's commands carry what the UI needs to say what happened: who removed us, why the room
// closed, the server's error, who came and went, a friendship's new state, and the whiteboard's
// traffic. The executor (js-glue/mehfil.js) reads these and never the server's frames.
#include <catch2/catch.hpp>

#include "room/room_client.h"
#include "room_client_support.h"
#include "room_test_support.h"

using namespace mehfil::room;
using namespace room_test;

namespace {

std::vector<std::string> peers_of(const std::vector<protocol::Participant>& people) {
  std::vector<std::string> ids;
  for (const auto& p : people) ids.push_back(p.peer_id);
  return ids;
}

server::ErrorReply error_reply(protocol::ErrorCode code, std::string message) {
  server::ErrorReply error;
  error.code = code;
  error.message = std::move(message);
  return error;
}

}  // namespace

TEST_CASE("The kicked screen names who removed us") {
  RoomClient room = in_room();
  const auto screen = first_of<ShowScreen>(receive(room, server::HostAction{server::HostActionKind::kick, "u5", "u1"}));
  CHECK(screen.screen == Screen::kicked);
  CHECK(screen.detail.code == "kicked");
  CHECK(screen.detail.by == "u1");
}

TEST_CASE("The closed screen says why the room closed") {
  RoomClient room = in_room();
  const auto screen = first_of<ShowScreen>(receive(room, server::RoomClosed{"AbCdEf23", "ended_by_host"}));
  CHECK(screen.screen == Screen::room_closed);
  CHECK(screen.detail.reason == "ended_by_host");
}

TEST_CASE("A refused join's screen carries the server's code and message") {
  const auto [code, spelling] = GENERATE(table<protocol::ErrorCode, std::string>({
      {protocol::ErrorCode::room_full, "room_full"},
      {protocol::ErrorCode::room_locked, "room_locked"},
      {protocol::ErrorCode::wrong_password, "wrong_password"},
      {protocol::ErrorCode::kicked, "kicked"}}));
  RoomClient room;
  room.handle(Join{"AbCdEf23", "Asha", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  const auto out = receive(room, error_reply(code, "As the server put it."), 20);
  const auto screen = first_of<ShowScreen>(out);
  CHECK(screen.detail.code == spelling);
  CHECK(screen.detail.message == "As the server put it.");
  CHECK(count_of<ReportError>(out) == 0);  // the screen says it
}

TEST_CASE("An error in the room is reported with its code, and a join refused without a screen too") {
  SECTION("in the room") {
    RoomClient room = in_room();
    const auto out = receive(room, error_reply(protocol::ErrorCode::chat_disabled, "The host turned chat off."));
    REQUIRE(count_of<ReportError>(out) == 1);
    CHECK(first_of<ReportError>(out).code == protocol::ErrorCode::chat_disabled);
    CHECK(first_of<ReportError>(out).message == "The host turned chat off.");
    CHECK(room.state() == RoomState::in_room);
  }
  SECTION("a join refused for a reason with no screen") {
    RoomClient room;
    room.handle(Join{"AbCdEf23", "Asha", std::nullopt}, 0);
    room.handle(SocketOpened{}, 10);
    const auto out = receive(room, error_reply(protocol::ErrorCode::unauthorized, "Sign in again."), 20);
    CHECK(first_of<ReportError>(out).code == protocol::ErrorCode::unauthorized);
    CHECK(room.state() == RoomState::failed);
  }
  SECTION("a rate limit while joining waits for the backoff and reports nothing") {
    RoomClient room;
    room.handle(Join{"AbCdEf23", "Asha", std::nullopt}, 0);
    room.handle(SocketOpened{}, 10);
    CHECK(count_of<ReportError>(receive(room, error_reply(protocol::ErrorCode::rate_limited, "Slow down."), 20)) == 0);
  }
}

TEST_CASE("The participant list says who came, who went and who changed, and the first list names nobody") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  auto apply = first_of<ApplyParticipants>(receive(room, snapshot("5", {person("1", true), person("2")}), 20));
  CHECK(peers_of(apply.participants) == std::vector<std::string>{"p1", "p2"});
  CHECK(apply.joined.empty());  // they were there before us
  CHECK(room.joined_before_us("p1"));

  apply = first_of<ApplyParticipants>(receive(room, server::ParticipantJoined{"AbCdEf23", person("3"), 4}));
  CHECK(peers_of(apply.joined) == std::vector<std::string>{"p3"});
  CHECK_FALSE(room.joined_before_us("p3"));

  auto muted = person("2");
  muted.audio = true;
  apply = first_of<ApplyParticipants>(receive(room, server::ParticipantUpdated{"AbCdEf23", muted}));
  CHECK(peers_of(apply.updated) == std::vector<std::string>{"p2"});
  CHECK(apply.joined.empty());

  apply = first_of<ApplyParticipants>(receive(room, server::ParticipantLeft{"AbCdEf23", "u3", "p3", 3}));
  CHECK(peers_of(apply.left) == std::vector<std::string>{"p3"});

  SECTION("after a resume, people who left meanwhile are told as gone") {
    room.handle(SocketClosed{0.0}, 1000);
    room.handle(SocketOpened{}, 1010);
    apply = first_of<ApplyParticipants>(receive(room, snapshot("5", {person("1", true), person("4")}), 1020));
    CHECK(peers_of(apply.left) == std::vector<std::string>{"p2"});
    CHECK(peers_of(apply.joined) == std::vector<std::string>{"p4"});
  }
}

TEST_CASE("A friendship's new state comes with the user it concerns") {
  RoomClient room = in_room();
  CHECK(first_of<FriendChanged>(receive(room, server::FriendUpdate{"u2", "Ben", false})).relation == "incoming");
  const auto now_friends = first_of<FriendChanged>(receive(room, server::FriendUpdate{"u2", "Ben", true}));
  CHECK(now_friends.user_id == "u2");
  CHECK(now_friends.relation == "friends");
}

TEST_CASE("Whiteboard ops and pointers go through the core both ways, and only while connected") {
  RoomClient room = in_room();
  const std::vector<nlohmann::json> ops{nlohmann::json{{"id", "e1"}, {"version", 1}}};
  const auto sent = first_of<SendMessage>(room.handle(SendBoardOps{ops}, 30));
  const auto* batch = std::get_if<client::WhiteboardOps>(&sent.message);
  REQUIRE(batch);
  CHECK(batch->ops == ops);
  CHECK(std::holds_alternative<client::WhiteboardCursor>(first_of<SendMessage>(room.handle(SendBoardCursor{3, 4, true}, 31)).message));

  const auto heard = first_of<BoardOps>(receive(room, server::WhiteboardOps{"p2", ops}));
  CHECK(heard.from == "p2");
  CHECK(heard.ops == ops);
  const auto pointer = first_of<BoardCursor>(receive(room, server::WhiteboardCursor{"p2", 7, 8, false}));
  CHECK((pointer.x == 7 && pointer.y == 8 && !pointer.laser));

  room.handle(SocketClosed{0.0}, 1000);
  CHECK(count_of<Rejected>(room.handle(SendBoardOps{ops}, 1001)) == 1);  // nothing is sent into a dead socket
}

TEST_CASE("Code editor updates and cursors go through the core both ways, and only while connected") {
  RoomClient room = in_room();
  const auto sent = first_of<SendMessage>(room.handle(SendCodeUpdate{"AQID"}, 30));
  const auto* update = std::get_if<client::CodeUpdate>(&sent.message);
  REQUIRE(update);
  CHECK(update->update == "AQID");
  const auto cursor = first_of<SendMessage>(room.handle(SendCodeCursor{"BAUG"}, 31));
  CHECK(std::get<client::CodeCursor>(cursor.message).state == "BAUG");

  const auto heard = first_of<CodeUpdates>(receive(room, server::CodeUpdates{"server", {"AQID", "BAUG"}}));
  CHECK(heard.from == "server");
  CHECK(heard.updates == std::vector<std::string>{"AQID", "BAUG"});
  CHECK(first_of<CodeCursor>(receive(room, server::CodeCursor{"p2", "CAkK"})).state == "CAkK");

  room.handle(SocketClosed{0.0}, 1000);
  CHECK(count_of<Rejected>(room.handle(SendCodeUpdate{"AQID"}, 1001)) == 1);
  CHECK(count_of<SendMessage>(room.handle(SendCodeCursor{"BAUG"}, 1002)) == 0);
}

TEST_CASE("A run of the room's code is asked for, run only by the page the room names, and its end goes to everyone") {
  RoomClient room = in_room("5");
  const auto asked = first_of<SendMessage>(room.handle(SendCodeRun{"main.py", "python"}, 30));
  CHECK(std::get<client::CodeRun>(asked.message) == client::CodeRun{"main.py", "python"});

  const std::string self_peer = room.self().peer_id;
  const auto mine = first_of<CodeRunStarted>(receive(room, server::CodeRunning{"run-1", self_peer, "User 5", "main.py", "python", 5000, 40}));
  CHECK(mine.mine);
  const auto theirs = first_of<CodeRunStarted>(receive(room, server::CodeRunning{"run-2", "p2", "User 2", "main.py", "python", 5000, 50}));
  CHECK_FALSE(theirs.mine);

  const protocol::RunResult result{"ok", {protocol::OutputChunk{"stdout", "45\n"}}, std::nullopt, std::nullopt, 12};
  const auto ended = first_of<SendMessage>(room.handle(SendCodeOutput{"run-1", result}, 60));
  CHECK(std::get<client::CodeOutput>(ended.message) == client::CodeOutput{"run-1", result});
  const server::CodeOutput told{"run-1", self_peer, "User 5", "main.py", "python", 40, result};
  CHECK(first_of<CodeRunEnded>(receive(room, told)).output == told);

  room.handle(SocketClosed{0.0}, 1000);
  CHECK(count_of<Rejected>(room.handle(SendCodeRun{"main.py", "python"}, 1001)) == 1);
}
