// Loading and reloading the TLS certificate (tls.h).
#include "tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace mehfil::server {
namespace {

namespace ssl = boost::asio::ssl;

// OpenSSL's reason for the last failure, e.g. "no start line" or "key values mismatch".
std::string openssl_reason(const boost::system::error_code& ec) {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code != 0) {
    if (const char* reason = ERR_reason_error_string(code)) return reason;
  }
  return ec.message();
}

TlsCertificate::Context make_context(const std::string& cert_path, const std::string& key_path, std::string& problem) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  // TLS 1.2 and 1.3 only; the rest is OpenSSL's default cipher policy, which Debian keeps current.
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_path, ec);
  if (ec) {
    problem = "--tls-cert " + cert_path + ": " + openssl_reason(ec);
    return nullptr;
  }
  context->use_private_key_file(key_path, ssl::context::pem, ec);
  if (ec) {
    problem = "--tls-key " + key_path + ": " + openssl_reason(ec);
    return nullptr;
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    problem = "--tls-key " + key_path + ": does not match the certificate in --tls-cert " + cert_path;
    return nullptr;
  }
  return context;
}

}  // namespace

std::optional<TlsCertificate> TlsCertificate::load(std::string cert_path, std::string key_path, std::string& problem) {
  auto context = make_context(cert_path, key_path, problem);
  if (!context) return std::nullopt;
  return TlsCertificate(std::move(cert_path), std::move(key_path), std::move(context));
}

std::optional<std::string> TlsCertificate::reload() {
  std::string problem;
  auto context = make_context(cert_path_, key_path_, problem);
  if (!context) return problem;
  context_ = std::move(context);
  return std::nullopt;
}

}  // namespace mehfil::server
