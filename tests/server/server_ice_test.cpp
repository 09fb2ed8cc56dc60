// The server hands every client its STUN and TURN servers in hello, TURN with coturn shared-secret
// credentials (server-stub/ice_servers.h), and refuses to start on an ICE flag it cannot use.
// The example.org names are only words in a frame here: nothing ever connects to them.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include <unistd.h>

#include "ice_servers.h"
#include "server_fixture.h"

using namespace server_test;

namespace {

std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("A TURN credential is base64 of HMAC-SHA1 of the username under the shared secret") {
  // RFC 2202's second HMAC-SHA1 test case, then one made with Python's hmac module.
  CHECK(mehfil::server::turn_credential("Jefe", "what do ya want for nothing?") == "7/zfauXrL6LSdBbV8YTfnCWafHk=");
  CHECK(mehfil::server::turn_credential("s3cret", "1700000000:u_ana") == "RiKLK0ylTtIZCla3PoY+/P/GysM=");
}

TEST_CASE("Without ICE flags hello names no servers, and calls use host candidates only") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  WsClient ws(server.port(), ana.token);
  CHECK(ws.hello["ice_servers"] == json::array());
}

TEST_CASE("Each socket's hello names the STUN and TURN servers, TURN with a credential for that user until the TTL") {
  ServerProcess server({"--stun", "stun:stun.example.org:3478", "--turn", "turn:turn.example.org:3478?transport=udp",
                        "--turn", "turns:turn.example.org:5349?transport=tcp", "--turn-secret", "s3cret",
                        "--turn-ttl", "3600"});
  const User ana = new_user(server.port(), "Ana");
  const std::int64_t before = unix_seconds();
  WsClient ws(server.port(), ana.token);
  const std::int64_t after = unix_seconds();
  const json servers = ws.hello["ice_servers"];
  REQUIRE(servers.size() == 3);
  CHECK(servers[0] == json{{"urls", "stun:stun.example.org:3478"}});
  for (int i : {1, 2}) {
    CAPTURE(i);
    const std::string username = servers[i]["username"];
    const auto colon = username.find(':');
    REQUIRE(colon != std::string::npos);
    const std::int64_t expiry = std::stoll(username.substr(0, colon));
    CHECK(expiry >= before + 3600);
    CHECK(expiry <= after + 3600);
    CHECK(username.substr(colon + 1) == ana.user_id);
    CHECK(servers[i]["credential"] == mehfil::server::turn_credential("s3cret", username));
  }
  CHECK(servers[1]["urls"] == "turn:turn.example.org:3478?transport=udp");
  CHECK(servers[2]["urls"] == "turns:turn.example.org:5349?transport=tcp");
  CHECK(server.log_text().find("s3cret") == std::string::npos);  // the secret is never logged
}

TEST_CASE("A TURN secret in a file (--turn-secret-file) is read from its first line, so it stays out of the process list") {
  const std::string path = "/tmp/mehfil-turn-secret-" + std::to_string(::getpid());
  FILE* file = std::fopen(path.c_str(), "w");
  REQUIRE(file);
  std::fputs("from-a-file\n", file);
  std::fclose(file);
  ServerProcess server({"--turn", "turn:turn.example.org:3478", "--turn-secret-file", path});
  std::remove(path.c_str());
  const User ana = new_user(server.port(), "Ana");
  WsClient ws(server.port(), ana.token);
  const json turn = ws.hello["ice_servers"].at(0);
  CHECK(turn["credential"] == mehfil::server::turn_credential("from-a-file", turn["username"].get<std::string>()));
}

TEST_CASE("An ICE flag the server cannot use stops it at start with one line naming the flag, exit 2") {
  const auto [flags, says] = GENERATE(table<std::string, std::string>({
      {"--turn turn:turn.example.org", "--turn needs --turn-secret"},
      {"--turn http://turn.example.org --turn-secret s", "--turn http://turn.example.org: must be a stun:, turn: or turns: URL"},
      {"--turn stun:stun.example.org --turn-secret s", "--turn stun:stun.example.org: must start with turn: or turns:"},
      {"--stun turn:turn.example.org", "--stun turn:turn.example.org: must start with stun:"},
      {"--stun stun:", "--stun stun:: must be a stun:, turn: or turns: URL"},
      {"--turn-ttl 5", "bad value for --turn-ttl: 5"},
      {"--turn-secret-file /nonexistent/secret", "--turn-secret-file /nonexistent/secret: cannot read a secret"},
  }));
  CAPTURE(flags);
  const StartupRun run = run_server_until_exit(flags);
  CHECK(run.exit_code == 2);
  CHECK(run.output.find("mehfil-server: " + says) == 0);
}

TEST_CASE("A socket open for half the TURN credential's life gets fresh ones in ice:servers, and only with TURN") {
  ServerProcess server({"--turn", "turn:turn.example.org:3478", "--turn-secret", "s3cret", "--turn-ttl", "3600",
                        "--ice-refresh-ms", "300", "--sweep-ms", "100"});
  const User ana = new_user(server.port(), "Ana");
  WsClient ws(server.port(), ana.token);
  const std::string first = ws.hello["ice_servers"][0]["username"];
  const auto fresh = ws.receive_type("ice:servers", std::chrono::milliseconds(5000));
  REQUIRE(fresh);
  const json turn = (*fresh)["ice_servers"].at(0);
  CHECK(turn["urls"] == "turn:turn.example.org:3478");
  const std::string username = turn["username"];
  CHECK(username.substr(username.find(':')) == ":" + ana.user_id);
  CHECK(std::stoll(username) >= std::stoll(first));
  CHECK(turn["credential"] == mehfil::server::turn_credential("s3cret", username));

  ServerProcess stun_only({"--stun", "stun:stun.example.org", "--ice-refresh-ms", "300", "--sweep-ms", "100"});
  const User ben = new_user(stun_only.port(), "Ben");
  WsClient plain(stun_only.port(), ben.token);
  CHECK_FALSE(plain.receive_type("ice:servers", std::chrono::milliseconds(1500)));
}
