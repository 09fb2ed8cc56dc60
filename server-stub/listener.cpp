#include "listener.h"

#include <boost/asio/ip/address.hpp>

#include "http_session.h"

namespace mehfil::server {

Listener::Listener(boost::asio::io_context& io, ApiContext context, const ServerConfig& config)
    : io_(io), acceptor_(io), context_(context), config_(config) {
  const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address(config.host), config.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(boost::asio::socket_base::max_listen_connections);
}

void Listener::run() { accept(); }

void Listener::accept() {
  acceptor_.async_accept(io_, [self = shared_from_this()](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
    if (!ec) {
      boost::system::error_code ignored;
      socket.set_option(boost::asio::ip::tcp::no_delay(true), ignored);  // signaling is small and latency-bound
      std::make_shared<HttpSession>(std::move(socket), self->context_, self->config_)->run();
    }
    // Out of file descriptors and the like: keep accepting; the next try may succeed.
    if (self->acceptor_.is_open()) self->accept();
  });
}

}  // namespace mehfil::server
