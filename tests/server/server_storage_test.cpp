// What a room stores, under pressure: a join snapshot larger than a socket's 1 MiB send queue, chat
// that would bloat it, a full disk, and the per-room and per-user quotas. Each of these once
// crashed the server, made a room unjoinable for good, or made the process exit.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket.hpp>

#include "server_abuse_helpers.h"
#include "server_fixture.h"

using namespace server_test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// 30 strokes of 47 KB: a board of about 1.4 MB, well past the 1 MiB send queue and well under the
// default per-user (2 MiB a minute) and per-room (8 MiB) quotas.
constexpr int kBigStrokes = 30;

void fill_board(WsClient& client, const User& author, int strokes) {
  for (int i = 0; i < strokes; ++i) {
    const auto reply = request(client, {{"type", "wb:ops"}, {"ops", {stroke_op(author.user_id + ":" + std::to_string(i))}}}, i);
    REQUIRE(answer_code(reply) == "ack");
  }
}

std::string emoji_text(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "\xF0\x9F\x8E\xB5";  // U+1F3B5, four bytes
  return text;
}

// The client_msg_ids of the chat:message frames, in the order they came.
std::vector<std::string> chat_ids(const std::vector<json>& frames) {
  std::vector<std::string> ids;
  for (const json& frame : of_type(frames, "chat:message")) ids.push_back(frame.value("client_msg_id", ""));
  return ids;
}

}  // namespace

TEST_CASE("A board bigger than the send queue reaches every joiner whole, and again after a crash and restart") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  {
    WsClient a(server.port(), ana.token);
    REQUIRE(a.join(code)["type"] == "room:joined");
    fill_board(a, ana, kBigStrokes);
  }
  const auto joins_whole = [&](const User& who) {
    WsClient client(server.port(), who.token);
    const Snapshot snapshot = join_and_collect(client, code);
    CHECK(snapshot.joined["type"] == "room:joined");
    CHECK(snapshot.acked);  // the ack comes after the whole board
    bool all_from_server = false;
    const auto board = board_of(snapshot.frames, &all_from_server);
    CHECK(board.size() == static_cast<std::size_t>(kBigStrokes));
    CHECK(all_from_server);
    CHECK(server.running());
    CHECK(healthz(server.port()).status == 200);
  };
  SECTION("a joiner") { joins_whole(ben); }
  SECTION("a joiner after kill -9 and a restart") {
    server.kill_hard();
    server.restart();
    joins_whole(cy);
    joins_whole(ben);
  }
}

TEST_CASE("A joiner of a big room that never reads is dropped by the idle watcher and the server stays up") {
  ServerProcess server({"--idle-ping-ms", "300", "--idle-drop-ms", "800"});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  {
    WsClient a(server.port(), ana.token);
    REQUIRE(a.join(code)["type"] == "room:joined");
    fill_board(a, ana, kBigStrokes);
  }
  REQUIRE(eventually([&] { return healthz(server.port()).body.value("connections", -1) == 0; }));
  // Ben joins with little room in his kernel buffer and never reads again: the server's write to
  // him stays pending while the idle watcher pings him and gives up.
  asio::io_context io;
  boost::beast::websocket::stream<tcp::socket> slow(io);
  slow.next_layer().open(tcp::v4());
  slow.next_layer().set_option(asio::socket_base::receive_buffer_size(4096));
  slow.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  slow.handshake("127.0.0.1", "/ws?token=" + ben.token);
  slow.write(asio::buffer(json{{"type", "room:join"}, {"room_code", code}}.dump()));
  CHECK(eventually([&] { return healthz(server.port()).body.value("connections", -1) == 0; }));
  CHECK(server.running());
  CHECK(healthz(server.port()).status == 200);
  // Everyone else carries on: Cy joins the same room, gets the whole board, and chats.
  WsClient c(server.port(), cy.token);
  const Snapshot snapshot = join_and_collect(c, code);
  REQUIRE(snapshot.joined["type"] == "room:joined");
  CHECK(board_of(snapshot.frames).size() == static_cast<std::size_t>(kBigStrokes));
  std::vector<json> others;
  CHECK(answer_code(request(c, {{"type", "chat:send"}, {"text", "still here"}, {"client_msg_id", "c1"}}, "chat", &others)) == "ack");
  const auto echoes = of_type(others, "chat:message");
  CHECK((echoes.size() == 1 && echoes[0]["text"] == "still here"));
  CHECK(server.running());
}

TEST_CASE("Chat text with control characters is refused naming the field, newlines and tabs are fine, and the room stays joinable") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  // Fifty messages of 4,000 U+0001 (six bytes each as JSON) once made a 1.2 MB snapshot.
  const std::string junk(4000, '\x01');
  int refused = 0;
  for (int i = 0; i < 50; ++i) {
    const auto reply = request(a, {{"type", "chat:send"}, {"text", junk}, {"client_msg_id", "j" + std::to_string(i)}}, i);
    if (answer_code(reply) == "bad_request" && reply->value("message", "").find("text") != std::string::npos) ++refused;
  }
  CHECK(refused == 50);
  std::vector<json> others;
  const std::string multiline = "line one\nline two\tand a tab";
  CHECK(answer_code(request(a, {{"type", "chat:send"}, {"text", multiline}, {"client_msg_id", "ok1"}}, "ok", &others)) == "ack");
  const auto echoes = of_type(others, "chat:message");
  CHECK((echoes.size() == 1 && echoes[0]["text"] == multiline));

  WsClient b(server.port(), ben.token);
  const Snapshot snapshot = join_and_collect(b, code);
  REQUIRE(snapshot.joined["type"] == "room:joined");
  CHECK(snapshot.acked);
  const auto history = of_type(snapshot.frames, "chat:message");
  REQUIRE(history.size() == 1);
  CHECK(history[0]["text"] == multiline);
  CHECK(server.running());
}

TEST_CASE("A room with 200 chat messages of 4,000 emoji each is joinable and the joiner gets that history, oldest first") {
  ServerProcess server;
  const User host = new_user(server.port(), "Host");
  const std::string code = new_room(server.port(), host, {{"max_participants", 10}});
  const std::string text = emoji_text(4000);  // 16 KB: 200 of them are a 3.2 MB history
  std::vector<std::string> sent;
  // Four writers in turn, 50 messages each (each writer stays within its own per-minute quota),
  // each leaving before the next comes so nobody has to read everyone's echoes.
  for (int w = 0; w < 4; ++w) {
    WsClient writer(server.port(), new_user(server.port(), "Writer " + std::to_string(w)).token);
    REQUIRE(writer.join(code)["type"] == "room:joined");
    for (int i = 0; i < 50; ++i) {
      const std::string id = "w" + std::to_string(w) + "m" + std::to_string(i);
      REQUIRE(answer_code(request(writer, {{"type", "chat:send"}, {"text", text}, {"client_msg_id", id}}, i)) == "ack");
      sent.push_back(id);
    }
    REQUIRE(answer_code(request(writer, {{"type", "room:leave"}}, "bye")) == "ack");
  }
  WsClient eve(server.port(), new_user(server.port(), "Eve").token);
  const Snapshot snapshot = join_and_collect(eve, code);
  REQUIRE(snapshot.joined["type"] == "room:joined");
  CHECK(snapshot.acked);
  CHECK(chat_ids(snapshot.frames) == sent);
  // The history comes right after room:joined, before anything else of the snapshot.
  CHECK((!snapshot.frames.empty() && snapshot.frames.front()["type"] == "chat:message"));
  for (const json& message : of_type(snapshot.frames, "chat:message")) CHECK(message["text"] == text);
  CHECK(server.running());
}

TEST_CASE("With the disk full a whiteboard flood gets storage_full, and the process, the socket and other rooms carry on") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string flooded = new_room(server.port(), ana);
  const std::string quiet = new_room(server.port(), ben);
  // The "disk" holds a few hundred KB more than the database has now.
  std::uintmax_t largest = 0;
  for (const std::string& file : {server.db_path(), server.db_path() + "-wal"}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (!ec) largest = std::max(largest, size);
  }
  server.limit_file_size(static_cast<long long>(largest) + 300 * 1024);
  server.restart();
  REQUIRE(healthz(server.port()).status == 200);
  CHECK(healthz(server.port()).body["ok"] == true);

  WsClient b(server.port(), ben.token), c(server.port(), cy.token), a(server.port(), ana.token);
  REQUIRE(b.join(quiet)["type"] == "room:joined");
  REQUIRE(c.join(quiet)["type"] == "room:joined");
  REQUIRE(a.join(flooded)["type"] == "room:joined");
  std::optional<json> failure;
  bool answered = true;
  for (int i = 0; i < 40 && !failure && answered; ++i) {
    const auto reply = request(a, {{"type", "wb:ops"}, {"ops", {stroke_op(ana.user_id + ":" + std::to_string(i))}}}, i);
    answered = reply.has_value();
    if (reply && (*reply)["type"] == "error") failure = reply;
  }
  CHECK(answered);  // the server did not go away in the middle of it
  REQUIRE(failure);
  CHECK(((*failure)["code"] == "storage_full" || (*failure)["code"] == "internal"));
  CHECK(server.running());
  // The flooder's connection survives...
  a.send({{"type", "ping"}});
  CHECK(a.receive_type("pong"));
  // ...the server says it is degraded...
  const HttpResult health = healthz(server.port());
  CHECK(health.status == 503);
  CHECK(health.body.value("storage", "") == "degraded");
  // ...and another room still relays signaling.
  b.send({{"type", "signal:offer"}, {"to", c.peer_id}, {"sdp", "v=0\r\n"}});
  const auto offer = c.receive_type("signal:offer");
  REQUIRE(offer);
  CHECK((*offer)["from"] == b.peer_id);
  CHECK(server.running());
}

TEST_CASE("A whiteboard batch that would pass the room's element or byte quota is refused whole") {
  const auto [flag, value] = GENERATE(table<std::string, std::string>({
      {"--board-elements-per-room", "5"},
      {"--board-bytes-per-room", "4096"},
  }));
  CAPTURE(flag);
  ServerProcess server({flag, value});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  // Three small lines fit either quota...
  const std::string id = ana.user_id + ":";
  REQUIRE(answer_code(request(a, {{"type", "wb:ops"}, {"ops", {line_op(id + "1"), line_op(id + "2"), line_op(id + "3")}}}, 1)) == "ack");
  REQUIRE(b.receive_type("wb:ops"));
  // ...three more elements, one of them a 9 KB stroke, pass both.
  const auto refused = request(a, {{"type", "wb:ops"}, {"ops", {line_op(id + "4"), line_op(id + "5"), stroke_op(id + "6", 1000)}}}, 2);
  CHECK(answer_code(refused) == "quota_exceeded");
  CHECK_FALSE(b.receive_type("wb:ops", milliseconds(300)));
  WsClient c(server.port(), cy.token);
  const Snapshot snapshot = join_and_collect(c, code);
  REQUIRE(snapshot.joined["type"] == "room:joined");
  const auto board = board_of(snapshot.frames);
  CHECK(board.size() == 3);
  CHECK_FALSE(board.count(id + "4"));
}

TEST_CASE("A room keeps only its newest chat messages, and a joiner's history is exactly those") {
  ServerProcess server({"--chat-messages-per-room", "5"});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  std::vector<std::string> sent;
  for (int i = 0; i < 8; ++i) {
    sent.push_back("m" + std::to_string(i));
    REQUIRE(answer_code(request(a, {{"type", "chat:send"}, {"text", "message " + std::to_string(i)}, {"client_msg_id", sent.back()}}, i)) == "ack");
  }
  WsClient b(server.port(), ben.token);
  const Snapshot snapshot = join_and_collect(b, code);
  REQUIRE(snapshot.joined["type"] == "room:joined");
  const std::vector<std::string> newest(sent.end() - 5, sent.end());
  std::vector<std::string> history = chat_ids(snapshot.frames);
  CHECK(history == newest);  // oldest first, though all eight came within a few milliseconds
  std::sort(history.begin(), history.end());
  CHECK(history == newest);  // the oldest three were pruned
}

TEST_CASE("A user writing more board and chat bytes a minute than allowed gets quota_exceeded with retry_after") {
  ServerProcess server({"--user-write-bytes-per-minute", "20000"});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  const std::string text(4000, 'x');
  int accepted = 0;
  std::optional<json> refused;
  for (int i = 0; i < 20 && !refused; ++i) {
    const auto reply = request(a, {{"type", "chat:send"}, {"text", text}, {"client_msg_id", "c" + std::to_string(i)}}, i);
    REQUIRE(reply);
    if ((*reply)["type"] == "ack") ++accepted;
    else refused = reply;
  }
  REQUIRE(refused);
  CHECK((*refused)["code"] == "quota_exceeded");
  CHECK(accepted >= 3);  // about 20,000 bytes went through first
  CHECK(accepted <= 6);
  REQUIRE(refused->contains("retry_after"));
  CHECK((*refused)["retry_after"].is_number_integer());
  CHECK((*refused)["retry_after"].get<int>() >= 1);
  CHECK((*refused)["retry_after"].get<int>() <= 60);
  // The board counts too...
  CHECK(answer_code(request(a, {{"type", "wb:ops"}, {"ops", {stroke_op(ana.user_id + ":1", 1000)}}}, "wb")) == "quota_exceeded");
  // ...and the quota is Ana's alone.
  CHECK(answer_code(request(b, {{"type", "chat:send"}, {"text", "my turn"}, {"client_msg_id", "b1"}}, "b")) == "ack");
}
