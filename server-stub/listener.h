// Listener: accepts TCP connections on the configured address and hands each to an HttpSession.
#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "api_routes.h"
#include "server_config.h"

namespace mehfil::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds now (throws if the address is taken), so port() is known before run().
  Listener(boost::asio::io_context& io, ApiContext context, const ServerConfig& config);
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void run();

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ApiContext context_;
  const ServerConfig& config_;
};

}  // namespace mehfil::server
