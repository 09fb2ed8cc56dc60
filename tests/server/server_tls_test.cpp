// HTTPS and WSS on the server's one port (--tls-cert/--tls-key), the redirect of plain HTTP on it,
// SIGHUP reloading a renewed certificate without dropping calls, --public-url, and the flags the
// server refuses to start with. Certificates are made here with the openssl command, as an operator
// would; the clients are Beast over OpenSSL, verifying the server against the test's certificate.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/x509.h>

#include "server_fixture.h"

using namespace server_test;

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

// A folder of certificates for one test, removed afterwards.
struct CertFolder {
  std::string path;
  CertFolder() {
    char pattern[] = "/tmp/mehfil-tls-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~CertFolder() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return path + "/" + name; }

  // A self-signed P-256 certificate for localhost and 127.0.0.1 with subject CN `name`, as
  // NAME.crt and NAME.key.
  void make(const std::string& name) const {
    const std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj '/CN=" +
                                name + "' -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " + file(name + ".key") +
                                " -out " + file(name + ".crt") + " 2>/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
  }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// A TLS connection to the server on loopback that trusts `ca_file` only and checks the name.
class TlsConnection {
 public:
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;

  TlsConnection(unsigned short port, const std::string& ca_file) : context_(ssl::context::tls_client), stream_(io_, context_) {
    context_.load_verify_file(ca_file);
    stream_.set_verify_mode(ssl::verify_peer);
    stream_.set_verify_callback(ssl::host_name_verification("localhost"));
    SSL_set_tlsext_host_name(stream_.native_handle(), "localhost");
    beast::get_lowest_layer(stream_).connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    stream_.handshake(ssl::stream_base::client);
  }

  // The common name of the certificate the server presented.
  std::string peer_name() {
    X509* cert = SSL_get1_peer_certificate(stream_.native_handle());
    REQUIRE(cert);
    char name[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name, sizeof name);
    X509_free(cert);
    return name;
  }

  HttpResult request(const std::string& method, const std::string& target, const std::optional<json>& body = std::nullopt,
                     const std::string& token = {}) {
    bhttp::request<bhttp::string_body> request{bhttp::string_to_verb(method), target, 11};
    request.set(bhttp::field::host, "localhost");
    if (!token.empty()) request.set(bhttp::field::authorization, "Bearer " + token);
    if (body) {
      request.set(bhttp::field::content_type, "application/json");
      request.body() = body->dump();
    }
    request.prepare_payload();
    bhttp::write(stream_, request);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(stream_, buffer, response);
    HttpResult result;
    result.status = response.result_int();
    for (const auto& field : response) result.headers[std::string(field.name_string())] = std::string(field.value());
    result.body = json::parse(response.body(), nullptr, false);
    return result;
  }


 private:
  boost::asio::io_context io_;
  ssl::context context_;
  TlsStream stream_;
};

// A signaling socket over wss://, joined to nothing yet.
class WssClient {
 public:
  WssClient(unsigned short port, const std::string& ca_file, const std::string& token)
      : context_(ssl::context::tls_client), ws_(io_, context_) {
    context_.load_verify_file(ca_file);
    ws_.next_layer().set_verify_mode(ssl::verify_peer);
    ws_.next_layer().set_verify_callback(ssl::host_name_verification("localhost"));
    SSL_set_tlsext_host_name(ws_.next_layer().native_handle(), "localhost");
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    ws_.next_layer().handshake(ssl::stream_base::client);
    ws_.handshake("localhost:" + std::to_string(port), "/ws?token=" + token);
  }
  void send(const json& message) { ws_.write(boost::asio::buffer(message.dump())); }
  // The next frame of `type`, skipping others; nothing if the socket closes first.
  std::optional<json> receive_type(const std::string& type) {
    for (;;) {
      beast::flat_buffer buffer;
      beast::error_code ec;
      ws_.read(buffer, ec);
      if (ec) return std::nullopt;
      json frame = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
      if (frame["type"] == type) return frame;
    }
  }

 private:
  boost::asio::io_context io_;
  ssl::context context_;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
};

User tls_user(unsigned short port, const std::string& ca, const std::string& name) {
  TlsConnection connection(port, ca);
  const auto result = connection.request("POST", "/api/session", json{{"display_name", name}});
  REQUIRE(result.status == 201);
  return {result.body["user_id"], result.body["display_name"], result.body["token"]};
}

std::string tls_room(unsigned short port, const std::string& ca, const User& host) {
  TlsConnection connection(port, ca);
  const auto result = connection.request("POST", "/api/rooms/create", json::object(), host.token);
  REQUIRE(result.status == 201);
  return result.body["room_code"];
}

// Waits until the server's log holds `text` (up to 5 s).
bool log_shows(const ServerProcess& server, const std::string& text) {
  for (int i = 0; i < 100; ++i) {
    if (server.log_text().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace

TEST_CASE("With a certificate the port speaks HTTPS and WSS, and every answer carries Strict-Transport-Security") {
  CertFolder certs;
  certs.make("one");
  ServerProcess server({"--tls-cert", certs.file("one.crt"), "--tls-key", certs.file("one.key")});
  const std::string ca = certs.file("one.crt");

  TlsConnection connection(server.port(), ca);
  const auto health = connection.request("GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.headers.at("Strict-Transport-Security") == "max-age=31536000");
  const auto missing = connection.request("GET", "/no-such-page");  // the same keep-alive connection
  CHECK(missing.status == 404);
  CHECK(missing.headers.count("Strict-Transport-Security") == 1);

  const User ana = tls_user(server.port(), ca, "Ana");
  const std::string room = tls_room(server.port(), ca, ana);
  WssClient ws(server.port(), ca, ana.token);
  ws.send({{"type", "room:join"}, {"room_code", room}});
  const auto joined = ws.receive_type("room:joined");
  REQUIRE(joined);
  CHECK((*joined)["room"]["room_code"] == room);
}

TEST_CASE("Plain HTTP on the TLS port is sent to the same address on https, for a Host the server answers to") {
  CertFolder certs;
  certs.make("one");
  ServerProcess server({"--tls-cert", certs.file("one.crt"), "--tls-key", certs.file("one.key")});
  const std::string host = "localhost:" + std::to_string(server.port());

  const auto redirected = http_exchange(server.port(), "GET /r/ABCD2345?x=1 HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
  REQUIRE(redirected);
  CHECK(redirected->status == 308);
  CHECK(redirected->headers.at("Location") == "https://" + host + "/r/ABCD2345?x=1");

  const auto elsewhere = http_exchange(server.port(), "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
  REQUIRE(elsewhere);
  CHECK(elsewhere->status == 421);
  CHECK(elsewhere->headers.count("Location") == 0);

  // Plain servers send no HSTS: a browser would otherwise pin http://localhost to https.
  ServerProcess plain;
  CHECK(healthz(plain.port()).headers.count("Strict-Transport-Security") == 0);
}

TEST_CASE("SIGHUP serves a renewed certificate to new connections while a call's socket stays up") {
  CertFolder certs;
  certs.make("one");
  certs.make("two");
  write_file(certs.file("live.crt"), read_file(certs.file("one.crt")));
  write_file(certs.file("live.key"), read_file(certs.file("one.key")));
  write_file(certs.file("both.crt"), read_file(certs.file("one.crt")) + read_file(certs.file("two.crt")));
  ServerProcess server({"--tls-cert", certs.file("live.crt"), "--tls-key", certs.file("live.key")});
  const std::string ca = certs.file("both.crt");

  const User ana = tls_user(server.port(), ca, "Ana");
  const std::string room = tls_room(server.port(), ca, ana);
  WssClient ws(server.port(), ca, ana.token);
  ws.send({{"type", "room:join"}, {"room_code", room}});
  REQUIRE(ws.receive_type("room:joined"));
  CHECK(TlsConnection(server.port(), ca).peer_name() == "one");

  SECTION("a renewal that loads is served from then on") {
    write_file(certs.file("live.crt"), read_file(certs.file("two.crt")));
    write_file(certs.file("live.key"), read_file(certs.file("two.key")));
    ::kill(server.pid(), SIGHUP);
    REQUIRE(log_shows(server, "SIGHUP: certificate reloaded"));
    CHECK(TlsConnection(server.port(), ca).peer_name() == "two");
  }
  SECTION("a half-written renewal (a new certificate, the old key) is refused and the old one stays") {
    write_file(certs.file("live.crt"), read_file(certs.file("two.crt")));
    ::kill(server.pid(), SIGHUP);
    REQUIRE(log_shows(server, "the certificate was not reloaded"));
    CHECK(TlsConnection(server.port(), ca).peer_name() == "one");
  }
  // The socket made before the reload still carries the call.
  ws.send({{"type", "chat:send"}, {"text", "still here"}, {"client_msg_id", "c1"}});
  const auto echoed = ws.receive_type("chat:message");
  REQUIRE(echoed);
  CHECK((*echoed)["text"] == "still here");
  CHECK(server.running());
}

TEST_CASE("A public URL (--public-url) makes room links whole and its origin the one allowed to open the socket") {
  ServerProcess server({"--public-url", "https://meet.example.org/"});
  const User ana = new_user(server.port(), "Ana");
  const auto created = http(server.port(), "POST", "/api/rooms/create", json::object(), ana.token);
  REQUIRE(created.status == 201);
  CHECK(created.body["link"] == "https://meet.example.org/room/" + created.body["room_code"].get<std::string>());

  CHECK_NOTHROW(WsClient(server.port(), ana.token, "https://meet.example.org"));
  CHECK_THROWS(WsClient(server.port(), ana.token, "https://elsewhere.example"));
  CHECK_THROWS(WsClient(server.port(), ana.token, "http://127.0.0.1:" + std::to_string(server.port())));
}

TEST_CASE("The server refuses to start on a TLS or public-URL flag it cannot use, in one line naming the flag") {
  // DIR/ stands for this run's certificate folder: every row of the table runs the test anew.
  const auto [row, named] = GENERATE(table<std::string, std::string>({
      {"--tls-cert DIR/absent.crt --tls-key DIR/one.key", "--tls-cert"},
      {"--tls-cert DIR/garbage.pem --tls-key DIR/one.key", "--tls-cert"},
      {"--tls-cert DIR/one.crt --tls-key DIR/garbage.pem", "--tls-key"},
      {"--tls-cert DIR/one.crt --tls-key DIR/two.key", "--tls-key"},
      {"--tls-cert DIR/one.crt", "--tls-cert"},
      {"--tls-key DIR/one.key", "--tls-key"},
      {"--public-url meet.example.org", "--public-url"},
      {"--public-url https://meet.example.org/rooms", "--public-url"},
      {"--public-url ftp://meet.example.org", "--public-url"},
  }));
  CertFolder certs;
  certs.make("one");
  certs.make("two");
  write_file(certs.file("garbage.pem"), "not a certificate\n");
  std::string flags = row;
  for (auto at = flags.find("DIR/"); at != std::string::npos; at = flags.find("DIR/")) flags.replace(at, 4, certs.path + "/");
  CAPTURE(flags);
  const StartupRun run = run_server_until_exit(flags);
  CHECK(run.exit_code == 2);
  CHECK(run.output.rfind("mehfil-server: " + named, 0) == 0);
  CHECK(std::count(run.output.begin(), run.output.end(), '\n') == 1);
}
