// One HTTP connection (http_session.h).
#include "http_session.h"

#include <algorithm>
#include <chrono>
#include <type_traits>

#include "authority/recording_rules.h"
#include "avatar_image.h"
#include "chat_files.h"
#include "static_files.h"
#include "websocket_session.h"

namespace mehfil::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

// A refused connection still holds a file descriptor while it is read; it gets less time.
constexpr std::chrono::milliseconds kRefusedReadTimeout{5000};
constexpr long kRefusedRetryAfterSeconds = 5;
constexpr std::chrono::seconds kTlsShutdownTimeout{5};

std::string_view view(beast::string_view text) { return {text.data(), text.size()}; }

}  // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(Stream&& stream, beast::flat_buffer buffer, ConnectionSlot slot, ApiContext context,
                                 const ServerConfig& config, const HttpPolicy& policy,
                                 std::shared_ptr<boost::asio::ssl::context> tls)
    : stream_(std::move(stream)),
      buffer_(std::move(buffer)),
      slot_(std::move(slot)),
      context_(context),
      config_(config),
      policy_(policy),
      tls_(std::move(tls)) {
  boost::system::error_code ec;
  const auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  if (!ec) address_ = endpoint.address().to_string();
}

template <class Stream>
void HttpSession<Stream>::run() { read(); }

template <class Stream>
void HttpSession<Stream>::read() {
  parser_.emplace();
  // The largest body any route takes (a recording's chunk); on_header holds the rest to less.
  parser_->body_limit(std::max<std::uint64_t>(config_.max_body_bytes, authority::kMaxChunkBytes));
  parser_->header_limit(16 * 1024);
  // A request must arrive in time (slowloris).
  beast::get_lowest_layer(stream_).expires_after(slot_ ? config_.handshake_timeout : std::min<std::chrono::milliseconds>(config_.handshake_timeout, kRefusedReadTimeout));
  http::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_header(ec);
  });
}

// The header is in: only a recording's chunk (recording_rules.h), a compacted code state
// (code_rules.h), an avatar picture (avatar_image.h) and a file shared in chat (chat_files.h) may
// be bigger than max_body_bytes.
template <class Stream>
void HttpSession<Stream>::on_header(beast::error_code header_ec) {
  if (header_ec) return on_read(header_ec);
  const auto& head = parser_->get();
  const auto target = view(head.target());
  const auto path = target.substr(0, target.find('?'));
  const bool put = head.method() == http::verb::put;
  const std::uint64_t limit =
      put && (path.starts_with("/api/recordings/") || (path.starts_with("/api/rooms/") && path.ends_with("/code-state")))
          ? std::max<std::uint64_t>(config_.max_body_bytes, authority::kMaxChunkBytes)
      : put && path == "/api/profile/avatar" ? std::max<std::uint64_t>(config_.max_body_bytes, kMaxAvatarUploadBytes)
      : head.method() == http::verb::post && is_chat_file_path(path)
          ? std::max<std::uint64_t>(config_.max_body_bytes, static_cast<std::uint64_t>(config_.chat_file_max_bytes))
          : config_.max_body_bytes;
  parser_->body_limit(limit);  // a chunked body is held to it as it comes
  if (const auto length = parser_->content_length(); length && *length > limit) return on_read(http::error::body_limit);
  http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_read(ec);
  });
}

template <class Stream>
void HttpSession<Stream>::on_read(beast::error_code ec) {
  host_.clear();
  cors_origin_.clear();
  api_ = false;
  head_ = false;
  site_csp_ = true;
  if (ec == http::error::body_limit) {
    keep_alive_ = false;
    return write_error(413, "too_large", "The request body is too large.");
  }
  if (ec) return end(false);  // closed, timed out, or not HTTP: nothing to answer
  auto request = parser_->release();
  keep_alive_ = request.keep_alive();
  version_ = request.version();
  head_ = request.method() == http::verb::head;
  if (!slot_) {
    keep_alive_ = false;
    return write_json(503, {{"error", {{"code", "rate_limited"}, {"message", "Too many connections: try again shortly."}}}},
                      kRefusedRetryAfterSeconds);
  }
  route(std::move(request));
}

template <class Stream>
void HttpSession<Stream>::route(Request&& request) {
  const std::string_view target = view(request.target());
  const std::string_view path = target.substr(0, target.find('?'));

  if (path == "/healthz") {
    // Load balancers probe by address, so any Host will do. Nothing here is markup, and the browser
    // tests use this answer as a blank document of the server's origin to write their own page into,
    // so it carries frame-ancestors only.
    site_csp_ = false;
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      auto response = json_response(405, {{"error", {{"code", "bad_request"}, {"message", "GET or HEAD only."}}}});
      response.set(http::field::allow, "GET, HEAD");
      return write(std::move(response));
    }
    // Degraded storage is a 503: calls carry on, but nothing new can be kept.
    const bool stored = context_.hub.storage_healthy();
    return write_json(stored ? 200 : 503, {{"ok", stored},
                                           {"storage", stored ? "ok" : "degraded"},
                                           {"connections", context_.hub.connection_count()}});
  }
  const std::string_view host = view(request[http::field::host]);
  if (!policy_.host_allowed(host)) {
    keep_alive_ = false;
    return write_error(421, "bad_request", "This server does not answer to that Host.");
  }
  host_ = std::string(host);

  if (path == "/ws") {
    if (!websocket::is_upgrade(request)) return write_error(426, "bad_request", "Upgrade to a WebSocket.");
    return upgrade(std::move(request));
  }
  if (path == "/api" || path.rfind("/api/", 0) == 0) return api(std::move(request));
  static_file(request, path);
}

template <class Stream>
void HttpSession<Stream>::api(Request&& request) {
  api_ = true;
  const std::string_view origin = view(request[http::field::origin]);
  const bool allowed = !origin.empty() && policy_.origin_allowed(origin);
  if (allowed) cors_origin_ = std::string(origin);
  if (request.method() == http::verb::options) {
    if (!origin.empty() && !allowed) {
      return write_error(403, "unauthorized", "This origin may not call the API.");
    }
    http::response<http::string_body> response{http::status::no_content, version_};
    if (allowed) policy_.add_preflight_headers(response, origin);
    response.set(http::field::allow, "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    return write(std::move(response));
  }
  // A request from an origin not allowed is still answered, without CORS headers: the browser then
  // keeps the answer from the page, and without a token in Authorization it could do little anyway.
  handle_api(context_, request, address_, [self = this->shared_from_this()](ApiReply reply) {
    if (reply.file) return self->write_file(reply);
    self->write_json(reply.status, reply.body, reply.retry_after_s);
  });
}

template <class Stream>
void HttpSession<Stream>::static_file(const Request& request, std::string_view path) {
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    auto response = json_response(405, {{"error", {{"code", "bad_request"}, {"message", "Only GET here."}}}});
    response.set(http::field::allow, "GET, HEAD");
    return write(std::move(response));
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
  };
  if (head_) {
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

template <class Stream>
void HttpSession<Stream>::upgrade(Request request) {
  // Browsers send Origin on a WebSocket upgrade; other clients (tests, the load client) may not.
  const std::string_view origin = view(request[http::field::origin]);
  if (!origin.empty() && !policy_.origin_allowed(origin)) {
    keep_alive_ = false;
    return write_error(403, "unauthorized", "This origin may not connect.");
  }
  auto claims = authenticate(context_, request);
  if (!claims) {
    keep_alive_ = false;
    return write_error(401, "unauthorized", "A valid token is required.");
  }
  std::make_shared<WebSocketSession<Stream>>(std::move(stream_), std::move(*claims), address_, context_.hub, config_,
                                             std::move(slot_), std::move(tls_))
      ->run(std::move(request));
}

template <class Stream>
template <typename Response>
void HttpSession<Stream>::write(Response&& response) {
  if constexpr (std::is_same_v<typename std::decay_t<Response>::body_type, http::string_body>) {
    if (head_) {  // the same header, Content-Length included, without the body
      const auto size = response.body().size();
      http::response<http::empty_body> bare{std::move(response.base())};
      bare.content_length(size);
      return write(std::move(bare));
    }
  }
  policy_.add_security_headers(response, host_, site_csp_);
  if (api_) {
    response.set(http::field::vary, "Origin");
    if (!cors_origin_.empty() && response.find(http::field::access_control_allow_origin) == response.end()) {
      policy_.add_cors_headers(response, cors_origin_);
    }
  }
  response.keep_alive(keep_alive_);
  // A HEAD answer states the length of the body it leaves out; a 204 states none (RFC 9110 8.6).
  if (!head_ && response.result() != http::status::no_content) response.prepare_payload();
  auto shared = std::make_shared<std::decay_t<Response>>(std::forward<Response>(response));
  http::async_write(stream_, *shared, [self = this->shared_from_this(), shared](beast::error_code ec, std::size_t) {
    if (ec || !self->keep_alive_) return self->end(!ec);
    self->read();
  });
}

template <class Stream>
http::response<http::string_body> HttpSession<Stream>::json_response(unsigned status, const nlohmann::json& body) const {
  http::response<http::string_body> response{static_cast<http::status>(status), version_};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

template <class Stream>
void HttpSession<Stream>::write_json(unsigned status, const nlohmann::json& body, std::optional<long> retry_after) {
  auto response = json_response(status, body);
  if (retry_after) response.set(http::field::retry_after, std::to_string(*retry_after));
  write(std::move(response));
}

// A Range is read into memory up to kMaxSliceBytes (a player asks again for the rest); the whole
// file goes out from disk.
template <class Stream>
void HttpSession<Stream>::write_file(const ApiReply& reply) {
  constexpr std::uint64_t kMaxSliceBytes = 4 * 1024 * 1024;
  const FileSlice& file = *reply.file;
  if (reply.status == 416) {
    auto response = json_response(416, reply.body);
    response.set(http::field::content_range, "bytes */" + std::to_string(file.total));
    return write(std::move(response));
  }
  const auto headers = [&](auto& response, std::uint64_t length) {
    response.set(http::field::content_type, file.content_type);
    response.set(http::field::cache_control, file.cache_control);
    response.set(http::field::accept_ranges, "bytes");
    if (!file.disposition.empty()) {
      response.set(http::field::content_disposition, file.disposition);
      // Opened on its own (a new tab), it runs nothing and reaches nothing, whatever it holds.
      response.set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'");
    }
    if (file.partial) {
      response.set(http::field::content_range, "bytes " + std::to_string(file.first) + "-" +
                                                   std::to_string(file.first + length - 1) + "/" + std::to_string(file.total));
    }
  };
  const std::uint64_t length = file.partial ? std::min(file.length, kMaxSliceBytes) : file.total;
  const auto status = file.partial ? http::status::partial_content : http::status::ok;
  if (head_) {
    http::response<http::empty_body> response{status, version_};
    headers(response, length);
    response.content_length(length);
    return write(std::move(response));
  }
  beast::error_code ec;
  if (!file.partial) {
    http::file_body::value_type body;
    body.open(file.path.c_str(), beast::file_mode::scan, ec);
    if (ec) return write_error(404, "not_found", "The file is missing.");
    http::response<http::file_body> response{std::piecewise_construct, std::make_tuple(std::move(body)),
                                             std::make_tuple(status, version_)};
    headers(response, length);
    return write(std::move(response));
  }
  beast::file in;
  in.open(file.path.c_str(), beast::file_mode::read, ec);
  if (!ec) in.seek(file.first, ec);
  std::string bytes(length, '\0');
  for (std::size_t done = 0; !ec && done < bytes.size();) {
    const std::size_t n = in.read(bytes.data() + done, bytes.size() - done, ec);
    if (n == 0) break;
    done += n;
  }
  if (ec) return write_error(404, "not_found", "The file is missing.");
  http::response<http::string_body> response{status, version_};
  headers(response, length);
  response.body() = std::move(bytes);
  write(std::move(response));
}

template <class Stream>
void HttpSession<Stream>::write_error(unsigned status, const char* code, const char* message) {
  write_json(status, {{"error", {{"code", code}, {"message", message}}}});
}

// The connection is over. Plain TCP: half-close, so the client reads the answer to its end. TLS: a
// close_notify first when there was an answer to finish (bounded, a client may never reply to it).
template <class Stream>
void HttpSession<Stream>::end(bool answered) {
  beast::error_code ignored;
  auto& socket = beast::get_lowest_layer(stream_).socket();
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    if (!answered) {
      socket.close(ignored);
      return;
    }
    beast::get_lowest_layer(stream_).expires_after(kTlsShutdownTimeout);
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
      beast::error_code ignored_too;
      beast::get_lowest_layer(self->stream_).socket().close(ignored_too);
    });
  } else {
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    if (!answered) socket.shutdown(boost::asio::ip::tcp::socket::shutdown_receive, ignored);
  }
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace mehfil::server
