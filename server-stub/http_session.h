// HttpSession: one HTTP connection (Boost.Beast), over plain TCP or over TLS (the same code for
// both, as in Beast's advanced_server_flex example: the Stream is a tcp_stream or an ssl_stream of
// one, and the DetectSession (detect_session.h) decides which). Routes each request: /healthz, /api/* (the REST
// API, with CORS for the allowed origins), /ws (upgrade to a WebSocketSession after authenticating
// and checking the Origin), anything else a file of the site. Keeps the connection alive between
// requests; a request must arrive within the handshake timeout, and a body over the cap is refused
// with 413. The edge rules live in HttpPolicy: a Host the server does not answer to gets 421, and
// every answer carries the security headers.
//
// The session holds the connection's ConnectionSlot and hands it to the WebSocketSession it may
// become. A connection accepted without one (a cap was reached) is read once, answered 503
// rate_limited with Retry-After, and closed.
#pragma once

#include <memory>
#include <optional>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "api_routes.h"
#include "connection_limits.h"
#include "http_policy.h"
#include "server_config.h"

namespace mehfil::server {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  // `buffer` holds what was read before the session began (the bytes the TLS detection looked at).
  // `tls` is the certificate context a TLS stream was made with, kept for the connection's life so a
  // reload never pulls it from under a call; empty for plain TCP.
  HttpSession(Stream&& stream, boost::beast::flat_buffer buffer, ConnectionSlot slot, ApiContext context,
              const ServerConfig& config, const HttpPolicy& policy,
              std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  void run();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  void read();
  void on_header(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  void route(Request&& request);
  void api(Request&& request);
  void static_file(const Request& request, std::string_view path);
  void upgrade(Request request);
  template <typename Response>
  void write(Response&& response);
  boost::beast::http::response<boost::beast::http::string_body> json_response(unsigned status, const nlohmann::json& body) const;
  void write_json(unsigned status, const nlohmann::json& body, std::optional<long> retry_after = std::nullopt);
  void write_file(const ApiReply& reply);  // a recording or its poster, whole or a Range of it
  void write_error(unsigned status, const char* code, const char* message);
  void end(bool answered);

  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  ConnectionSlot slot_;  // empty: refused by a connection cap
  ApiContext context_;
  const ServerConfig& config_;
  const HttpPolicy& policy_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::string address_;  // the client's IP address
  bool keep_alive_ = false;
  unsigned version_ = 11;

  // The request being answered, for the headers write() adds.
  std::string host_;         // its Host, once allowed
  std::string cors_origin_;  // its Origin, when it is an /api request from an allowed origin
  bool api_ = false;         // under /api: the answer varies with Origin
  bool head_ = false;        // HEAD: the header only
  bool site_csp_ = true;     // false for /healthz (see route())
};

extern template class HttpSession<PlainStream>;
extern template class HttpSession<TlsStream>;

}  // namespace mehfil::server
