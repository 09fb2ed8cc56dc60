// DetectSession: the first bytes of a connection on a TLS port (--tls-cert), as in Beast's
// advanced_server_flex example. A TLS ClientHello goes on to the handshake and then to an
// HttpSession over TLS. Anything else is a plain-HTTP request (someone typed http://): it gets a
// 308 to the same address on https, and the connection closes. Without --tls-cert the Listener
// skips this and hands connections straight to a plain HttpSession.
#pragma once

#include <memory>

#include <boost/beast/core.hpp>

#include "api_routes.h"
#include "connection_limits.h"
#include "http_policy.h"
#include "server_config.h"
#include "tls.h"

namespace mehfil::server {

class DetectSession : public std::enable_shared_from_this<DetectSession> {
 public:
  DetectSession(boost::asio::ip::tcp::socket&& socket, ConnectionSlot slot, ApiContext context, const ServerConfig& config,
                const HttpPolicy& policy, const TlsCertificate& tls);
  void run();

 private:
  void on_detect(boost::beast::error_code ec, bool is_tls);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  ConnectionSlot slot_;
  ApiContext context_;
  const ServerConfig& config_;
  const HttpPolicy& policy_;
  const TlsCertificate& tls_;
};

}  // namespace mehfil::server
