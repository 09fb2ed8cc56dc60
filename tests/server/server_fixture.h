// A real mehfil-server on loopback for tests: started as a child process on a free port with a
// fresh SQLite file, plus small synchronous HTTP and WebSocket clients (Boost.Beast) to talk to it.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace server_test {

using nlohmann::json;

class ServerProcess {
 public:
  // Starts the server with a fresh database in a fresh folder (kept across restart()).
  explicit ServerProcess(std::vector<std::string> extra_flags = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  std::string db_path() const { return folder_ + "/mehfil.db"; }
  // The server's stderr (its log lines), kept beside the folder so the server never serves it.
  std::string log_path() const { return folder_ + "-server.log"; }
  std::string log_text() const;
  void kill_hard();  // SIGKILL, as a crash would
  void restart();    // a new process on the same database (and the same port when free)
  bool running();
  // From the next start (restart()) on, the server may write no file past `bytes` (RLIMIT_FSIZE)
  // and ignores SIGXFSZ, so a write past it fails as it would on a full disk. Nothing: no limit.
  void limit_file_size(std::optional<long long> bytes) { file_size_limit_ = bytes; }

 private:
  void start(unsigned short port);
  std::vector<std::string> flags_;
  std::string folder_;
  int pid_ = -1;
  unsigned short port_ = 0;
  std::optional<long long> file_size_limit_;

 public:
  // Lowers the server's limit on open files (soft and hard: it raises its soft limit to the hard
  // one as it starts) to `count`, now and after every restart, so a test can run it out of them.
  void limit_open_files(long count);
  int pid() const { return pid_; }

 private:
  std::optional<long> open_files_limit_;
};

// The path of the mehfil-server binary under test (MEHFIL_BIN_DIR, else build/native/bin).
std::string server_binary();
// What `command` (run by the shell) printed on stdout; its stderr goes where this process's goes.
std::string shell_output(const std::string& command);
// A path for a test's own files: in a folder of this test process's own under the temp directory.
std::filesystem::path scratch_path(const std::string& name);
std::string read_file(const std::filesystem::path& path);
// A picture made by ffmpeg's test pattern at `size` ("1200x800"), its kind from `name`'s ending;
// `extra` goes before the output (codec options, metadata).
std::string picture(const std::string& name, const std::string& size, const std::string& extra = "");
// ffprobe's codec, width and height of a picture's bytes: "webp,256,256".
std::string probed(const std::string& bytes);

// The server started with `flags` (a free port, a database path that is never made because it is
// expected to refuse to start), run until it exits: what it printed (stdout and stderr) and its
// exit status. For the tests of flags it must refuse.
struct StartupRun {
  int exit_code = -1;
  std::string output;
};
StartupRun run_server_until_exit(const std::string& flags);

// Header names compare as HTTP compares them, whatever case the server wrote them in.
struct HeaderNameLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

struct HttpResult {
  unsigned status = 0;
  json body;
  std::map<std::string, std::string, HeaderNameLess> headers;
  std::string raw;  // the body as it came (a file, not JSON)
};

// One request on a fresh connection.
HttpResult http(unsigned short port, const std::string& method, const std::string& target,
                const std::optional<json>& body = std::nullopt, const std::string& token = {},
                const std::map<std::string, std::string>& extra_headers = {});
// GET /healthz: 200 {"ok": true, ...} while healthy, 503 with "storage": "degraded" when writes
// fail; status 0 and an empty object when nothing answers (the server is gone).
HttpResult healthz(unsigned short port);
HttpResult http_raw_body(unsigned short port, const std::string& method, const std::string& target,
                         const std::string& body, const std::string& token,
                         const std::map<std::string, std::string>& extra_headers = {});
// `request` written to 127.0.0.1:port byte for byte on a fresh connection (any method, any Host, or
// none), and the answer; nothing when none arrives within `within` or the connection fails.
std::optional<HttpResult> http_exchange(unsigned short port, const std::string& request,
                                        std::chrono::milliseconds within = std::chrono::milliseconds(5000));

struct User {
  std::string user_id;
  std::string name;
  std::string token;
};
User new_user(unsigned short port, const std::string& name);
std::string new_room(unsigned short port, const User& host, json options = json::object());
// `from` asks `to` to be friends and `to` accepts (they must be in a call together, the server's
// rule); true when both steps succeeded.
bool make_friends(unsigned short port, const User& from, const User& to);

class WsClient {
 public:
  WsClient(unsigned short port, const std::string& token, const std::string& origin = {});
  void send(const json& message);
  void send_text(const std::string& text);
  void send_binary(const std::string& bytes);
  // The next frame as JSON, or nothing if none came in time or the socket closed.
  std::optional<json> receive(std::chrono::milliseconds within = std::chrono::milliseconds(3000));
  // Frames until one of this type arrives (the others are kept for later receive_type calls).
  std::optional<json> receive_type(const std::string& type, std::chrono::milliseconds within = std::chrono::milliseconds(3000));
  bool closed() const { return closed_; }
  std::optional<boost::beast::websocket::close_reason> close_reason() const { return close_reason_; }
  // Joins a room and returns room:joined (or the error it got).
  json join(const std::string& room_code, const std::optional<std::string>& password = std::nullopt);
  std::string peer_id;
  json hello;  // the server's first frame on this socket

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  std::vector<json> pending_;
  boost::beast::flat_buffer buffer_;
  bool reading_ = false;
  std::optional<boost::beast::error_code> read_result_;
  bool closed_ = false;
  std::optional<boost::beast::websocket::close_reason> close_reason_;
};

}  // namespace server_test
