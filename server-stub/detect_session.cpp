// TLS or plain HTTP on a TLS port (detect_session.h).
#include "detect_session.h"

#include <boost/beast/http.hpp>

#include "http_session.h"

namespace mehfil::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;

// A plain-HTTP request on the TLS port: read it, point the browser at https, close.
class RedirectSession : public std::enable_shared_from_this<RedirectSession> {
 public:
  RedirectSession(beast::tcp_stream&& stream, beast::flat_buffer buffer, const HttpPolicy& policy)
      : stream_(std::move(stream)), buffer_(std::move(buffer)), policy_(policy) {}

  void run(std::chrono::milliseconds timeout) {
    parser_.header_limit(16 * 1024);
    stream_.expires_after(timeout);
    http::async_read_header(stream_, buffer_, parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->answer(self->parser_.get());
    });
  }

 private:
  void answer(const http::request<http::empty_body>& request) {
    const std::string_view host = request[http::field::host];
    http::response<http::string_body> response;
    response.version(request.version());
    // Only to a Host this server answers to, so the port is never an open redirect to elsewhere.
    if (host.empty() || !policy_.host_allowed(host)) {
      response.result(http::status::misdirected_request);
      response.set(http::field::content_type, "text/plain; charset=utf-8");
      response.body() = "This server speaks https only, and not as that Host.\n";
    } else {
      std::string_view target = request.target();
      if (target.empty() || target.front() != '/') target = "/";
      response.result(http::status::permanent_redirect);  // 308: keeps the method, unlike 301
      response.set(http::field::location, "https://" + std::string(host) + std::string(target));
    }
    response.keep_alive(false);
    response.prepare_payload();
    auto shared = std::make_shared<http::response<http::string_body>>(std::move(response));
    http::async_write(stream_, *shared, [self = shared_from_this(), shared](beast::error_code, std::size_t) {
      self->close();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request_parser<http::empty_body> parser_;
  const HttpPolicy& policy_;
};

}  // namespace

DetectSession::DetectSession(boost::asio::ip::tcp::socket&& socket, ConnectionSlot slot, ApiContext context,
                             const ServerConfig& config, const HttpPolicy& policy, const TlsCertificate& tls)
    : stream_(std::move(socket)), slot_(std::move(slot)), context_(context), config_(config), policy_(policy), tls_(tls) {}

void DetectSession::run() {
  stream_.expires_after(config_.handshake_timeout);  // covers the detection and the TLS handshake
  beast::async_detect_ssl(stream_, buffer_, [self = shared_from_this()](beast::error_code ec, bool is_tls) {
    self->on_detect(ec, is_tls);
  });
}

void DetectSession::on_detect(beast::error_code ec, bool is_tls) {
  if (ec) {  // closed or timed out before saying anything
    beast::error_code ignored;
    stream_.socket().close(ignored);
    return;
  }
  if (!is_tls) {
    std::make_shared<RedirectSession>(std::move(stream_), std::move(buffer_), policy_)->run(config_.handshake_timeout);
    return;
  }
  // The context of this moment's certificate; a later reload leaves this connection on it.
  auto context = tls_.current();
  auto stream = std::make_shared<TlsStream>(std::move(stream_), *context);
  stream->async_handshake(ssl::stream_base::server, buffer_.data(),
                          [self = shared_from_this(), stream, context](beast::error_code failed, std::size_t used) {
                            if (failed) {  // not a client we can talk to (old protocol, bad hello): nothing to answer
                              beast::error_code ignored;
                              beast::get_lowest_layer(*stream).socket().close(ignored);
                              return;
                            }
                            self->buffer_.consume(used);
                            std::make_shared<HttpSession<TlsStream>>(std::move(*stream), std::move(self->buffer_),
                                                                     std::move(self->slot_), self->context_,
                                                                     self->config_, self->policy_, context)
                                ->run();
                          });
}

}  // namespace mehfil::server
