// Accepting connections (listener.h).
#include "listener.h"

#include <algorithm>

#include <boost/asio/ip/address.hpp>

#include "detect_session.h"
#include "http_session.h"

namespace mehfil::server {

namespace {

constexpr std::chrono::milliseconds kFirstRetry{20};
constexpr std::chrono::milliseconds kLongestRetry{1000};

// Errors that only go away when something else closes: trying again at once would spin.
bool out_of_resources(const boost::system::error_code& ec) {
  return ec == boost::asio::error::no_descriptors ||  // EMFILE
         ec == boost::system::errc::too_many_files_open_in_system ||  // ENFILE
         ec == boost::asio::error::no_buffer_space ||  // ENOBUFS
         ec == boost::asio::error::no_memory;  // ENOMEM
}

}  // namespace

Listener::Listener(boost::asio::io_context& io, ApiContext context, const ServerConfig& config, const HttpPolicy& policy,
                   ConnectionLimits& limits, const TlsCertificate* tls)
    : io_(io),
      acceptor_(io),
      retry_timer_(io),
      context_(context),
      config_(config),
      policy_(policy),
      limits_(limits),
      tls_(tls) {
  const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address(config.host), config.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(boost::asio::socket_base::max_listen_connections);
}

void Listener::run() { accept(); }

void Listener::accept() {
  acceptor_.async_accept(io_, [self = shared_from_this()](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (out_of_resources(ec)) return self->accept_later();
    if (!ec) {
      self->retry_delay_ = std::chrono::milliseconds(0);
      self->serve(std::move(socket));
    }
    self->accept();  // other failures (a client that gave up before accept) concern one connection only
  });
}

void Listener::accept_later() {
  retry_delay_ = retry_delay_.count() == 0 ? kFirstRetry : std::min(retry_delay_ * 2, kLongestRetry);
  retry_timer_.expires_after(retry_delay_);
  retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec && self->acceptor_.is_open()) self->accept();
  });
}

void Listener::serve(boost::asio::ip::tcp::socket socket) {
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  socket.set_option(boost::asio::ip::tcp::no_delay(true), ec);  // signaling is small and latency-bound
  auto slot = limits_.acquire(peer.address().to_string());
  if (tls_) {
    std::make_shared<DetectSession>(std::move(socket), std::move(slot), context_, config_, policy_, *tls_)->run();
  } else {
    std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), boost::beast::flat_buffer(),
                                               std::move(slot), context_, config_, policy_)
        ->run();
  }
}

}  // namespace mehfil::server
