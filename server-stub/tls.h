// TlsCertificate: the certificate and key mehfil-server serves HTTPS and WSS with (--tls-cert,
// --tls-key), as an OpenSSL context for Asio. Exists so that a renewal (certbot, acme.sh) reaches
// the server without a restart: reload() reads both files again into a new context and swaps it in
// only when they load and match, so a half-written renewal never breaks the port. Each connection
// holds the context it was made with (a shared_ptr), so calls in progress are never dropped.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace mehfil::server {

class TlsCertificate {
 public:
  using Context = std::shared_ptr<boost::asio::ssl::context>;

  // Loads both files, or says what is wrong in one line naming the flag (for the startup error).
  static std::optional<TlsCertificate> load(std::string cert_path, std::string key_path, std::string& problem);

  // Reads the files again; on success new connections use them and it returns nothing, otherwise
  // the old certificate stays and the problem is returned.
  std::optional<std::string> reload();
  Context current() const { return context_; }

 private:
  TlsCertificate(std::string cert_path, std::string key_path, Context context)
      : cert_path_(std::move(cert_path)), key_path_(std::move(key_path)), context_(std::move(context)) {}
  std::string cert_path_;
  std::string key_path_;
  Context context_;
};

}  // namespace mehfil::server
