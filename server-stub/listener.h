// Listener: accepts TCP connections on the configured address and hands each to an HttpSession
// (or, with TLS on, to a DetectSession that tells TLS from plain HTTP), with a ConnectionSlot from the ConnectionLimits (an empty one when a cap is reached, which the
// session answers with 503). When accept fails for want of resources (out of file descriptors or
// memory) it waits before trying again, 20 ms doubling to 1 s, instead of spinning on a listening
// socket that stays readable; the first success resets the wait.
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api_routes.h"
#include "connection_limits.h"
#include "http_policy.h"
#include "server_config.h"
#include "tls.h"

namespace mehfil::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds now (throws if the address is taken), so port() is known before run(). `policy` and
  // `limits` (and `tls`) must outlive the io_context: sessions still queued in it refer to them.
  // `tls` null: plain HTTP.
  Listener(boost::asio::io_context& io, ApiContext context, const ServerConfig& config, const HttpPolicy& policy,
           ConnectionLimits& limits, const TlsCertificate* tls);
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void run();

 private:
  void accept();
  void serve(boost::asio::ip::tcp::socket socket);
  void accept_later();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::chrono::milliseconds retry_delay_{0};
  ApiContext context_;
  const ServerConfig& config_;
  const HttpPolicy& policy_;
  ConnectionLimits& limits_;
  const TlsCertificate* tls_;
};

}  // namespace mehfil::server
