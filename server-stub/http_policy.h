// HttpPolicy: who a browser may reach this server as, and the headers every answer carries. One
// place for three rules that must agree:
//   - allowed Host headers: `--allowed-host`, else the hosts of the `--origin`s plus the loopback
//     names and the bound address. Anything else is 421: a page on attacker.example whose name is
//     re-pointed at 127.0.0.1 (DNS rebinding) still sends `Host: attacker.example`, so refusing
//     unknown Hosts keeps such a page away from a server on loopback or a LAN;
//   - allowed Origins, shared by CORS on /api and the /ws upgrade: `--origin`s when given, else
//     http:// or https:// plus an allowed Host (so the site works behind a TLS proxy, where the
//     Origin is https:// while the server itself speaks http);
//   - the security headers: a Content-Security-Policy the site's own pages pass (frame-ancestors
//     from `--frame-ancestors`), Referrer-Policy: no-referrer (room links carry room codes),
//     X-Content-Type-Options: nosniff, and with TLS on, Strict-Transport-Security (a browser that
//     has been here once never tries plain http again).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/fields.hpp>

#include "server_config.h"

namespace mehfil::server {

class HttpPolicy {
 public:
  explicit HttpPolicy(const ServerConfig& config);

  // `host` is the request's Host header; a request without one (HTTP/1.0 tools) is allowed.
  bool host_allowed(std::string_view host) const;
  // `origin` is a non-empty Origin header.
  bool origin_allowed(std::string_view origin) const;

  // Content-Security-Policy, Referrer-Policy and nosniff. `host` is the request's Host once it has
  // been allowed (empty when unknown): the WebSocket address in connect-src is built from it.
  // `site_csp` false gives a CSP that only says frame-ancestors, for answers that never hold the
  // site's markup (see http_session.cpp, /healthz).
  void add_security_headers(boost::beast::http::fields& fields, std::string_view host, bool site_csp = true) const;
  // On an /api answer to an allowed Origin (no credentials: tokens travel in Authorization).
  void add_cors_headers(boost::beast::http::fields& fields, std::string_view origin) const;
  // On the 204 answering an allowed CORS preflight.
  void add_preflight_headers(boost::beast::http::fields& fields, std::string_view origin) const;

  // The line to print at startup when the server listens beyond loopback with nothing configured,
  // so every browser would be refused; nothing otherwise.
  static std::optional<std::string> startup_warning(const ServerConfig& config);
  // "http(s)://host[:port]" with at most a trailing slash: what --public-url accepts.
  static bool is_site_origin(std::string_view text);

 private:
  struct HostRule {
    std::string name;                // lowercase; IPv6 literals keep their brackets
    std::vector<std::string> ports;  // empty: any port; "" stands for a Host without one
  };
  std::vector<HostRule> hosts_;
  std::vector<std::string> origins_;  // normalised `--origin`s; empty: derived from hosts_
  std::string frame_ancestors_;
  bool tls_ = false;
};

}  // namespace mehfil::server
