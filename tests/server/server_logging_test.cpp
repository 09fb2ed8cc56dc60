// What an operator sees: the server's log (stderr, spdlog) states its settings at start, and names
// the connection, address, user and room of every refused request and every storage failure. Before
// this, nothing at all was logged, so none of the abuse the other tests replay would have shown.
#include <catch2/catch.hpp>

#include <thread>

#include "server_fixture.h"

using namespace server_test;

namespace {

// The log, once it holds `needle` (log lines are flushed as they are written), or what it holds after 5 s.
std::string log_containing(const ServerProcess& server, const std::string& needle) {
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text = server.log_text();
    if (text.find(needle) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return text;
}

}  // namespace

TEST_CASE("The log states the server's settings at start, and names who made each refused request") {
  ServerProcess server({"--log-level", "info"});
  const std::string startup = log_containing(server, "quotas:");
  CHECK(startup.find("limits: connections 4000 (200 per address)") != std::string::npos);
  CHECK(startup.find("quotas: board 8388608 B") != std::string::npos);

  const User mallory = new_user(server.port(), "Mallory");
  const std::string code = new_room(server.port(), mallory);
  WsClient client(server.port(), mallory.token);
  REQUIRE(client.join(code)["type"] == "room:joined");
  client.send({{"type", "room:host-kick"}, {"target_user_id", "nobody"}});
  REQUIRE(client.receive_type("error"));
  const std::string text = log_containing(server, "refused not_in_room");
  const auto line_start = text.rfind('\n', text.find("refused not_in_room"));
  const std::string line = text.substr(line_start + 1, text.find('\n', line_start + 1) - line_start - 1);
  CAPTURE(line);
  CHECK(line.find(" info ") != std::string::npos);
  CHECK(line.find("127.0.0.1") != std::string::npos);
  CHECK(line.find("user=" + mallory.user_id) != std::string::npos);
  CHECK(line.find("room=" + code) != std::string::npos);
  CHECK(line.find(" c") != std::string::npos);  // the connection id, "c<n>"
}

TEST_CASE("A flood of refused requests is logged within a budget, with a count of the lines left out") {
  ServerProcess server;
  WsClient client(server.port(), new_user(server.port(), "Mallory").token);
  for (int i = 0; i < 150; ++i) client.send({{"type", "chat:send"}, {"text", "x"}, {"client_msg_id", "c"}});
  for (int i = 0; i < 150; ++i) REQUIRE(client.receive_type("error"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the next second's first line reports the rest
  client.send({{"type", "chat:send"}, {"text", "x"}, {"client_msg_id", "c"}});
  REQUIRE(client.receive_type("error"));
  const std::string text = log_containing(server, "more refused requests were not logged");
  std::size_t refused_lines = 0;
  for (std::size_t at = text.find("refused not_in_room"); at != std::string::npos; at = text.find("refused not_in_room", at + 1)) {
    ++refused_lines;
  }
  CHECK(refused_lines <= 41);  // 20 a second, over at most two seconds, plus the last one
  CHECK(text.find("more refused requests were not logged") != std::string::npos);
}

TEST_CASE("At log level warn refused requests stay out of the log, and a bad level is refused at start") {
  ServerProcess server({"--log-level", "warn"});
  WsClient client(server.port(), new_user(server.port(), "Mallory").token);
  client.send({{"type", "chat:send"}, {"text", "x"}, {"client_msg_id", "c"}});
  REQUIRE(client.receive_type("error"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(server.log_text().find("refused") == std::string::npos);
  CHECK_THROWS(ServerProcess({"--log-level", "loud"}));
}
