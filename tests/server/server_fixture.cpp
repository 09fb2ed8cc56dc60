// The test server and clients (server_fixture.h).
#include "server_fixture.h"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

extern char** environ;

namespace server_test {

namespace beast = boost::beast;
namespace http_ns = beast::http;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

std::string server_binary() {
  if (const char* dir = std::getenv("MEHFIL_BIN_DIR")) return std::string(dir) + "/mehfil-server";
  return "build/native/bin/mehfil-server";
}

std::string shell_output(const std::string& command) {
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    pclose(pipe);
  }
  return out;
}

std::filesystem::path scratch_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("mehfil-server-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

StartupRun run_server_until_exit(const std::string& flags) {
  const std::string command = server_binary() + " --port 0 --db /tmp/mehfil-refused-start-never-made.db " + flags + " 2>&1";
  StartupRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed");
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) run.output += buffer;
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

namespace {

// posix_spawn, with the child's RLIMIT_FSIZE lowered and SIGXFSZ ignored when `file_size_limit` is
// set: both are inherited across exec, so they are set in this process around the spawn and put
// back at once.
int spawn_server(int* pid, const posix_spawn_file_actions_t* actions, char** argv, std::optional<long long> file_size_limit) {
  if (!file_size_limit) return posix_spawn(pid, argv[0], actions, nullptr, argv, environ);
  rlimit before{};
  getrlimit(RLIMIT_FSIZE, &before);
  rlimit lowered = before;
  lowered.rlim_cur = static_cast<rlim_t>(*file_size_limit);
  struct sigaction ignore {}, previous{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGXFSZ, &ignore, &previous);
  setrlimit(RLIMIT_FSIZE, &lowered);
  const int result = posix_spawn(pid, argv[0], actions, nullptr, argv, environ);
  setrlimit(RLIMIT_FSIZE, &before);
  sigaction(SIGXFSZ, &previous, nullptr);
  return result;
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> extra_flags) : flags_(std::move(extra_flags)) {
  char pattern[] = "/tmp/mehfil-server-test-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
  folder_ = pattern;
  start(0);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
  std::filesystem::remove(log_path(), ignored);
}

void ServerProcess::start(unsigned short port) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = {server_binary(), "--port", std::to_string(port), "--db", db_path(), "--web", folder_};
  args.insert(args.end(), flags_.begin(), flags_.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  // The server's log lines (stderr) go to a file a test can read, not into the test's output.
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (spawn_server(&pid_, &actions, argv.data(), file_size_limit_) != 0) {
    throw std::runtime_error("cannot start " + args[0]);
  }
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  // The first line names the port: "mehfil-server listening on http://127.0.0.1:PORT/".
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  const auto colon = line.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("server did not start: " + line);
  port_ = static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
  // Only once it listens: it raises its own soft limit while starting up.
  if (open_files_limit_) limit_open_files(*open_files_limit_);
}

void ServerProcess::limit_open_files(long count) {
  open_files_limit_ = count;
  const rlimit limit{static_cast<rlim_t>(count), static_cast<rlim_t>(count)};
  if (pid_ > 0 && prlimit(pid_, RLIMIT_NOFILE, &limit, nullptr) != 0) throw std::runtime_error("prlimit failed");
}

std::string ServerProcess::log_text() const {
  std::ifstream file(log_path());
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

void ServerProcess::kill_hard() {
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ServerProcess::restart() {
  if (pid_ > 0) kill_hard();
  start(port_);
}

bool ServerProcess::running() { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

HttpResult healthz(unsigned short port) {
  HttpResult result;
  try {
    result = http(port, "GET", "/healthz");
  } catch (const std::exception&) {
    result = {};
  }
  if (!result.body.is_object()) result.body = json::object();  // so body.value(...) never throws
  return result;
}

bool HeaderNameLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
  });
}

namespace {

HttpResult result_of(const http_ns::response<http_ns::string_body>& response) {
  HttpResult result;
  result.status = response.result_int();
  for (const auto& field : response) result.headers[std::string(field.name_string())] = std::string(field.value());
  result.body = json::parse(response.body(), nullptr, false);
  result.raw = response.body();
  return result;
}

HttpResult send_request(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
                        const std::string& token, const std::map<std::string, std::string>& extra_headers) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  stream.expires_after(std::chrono::seconds(10));
  http_ns::request<http_ns::string_body> request{http_ns::string_to_verb(method), target, 11};
  request.set(http_ns::field::host, "127.0.0.1:" + std::to_string(port));
  if (!token.empty()) request.set(http_ns::field::authorization, "Bearer " + token);
  request.set(http_ns::field::content_type, "application/json");
  for (const auto& [name, value] : extra_headers) request.set(name, value);  // may replace Host
  request.body() = body;
  request.prepare_payload();
  http_ns::write(stream, request);
  beast::flat_buffer buffer;
  http_ns::response_parser<http_ns::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  if (request.method() == http_ns::verb::head) parser.skip(true);
  http_ns::read(stream, buffer, parser);
  return result_of(parser.release());
}

}  // namespace

std::optional<HttpResult> http_exchange(unsigned short port, const std::string& request, std::chrono::milliseconds within) {
  // Asynchronous throughout: Beast's timeouts do not apply to its blocking calls.
  boost::asio::io_context io;
  tcp::socket socket(io);
  beast::flat_buffer buffer;
  http_ns::response_parser<http_ns::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  if (request.rfind("HEAD ", 0) == 0) parser.skip(true);
  bool answered = false;
  socket.async_connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
    if (ec) return;
    boost::asio::async_write(socket, boost::asio::buffer(request), [&](beast::error_code write_ec, std::size_t) {
      if (write_ec) return;
      http_ns::async_read(socket, buffer, parser, [&](beast::error_code read_ec, std::size_t) { answered = !read_ec; });
    });
  });
  io.run_for(within);
  if (!answered) return std::nullopt;
  return result_of(parser.release());
}

HttpResult http_raw_body(unsigned short port, const std::string& method, const std::string& target,
                         const std::string& body, const std::string& token, const std::map<std::string, std::string>& extra_headers) {
  return send_request(port, method, target, body, token, extra_headers);
}

HttpResult http(unsigned short port, const std::string& method, const std::string& target, const std::optional<json>& body,
                const std::string& token, const std::map<std::string, std::string>& extra_headers) {
  return send_request(port, method, target, body ? body->dump() : "", token, extra_headers);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string picture(const std::string& name, const std::string& size, const std::string& extra) {
  const std::filesystem::path path = scratch_path(name);
  shell_output("ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=" + size + " -frames:v 1 " + extra + " " + path.string());
  return read_file(path);
}

std::string probed(const std::string& bytes) {
  const std::filesystem::path path = scratch_path("probe.bin");
  std::ofstream(path, std::ios::binary) << bytes;
  std::string out = shell_output("ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height -of csv=p=0 " +
                                 path.string());
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

User new_user(unsigned short port, const std::string& name) {
  const auto result = http(port, "POST", "/api/session", json{{"display_name", name}});
  if (result.status != 201) throw std::runtime_error("session failed: " + result.body.dump());
  return {result.body["user_id"], result.body["display_name"], result.body["token"]};
}

std::string new_room(unsigned short port, const User& host, json options) {
  const auto result = http(port, "POST", "/api/rooms/create", options, host.token);
  if (result.status != 201) throw std::runtime_error("create failed: " + result.body.dump());
  return result.body["room_code"];
}

bool make_friends(unsigned short port, const User& from, const User& to) {
  return http(port, "POST", "/api/friends/request", json{{"target_user_id", to.user_id}}, from.token).status == 200 &&
         http(port, "POST", "/api/friends/accept", json{{"target_user_id", from.user_id}}, to.token).status == 200;
}

WsClient::WsClient(unsigned short port, const std::string& token, const std::string& origin) : ws_(io_) {
  beast::get_lowest_layer(ws_).connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  if (!origin.empty()) {
    ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& request) {
      request.set(http_ns::field::origin, origin);
    }));
  }
  ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws?token=" + token);
  const auto first = receive();
  if (!first || (*first)["type"] != "hello") throw std::runtime_error("no hello from the server");
  hello = *first;
}

void WsClient::send(const json& message) { send_text(message.dump()); }

void WsClient::send_text(const std::string& text) {
  ws_.text(true);
  beast::error_code ec;
  ws_.write(boost::asio::buffer(text), ec);
  if (ec) closed_ = true;
}

void WsClient::send_binary(const std::string& bytes) {
  ws_.binary(true);
  beast::error_code ec;
  ws_.write(boost::asio::buffer(bytes), ec);
  if (ec) closed_ = true;
}

std::optional<json> WsClient::receive(std::chrono::milliseconds within) {
  if (!pending_.empty()) {
    json first = pending_.front();
    pending_.erase(pending_.begin());
    return first;
  }
  if (closed_) return std::nullopt;
  // One read stays outstanding across calls: cancelling a Beast websocket read would break the
  // stream, so a read that times out here simply completes during a later call.
  if (!reading_) {
    reading_ = true;
    read_result_.reset();
    ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) { read_result_ = ec; });
  }
  io_.restart();
  io_.run_for(within);
  if (!read_result_) return std::nullopt;
  reading_ = false;
  if (*read_result_) {
    closed_ = true;
    close_reason_ = ws_.reason();
    return std::nullopt;
  }
  json frame = json::parse(beast::buffers_to_string(buffer_.data()), nullptr, false);
  buffer_.consume(buffer_.size());
  return frame;
}

std::optional<json> WsClient::receive_type(const std::string& type, std::chrono::milliseconds within) {
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (pending_[i]["type"] == type) {
      json found = pending_[i];
      pending_.erase(pending_.begin() + static_cast<long>(i));
      return found;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::vector<json> skipped;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    std::optional<json> frame;
    {
      // Read directly (not from pending_) so skipped frames are not re-read.
      std::vector<json> held;
      held.swap(pending_);
      frame = receive(left);
      held.swap(pending_);
    }
    if (!frame) break;
    if ((*frame)["type"] == type) {
      pending_.insert(pending_.begin(), skipped.begin(), skipped.end());
      return frame;
    }
    skipped.push_back(*frame);
  }
  pending_.insert(pending_.begin(), skipped.begin(), skipped.end());
  return std::nullopt;
}

json WsClient::join(const std::string& room_code, const std::optional<std::string>& password) {
  json message = {{"type", "room:join"}, {"room_code", room_code}};
  if (password) message["password"] = *password;
  send(message);
  // Frames that came before the answer stay for later receive() calls, in order; put back only at
  // the end, or receive() would hand the same frame back on every turn.
  std::vector<json> before;
  json answer{{"type", "timeout"}};
  for (int i = 0; i < 50; ++i) {
    auto frame = receive(std::chrono::milliseconds(5000));
    if (!frame) break;
    if ((*frame)["type"] == "room:joined") peer_id = (*frame)["self"]["peer_id"];
    // room:waiting answers it too: the room's waiting room holds the joiner at the door.
    if ((*frame)["type"] == "room:joined" || (*frame)["type"] == "error" || (*frame)["type"] == "room:waiting") {
      answer = *frame;
      break;
    }
    before.push_back(*frame);
  }
  pending_.insert(pending_.end(), before.begin(), before.end());
  return answer;
}

}  // namespace server_test
