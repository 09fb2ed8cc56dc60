// The server's HTTP edge, probed the way the defects were found (issue "The server never falls
// over", defects 7 and 10): connection caps per address and in total, backing off when accept runs
// out of file descriptors, CORS on /api, the Host and Origin rules that stop DNS rebinding, the
// security headers on every answer, /healthz methods, and paths that must not reach a file ("/.",
// directories, symlinks out of the web root).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "server_fixture.h"

using namespace server_test;
namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// A header's value, or empty when the answer has none.
std::string header(const HttpResult& result, const std::string& name) {
  const auto found = result.headers.find(name);
  return found == result.headers.end() ? std::string() : found->second;
}

std::string host_of(unsigned short port) { return "127.0.0.1:" + std::to_string(port); }

// One connection kept open across requests (keep-alive), on a shared io_context.
class OpenConnection {
 public:
  OpenConnection(asio::io_context& io, unsigned short port) : io_(io), socket_(io) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    port_ = port;
  }
  // GET `target`; nothing if no answer came in time or the connection failed.
  std::optional<HttpResult> get(const std::string& target, std::chrono::milliseconds within = 3000ms) {
    request_ = "GET " + target + " HTTP/1.1\r\nHost: " + host_of(port_) + "\r\n\r\n";
    parser_.emplace();
    bool answered = false;
    asio::async_write(socket_, asio::buffer(request_), [&](boost::system::error_code ec, std::size_t) {
      if (ec) return;
      beast_http::async_read(socket_, buffer_, *parser_, [&](boost::system::error_code read_ec, std::size_t) { answered = !read_ec; });
    });
    io_.restart();
    io_.run_for(within);
    if (!answered) return std::nullopt;
    const auto response = parser_->release();
    HttpResult result;
    result.status = response.result_int();
    for (const auto& field : response) result.headers[std::string(field.name_string())] = std::string(field.value());
    result.body = json::parse(response.body(), nullptr, false);
    return result;
  }
  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  asio::io_context& io_;
  tcp::socket socket_;
  unsigned short port_ = 0;
  std::string request_;
  boost::beast::flat_buffer buffer_;
  std::optional<beast_http::response_parser<beast_http::string_body>> parser_;
};

// GET /healthz on fresh connections until one answers 200 or `within` has passed.
bool healthz_answers_within(unsigned short port, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto answer = http_exchange(port, "GET /healthz HTTP/1.1\r\nHost: " + host_of(port) + "\r\nConnection: close\r\n\r\n", 1000ms);
    if (answer && answer->status == 200) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

// User plus system CPU time the process has used, in seconds (/proc/PID/stat fields 14 and 15).
double cpu_seconds(int pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // the name may hold spaces
  std::string field;
  double ticks = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14 || index == 15) ticks += std::stod(field);
    if (index == 15) break;
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string web_folder(const ServerProcess& server) {
  return std::filesystem::path(server.db_path()).parent_path().string();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A folder outside every web root, removed at the end of the test.
struct OutsideFolder {
  OutsideFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mehfil-outside-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~OutsideFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::filesystem::path path;
};

std::string upgrade_request(const std::string& host, const std::string& origin, const std::string& token) {
  return "GET /ws?token=" + token + " HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Version: 13\r\n\r\n";
}

}  // namespace

TEST_CASE("Past the per-address cap the next connection gets 503 rate_limited with Retry-After, and /healthz answers once some close") {
  ServerProcess server({"--max-connections-per-address", "50"});
  asio::io_context io;
  std::vector<std::unique_ptr<OpenConnection>> connections;
  int answered = 0;
  int refused = 0;
  for (int i = 0; i < 80; ++i) {
    connections.push_back(std::make_unique<OpenConnection>(io, server.port()));
    const auto answer = connections.back()->get("/healthz");
    REQUIRE(answer);
    if (answer->status == 200) ++answered;
    if (answer->status == 503) {
      ++refused;
      CHECK(answer->body["error"]["code"] == "rate_limited");
      CHECK(answer->headers.count("Retry-After"));
      CHECK(header(*answer, "Connection") == "close");
    }
  }
  CHECK(answered == 50);
  CHECK(refused == 30);
  // The 50 kept-alive connections still hold their places; letting 20 go makes room again.
  for (int i = 0; i < 20; ++i) connections[static_cast<std::size_t>(i)]->close();
  CHECK(healthz_answers_within(server.port(), 3000ms));
}

TEST_CASE("A WebSocket keeps its connection slot for its whole life, and gives it back when it closes") {
  ServerProcess server({"--max-connections", "3"});
  const User ana = new_user(server.port(), "Ana");  // on a connection of its own, closed again
  REQUIRE(healthz_answers_within(server.port(), 2000ms));
  std::vector<std::unique_ptr<WsClient>> sockets;
  for (int i = 0; i < 3; ++i) sockets.push_back(std::make_unique<WsClient>(server.port(), ana.token));
  const auto refused = http_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: " + host_of(server.port()) + "\r\n\r\n");
  REQUIRE(refused);
  CHECK(refused->status == 503);
  CHECK(refused->body["error"]["code"] == "rate_limited");
  sockets.pop_back();
  CHECK(healthz_answers_within(server.port(), 3000ms));
}

TEST_CASE("Out of file descriptors the server backs off instead of spinning, and answers again once clients leave") {
  ServerProcess server;
  server.limit_open_files(64);
  asio::io_context io;
  std::vector<std::unique_ptr<tcp::socket>> held;
  for (int i = 0; i < 100; ++i) {  // the kernel completes these whether or not the server accepts them
    held.push_back(std::make_unique<tcp::socket>(io));
    held.back()->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  }
  std::this_thread::sleep_for(300ms);  // long enough to have run out
  const double before = cpu_seconds(server.pid());
  std::this_thread::sleep_for(1000ms);
  const double used = cpu_seconds(server.pid()) - before;
  CHECK(used < 0.3);
  held.clear();
  CHECK(healthz_answers_within(server.port(), 5000ms));
  CHECK(server.running());
}

TEST_CASE("A CORS preflight for /api is answered 204 for an allowed origin and 403 for any other") {
  using Flags = std::vector<std::string>;
  const auto [flags, origin, allowed] = GENERATE(table<Flags, std::string, bool>({
      {Flags{}, "http://localhost:5173", true},  // loopback names are the server's own on any port
      {Flags{}, "https://127.0.0.1:8443", true},  // the same host behind a TLS proxy
      {Flags{}, "https://evil.example", false},
      {Flags{}, "null", false},
      {Flags{"--origin", "https://embed.example"}, "https://embed.example", true},
      {Flags{"--origin", "https://embed.example"}, "http://localhost:5173", false},
  }));
  CAPTURE(flags, origin);
  ServerProcess server(flags);
  const auto answer = http(server.port(), "OPTIONS", "/api/rooms/create", std::nullopt, {},
                           {{"Origin", origin}, {"Access-Control-Request-Method", "POST"},
                            {"Access-Control-Request-Headers", "authorization, content-type"}});
  if (allowed) {
    CHECK(answer.status == 204);
    CHECK(header(answer, "Access-Control-Allow-Origin") == origin);
    CHECK(header(answer, "Access-Control-Allow-Methods") == "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    CHECK(header(answer, "Access-Control-Allow-Headers") == "Authorization, Content-Type");
    CHECK(header(answer, "Access-Control-Max-Age") == "600");
    CHECK(header(answer, "Vary") == "Origin");
    CHECK_FALSE(answer.headers.count("Access-Control-Allow-Credentials"));
  } else {
    CHECK(answer.status == 403);
    CHECK(answer.body["error"]["code"] == "unauthorized");
    CHECK_FALSE(answer.headers.count("Access-Control-Allow-Origin"));
  }
}

TEST_CASE("API answers to an allowed Origin carry Access-Control-Allow-Origin and Vary, others only Vary") {
  ServerProcess server;
  const std::map<std::string, std::string> allowed{{"Origin", "http://localhost:5173"}};
  const auto session = http(server.port(), "POST", "/api/session", json{{"display_name", "Ana"}}, {}, allowed);
  CHECK(session.status == 201);
  CHECK(header(session, "Access-Control-Allow-Origin") == "http://localhost:5173");
  CHECK(header(session, "Vary") == "Origin");
  const auto missing = http(server.port(), "GET", "/api/rooms/ZZZZZZZZ", std::nullopt, session.body["token"], allowed);
  CHECK(missing.status == 404);
  CHECK(header(missing, "Access-Control-Allow-Origin") == "http://localhost:5173");

  const auto other = http(server.port(), "GET", "/api/rooms/ZZZZZZZZ", std::nullopt, session.body["token"],
                          {{"Origin", "https://evil.example"}});
  CHECK(other.status == 404);
  CHECK_FALSE(other.headers.count("Access-Control-Allow-Origin"));
  CHECK(header(other, "Vary") == "Origin");
}

TEST_CASE("A Host the server does not answer to gets 421, so a DNS-rebinding page reaches neither the API nor the socket") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const std::string port = std::to_string(server.port());
  const auto [host, allowed] = GENERATE_COPY(table<std::string, bool>({
      {"evil.example:8080", false},
      {"rebind.example", false},
      {"127.0.0.1.evil.example", false},
      {"localhost:" + port, true},
      {"[::1]:" + port, true},
      {"127.0.0.1:" + port, true},
  }));
  CAPTURE(host);
  const auto rooms = http(server.port(), "GET", "/api/user/rooms", std::nullopt, ana.token, {{"Host", host}});
  if (allowed) {
    CHECK(rooms.status == 200);
  } else {
    CHECK(rooms.status == 421);
    CHECK(rooms.body["error"]["code"] == "bad_request");
  }
  // The page's own origin matches its Host, which is how a rebinding page passes an Origin check.
  const auto upgrade = http_exchange(server.port(), upgrade_request(host, "http://" + host, ana.token));
  REQUIRE(upgrade);
  CHECK((upgrade->status == 101) == allowed);
  if (!allowed) CHECK(upgrade->status == 421);
}

TEST_CASE("The socket accepts the site's own origin over https as well as http, and refuses other origins") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const std::string self = host_of(server.port());
  CHECK_NOTHROW(WsClient(server.port(), ana.token, "http://" + self));
  CHECK_NOTHROW(WsClient(server.port(), ana.token, "https://" + self));  // behind a TLS proxy
  const auto foreign = http_exchange(server.port(), upgrade_request(self, "https://evil.example", ana.token));
  REQUIRE(foreign);
  CHECK(foreign->status == 403);
  CHECK(foreign->body["error"]["code"] == "unauthorized");
}

TEST_CASE("Every answer carries the Content-Security-Policy, Referrer-Policy and nosniff headers") {
  ServerProcess server;
  write_file(std::filesystem::path(web_folder(server)) / "index.html", "<!doctype html><title>Mehfil</title>");
  const std::string self = host_of(server.port());
  const auto [method, target, status, site_page] = GENERATE(table<std::string, std::string, unsigned, bool>({
      {"GET", "/", 200, true},
      {"HEAD", "/", 200, true},
      {"GET", "/no-such-file.js", 404, true},
      {"GET", "/api/rooms/ZZZZZZZZ", 401, true},  // an API error
      {"POST", "/api/session", 400, true},
      {"DELETE", "/index.html", 405, true},
      {"GET", "/ws", 426, true},
      {"GET", "/healthz", 200, false},
  }));
  CAPTURE(method, target);
  const auto answer = http(server.port(), method, target);
  CHECK(answer.status == status);
  const std::string csp = header(answer, "Content-Security-Policy");
  CHECK_THAT(csp, Catch::Contains("frame-ancestors *"));
  if (site_page) {
    CHECK_THAT(csp, Catch::Contains("default-src 'self'"));
    CHECK_THAT(csp, Catch::Contains("'wasm-unsafe-eval'"));
    CHECK_THAT(csp, Catch::Contains("object-src 'none'"));
    CHECK_THAT(csp, Catch::Contains("connect-src 'self' ws://" + self + " wss://" + self));
    CHECK_THAT(csp, !Catch::Contains("script-src 'self' 'unsafe-inline'"));
  }
  CHECK(header(answer, "Referrer-Policy") == "no-referrer");
  CHECK(header(answer, "X-Content-Type-Options") == "nosniff");
}

TEST_CASE("The frame-ancestors flag sets who may embed the pages") {
  ServerProcess server({"--frame-ancestors", "https://embed.example"});
  const auto answer = http(server.port(), "GET", "/missing");
  CHECK_THAT(header(answer, "Content-Security-Policy"), Catch::EndsWith("frame-ancestors https://embed.example"));
}

TEST_CASE("/healthz answers GET and HEAD, and any other method 405 with Allow: GET, HEAD") {
  ServerProcess server;
  const std::string method = GENERATE(as<std::string>{}, "GET", "HEAD", "POST", "DELETE", "PUT", "OPTIONS");
  CAPTURE(method);
  const auto answer = http(server.port(), method, "/healthz");
  if (method == "GET" || method == "HEAD") {
    CHECK(answer.status == 200);
  } else {
    CHECK(answer.status == 405);
    CHECK(header(answer, "Allow") == "GET, HEAD");
  }
}

TEST_CASE("A dot segment, a directory without its slash and a symlink out of the web root are answered 404 at once") {
  ServerProcess server;
  const std::filesystem::path web = web_folder(server);
  OutsideFolder outside;
  write_file(outside.path / "secret.txt", "not for the web");
  write_file(web / "index.html", "<!doctype html><title>Mehfil</title>");
  write_file(web / "sub" / "index.html", "<!doctype html><title>Sub</title>");
  write_file(web / "sub" / "page.txt", "inside");
  std::filesystem::create_symlink(outside.path / "secret.txt", web / "leak.txt");
  std::filesystem::create_directory_symlink(outside.path, web / "out");
  std::filesystem::create_symlink(web / "sub" / "page.txt", web / "alias.txt");  // stays inside: fine

  const auto [target, status] = GENERATE(table<std::string, unsigned>({
      {"/.", 404},
      {"/./", 404},
      {"/sub/.", 404},
      {"/./index.html", 404},
      {"/sub", 404},
      {"/leak.txt", 404},
      {"/out/secret.txt", 404},
      {"/out/", 404},
      {"/sub/", 200},
      {"/sub/page.txt", 200},
      {"/alias.txt", 200},
  }));
  CAPTURE(target);
  const auto answer = http_exchange(server.port(), "GET " + target + " HTTP/1.1\r\nHost: " + host_of(server.port()) + "\r\n\r\n", 2000ms);
  REQUIRE(answer);
  CHECK(answer->status == status);
}
