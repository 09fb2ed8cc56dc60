// HttpSession: one HTTP connection (Boost.Beast). Routes each request: /healthz, /api/* (the REST
// API), /ws (upgrade to a WebSocketSession after authenticating and checking the Origin), anything
// else a file of the site. Keeps the connection alive between requests; a request must arrive
// within the handshake timeout, and a body over the cap is refused with 413.
#pragma once

#include <memory>
#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api_routes.h"
#include "server_config.h"

namespace mehfil::server {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, ApiContext context, const ServerConfig& config);
  void run();

 private:
  void read();
  void on_read(boost::beast::error_code ec);
  void upgrade(boost::beast::http::request<boost::beast::http::string_body> request);
  bool origin_allowed(const boost::beast::http::request<boost::beast::http::string_body>& request) const;
  template <typename Response>
  void write(Response&& response);
  void write_json(unsigned status, const nlohmann::json& body, std::optional<long> retry_after = std::nullopt);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  ApiContext context_;
  const ServerConfig& config_;
  bool keep_alive_ = false;
  unsigned version_ = 11;
};

}  // namespace mehfil::server
