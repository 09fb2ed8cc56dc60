// Bad input on /ws and the server's limits: every abuse gets a stable error code or a clean close,
// the server stays up, and other rooms never notice.
#include <catch2/catch.hpp>

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "server_fixture.h"

using namespace server_test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Another room, busy with its own chat, to prove it never noticed the abuse.
struct Bystanders {
  Bystanders(unsigned short port) : host(new_user(port, "Host")), code(new_room(port, host)), a(port, host.token) {
    a.join(code);
  }
  bool still_fine() {
    a.send({{"type", "chat:send"}, {"text", "still here"}, {"client_msg_id", "s1"}});
    const auto echoed = a.receive_type("chat:message", std::chrono::milliseconds(3000));
    return echoed && (*echoed)["text"] == "still here";
  }
  User host;
  std::string code;
  WsClient a;
};

}  // namespace

TEST_CASE("Malformed, mistyped and unknown messages get stable error codes and the connection survives") {
  ServerProcess server;
  Bystanders others(server.port());
  WsClient client(server.port(), new_user(server.port(), "Mallory").token);
  const auto [frame, code] = GENERATE(table<std::string, std::string>({
      {"{not json", "bad_request"},
      {"[1,2,3]", "bad_request"},
      {R"({"type": 5})", "bad_request"},
      {R"({"type": "room:explode"})", "unknown_type"},
      {R"({"type": "room:join", "room_code": 12345678})", "bad_request"},
      {R"({"type": "room:join", "room_code": "0O1Il000"})", "bad_request"},
      {R"({"type": "chat:send", "text": "", "client_msg_id": "c"})", "bad_request"},
  }));
  CAPTURE(frame);
  client.send_text(frame);
  const auto reply = client.receive_type("error");
  REQUIRE(reply);
  CHECK((*reply)["code"] == code);
  client.send({{"type", "ping"}});
  CHECK(client.receive_type("pong"));
  CHECK(others.still_fine());
}

TEST_CASE("A text frame that is not UTF-8 closes that socket with 1007, as WebSocket requires") {
  ServerProcess server;
  Bystanders others(server.port());
  WsClient client(server.port(), new_user(server.port(), "Mallory").token);
  client.send_text("\xff\xfe garbage");
  CHECK_FALSE(client.receive(std::chrono::milliseconds(3000)));
  REQUIRE(client.close_reason());
  CHECK(client.close_reason()->code == 1007);
  CHECK(others.still_fine());
}

TEST_CASE("Binary frames are refused and the connection stays open") {
  ServerProcess server;
  WsClient client(server.port(), new_user(server.port(), "Mallory").token);
  client.send_binary(std::string("\x00\x01\x02", 3));
  CHECK(client.receive_type("error").value()["code"] == "bad_request");
  client.send({{"type", "ping"}});
  CHECK(client.receive_type("pong"));
}

TEST_CASE("A frame over 64 KiB closes that socket with 1009 and nothing else") {
  ServerProcess server;
  Bystanders others(server.port());
  WsClient client(server.port(), new_user(server.port(), "Mallory").token);
  client.send_text(std::string(70 * 1024, 'x'));
  CHECK_FALSE(client.receive(std::chrono::milliseconds(3000)));
  CHECK(client.closed());
  REQUIRE(client.close_reason());
  CHECK(client.close_reason()->code == 1009);
  CHECK(others.still_fine());
  CHECK(http(server.port(), "GET", "/healthz").status == 200);
}

TEST_CASE("Ten thousand messages a second from one client: rate_limited errors, then a close") {
  ServerProcess server;
  Bystanders others(server.port());
  WsClient flooder(server.port(), new_user(server.port(), "Mallory").token);
  for (int i = 0; i < 10000 && !flooder.closed(); ++i) flooder.send({{"type", "ping"}});
  int pongs = 0, limited = 0;
  while (auto frame = flooder.receive(std::chrono::milliseconds(1000))) {
    if ((*frame)["type"] == "pong") ++pongs;
    if ((*frame)["type"] == "error" && (*frame)["code"] == "rate_limited") ++limited;
  }
  CHECK(pongs >= 200);   // the burst went through
  CHECK(pongs < 1000);   // then it was cut off
  CHECK(limited > 0);
  CHECK(flooder.closed());
  CHECK(others.still_fine());
}

TEST_CASE("A connection that never finishes its handshake is closed after the handshake timeout") {
  ServerProcess server({"--handshake-timeout-ms", "500"});
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  asio::write(socket, asio::buffer(std::string("GET /ws HTTP/1.1\r\nHost: x\r\n")));  // and never the rest
  const auto started = std::chrono::steady_clock::now();
  char byte;
  boost::system::error_code ec;
  asio::read(socket, asio::buffer(&byte, 1), ec);  // blocks until the server hangs up
  CHECK(ec);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  CHECK(http(server.port(), "GET", "/healthz").status == 200);
}

TEST_CASE("A silent socket is pinged, and dropped when nothing comes back") {
  ServerProcess server({"--idle-ping-ms", "300", "--idle-drop-ms", "900"});
  const User ana = new_user(server.port(), "Ana");
  SECTION("a live client answers the ping and stays") {
    WsClient client(server.port(), ana.token);
    CHECK_FALSE(client.receive(std::chrono::milliseconds(1500)));  // reading answers pings automatically
    CHECK_FALSE(client.closed());
  }
  SECTION("a half-open one that never reads is dropped") {
    asio::io_context io;
    boost::beast::websocket::stream<tcp::socket> ws(io);
    ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
    ws.handshake("127.0.0.1", "/ws?token=" + ana.token);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // not reading: no pong
    const auto health = http(server.port(), "GET", "/healthz");
    CHECK(health.body["connections"] == 0);
  }
}

TEST_CASE("Origins other than the server's own may not open a socket") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  CHECK_THROWS(WsClient(server.port(), ana.token, "http://evil.example"));
  CHECK_NOTHROW(WsClient(server.port(), ana.token, "http://127.0.0.1:" + std::to_string(server.port())));
}

TEST_CASE("A socket without a valid token is refused") {
  ServerProcess server;
  CHECK_THROWS(WsClient(server.port(), "forged.token.here"));
}

TEST_CASE("A reader that stops reading is dropped instead of growing the server's memory") {
  ServerProcess server({"--user-write-bytes-per-minute", "100000000"});  // the talker's own quota is not the point
  const User ana = new_user(server.port(), "Ana");
  const std::string code = new_room(server.port(), ana);
  WsClient talker(server.port(), ana.token);
  REQUIRE(talker.join(code)["type"] == "room:joined");
  asio::io_context io;
  boost::beast::websocket::stream<tcp::socket> slow(io);
  slow.next_layer().open(tcp::v4());
  slow.next_layer().set_option(asio::socket_base::receive_buffer_size(4096));  // little room in the kernel
  slow.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  const User ben = new_user(server.port(), "Ben");
  slow.handshake("127.0.0.1", "/ws?token=" + ben.token);
  slow.write(asio::buffer(json{{"type", "room:join"}, {"room_code", code}}.dump()));
  REQUIRE(talker.receive_type("room:participant-joined"));
  // The biggest chat messages (4000 emoji, 16 KB) at the allowed rate until the silent reader's
  // queue passes 1 MiB.
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "\xF0\x9F\x8E\xB5";
  bool dropped = false;
  for (int round = 0; round < 30 && !dropped; ++round) {
    for (int i = 0; i < 40; ++i) talker.send({{"type", "chat:send"}, {"text", text}, {"client_msg_id", "c" + std::to_string(i)}});
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    while (talker.receive(std::chrono::milliseconds(10))) {}
    dropped = http(server.port(), "GET", "/healthz").body["connections"] == 1;
  }
  CHECK(dropped);
}
