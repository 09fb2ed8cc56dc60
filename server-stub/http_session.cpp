// One HTTP connection (http_session.h).
#include "http_session.h"

#include "static_files.h"
#include "websocket_session.h"

namespace mehfil::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket, ApiContext context, const ServerConfig& config)
    : stream_(std::move(socket)), context_(context), config_(config) {}

void HttpSession::run() { read(); }

void HttpSession::read() {
  parser_.emplace();
  parser_->body_limit(config_.max_body_bytes);
  parser_->header_limit(16 * 1024);
  stream_.expires_after(config_.handshake_timeout);  // a request must arrive in time (slowloris)
  http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_read(ec);
  });
}

void HttpSession::on_read(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    keep_alive_ = false;
    return write_json(413, {{"error", {{"code", "too_large"}, {"message", "The request body is too large."}}}});
  }
  if (ec) {  // closed, timed out, or not HTTP: nothing to answer
    beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    return;
  }
  auto request = parser_->release();
  keep_alive_ = request.keep_alive();
  version_ = request.version();
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));

  if (path == "/ws") {
    if (!websocket::is_upgrade(request)) return write_json(426, {{"error", {{"code", "bad_request"}, {"message", "Upgrade to a WebSocket."}}}});
    return upgrade(std::move(request));
  }
  if (path == "/healthz") return write_json(200, {{"ok", true}, {"connections", context_.hub.connection_count()}});
  if (path.rfind("/api/", 0) == 0) {
    return handle_api(context_, request, [self = shared_from_this()](ApiReply reply) {
      self->write_json(reply.status, reply.body, reply.retry_after_s);
    });
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    return write_json(405, {{"error", {{"code", "bad_request"}, {"message", "Only GET here."}}}});
  }
  auto file = find_static_file(config_.web_root, path);
  if (!file) {
    http::response<http::string_body> response{http::status::not_found, version_};
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.body() = "Not found\n";
    return write(std::move(response));
  }
  const auto headers = [&](auto& response) {
    response.set(http::field::content_type, file->content_type);
    response.set(http::field::cache_control, "no-cache");
    response.set("X-Content-Type-Options", "nosniff");
  };
  if (request.method() == http::verb::head) {
    http::response<http::empty_body> response{http::status::ok, version_};
    headers(response);
    response.content_length(file->body.size());
    return write(std::move(response));
  }
  http::response<http::file_body> response{std::piecewise_construct, std::make_tuple(std::move(file->body)),
                                           std::make_tuple(http::status::ok, version_)};
  headers(response);
  write(std::move(response));
}

// Browsers send Origin on a WebSocket upgrade; other clients (tests, the load client) may not.
bool HttpSession::origin_allowed(const http::request<http::string_body>& request) const {
  const auto origin = request[http::field::origin];
  if (origin.empty()) return true;
  const std::string_view value(origin.data(), origin.size());
  if (config_.origins.empty()) {
    const auto host = request[http::field::host];
    return value == "http://" + std::string(host.data(), host.size());
  }
  for (const std::string& allowed : config_.origins) {
    if (value == allowed) return true;
  }
  return false;
}

void HttpSession::upgrade(http::request<http::string_body> request) {
  if (!origin_allowed(request)) {
    keep_alive_ = false;
    return write_json(403, {{"error", {{"code", "unauthorized"}, {"message", "This origin may not connect."}}}});
  }
  auto claims = authenticate(request, context_.secret);
  if (!claims) {
    keep_alive_ = false;
    return write_json(401, {{"error", {{"code", "unauthorized"}, {"message", "A valid token is required."}}}});
  }
  stream_.socket().set_option(boost::asio::ip::tcp::no_delay(true));
  std::make_shared<WebSocketSession>(std::move(stream_), std::move(*claims), context_.hub, config_)->run(std::move(request));
}

template <typename Response>
void HttpSession::write(Response&& response) {
  response.keep_alive(keep_alive_);
  response.prepare_payload();
  auto shared = std::make_shared<std::decay_t<Response>>(std::forward<Response>(response));
  http::async_write(stream_, *shared, [self = shared_from_this(), shared](beast::error_code ec, std::size_t) {
    if (ec || !self->keep_alive_) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
      return;
    }
    self->read();
  });
}

void HttpSession::write_json(unsigned status, const nlohmann::json& body, std::optional<long> retry_after) {
  http::response<http::string_body> response{static_cast<http::status>(status), version_};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  if (retry_after) response.set(http::field::retry_after, std::to_string(*retry_after));
  response.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  write(std::move(response));
}

}  // namespace mehfil::server
