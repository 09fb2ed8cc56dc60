// Allowed Hosts and Origins, and the security headers (http_policy.h).
#include "http_policy.h"

#include <algorithm>
#include <cctype>

#include <boost/asio/ip/address.hpp>

namespace mehfil::server {
namespace {

namespace http = boost::beast::http;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "name[:port]" or "[v6]:port", split and lowercased; nothing when it holds anything a host name
// or address cannot (which also keeps such text out of the headers built from it).
struct Authority {
  std::string name;
  std::string port;  // digits, or empty
};

std::optional<Authority> parse_authority(std::string_view text) {
  if (text.empty()) return std::nullopt;
  Authority out;
  std::string_view rest;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.name = lower(text.substr(0, close + 1));
    for (char c : out.name.substr(1, out.name.size() - 2)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return std::nullopt;
    }
    rest = text.substr(close + 1);
  } else {
    const auto colon = text.find(':');
    out.name = lower(text.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    if (out.name.empty()) return std::nullopt;
    for (char c : out.name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return std::nullopt;
    }
  }
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return std::nullopt;
    out.port = std::string(rest.substr(1));
    for (char c : out.port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
  }
  return out;
}

// "scheme://authority" (a trailing slash tolerated, for configured values), lowercased, with the
// scheme's default port dropped, the way browsers serialise an Origin.
struct Origin {
  std::string scheme;
  Authority authority;
  std::string text() const {
    return scheme + "://" + authority.name + (authority.port.empty() ? "" : ":" + authority.port);
  }
};

std::optional<Origin> parse_origin(std::string_view text) {
  const auto separator = text.find("://");
  if (separator == std::string_view::npos) return std::nullopt;
  Origin out;
  out.scheme = lower(text.substr(0, separator));
  std::string_view rest = text.substr(separator + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  auto authority = parse_authority(rest);
  if (!authority) return std::nullopt;
  out.authority = std::move(*authority);
  if ((out.scheme == "http" && out.authority.port == "80") || (out.scheme == "https" && out.authority.port == "443")) {
    out.authority.port.clear();
  }
  return out;
}

std::string default_port(const std::string& scheme) { return scheme == "https" ? "443" : scheme == "http" ? "80" : ""; }

// The bound address as a Host header names it: IPv6 literals in brackets.
std::string host_name_of(const std::string& bound) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(bound, ec);
  if (!ec && address.is_v6()) return "[" + lower(address.to_string()) + "]";
  return lower(bound);
}

}  // namespace

HttpPolicy::HttpPolicy(const ServerConfig& config)
    : frame_ancestors_(config.frame_ancestors), tls_(!config.tls_cert.empty()) {
  for (const std::string& origin : config.origins) {
    if (auto parsed = parse_origin(origin)) origins_.push_back(parsed->text());
  }
  if (!config.hosts.empty()) {
    for (const std::string& host : config.hosts) {
      auto parsed = parse_authority(host);
      if (!parsed) continue;
      HostRule rule{parsed->name, {}};
      if (!parsed->port.empty()) rule.ports.push_back(parsed->port);
      hosts_.push_back(std::move(rule));
    }
    return;
  }
  for (const std::string& origin : config.origins) {
    auto parsed = parse_origin(origin);
    if (!parsed) continue;
    // A browser leaves the default port out of Host; a proxy may write it in.
    HostRule rule{parsed->authority.name, {parsed->authority.port}};
    if (parsed->authority.port.empty()) rule.ports.push_back(default_port(parsed->scheme));
    hosts_.push_back(std::move(rule));
  }
  // Loopback names on any port: a DNS-rebinding page can never present these as its Host.
  for (const char* loopback : {"127.0.0.1", "localhost", "[::1]"}) hosts_.push_back({loopback, {}});
  hosts_.push_back({host_name_of(config.host), {}});
}

bool HttpPolicy::host_allowed(std::string_view host) const {
  if (host.empty()) return true;
  const auto parsed = parse_authority(host);
  if (!parsed) return false;
  return std::any_of(hosts_.begin(), hosts_.end(), [&](const HostRule& rule) {
    return rule.name == parsed->name &&
           (rule.ports.empty() || std::find(rule.ports.begin(), rule.ports.end(), parsed->port) != rule.ports.end());
  });
}

bool HttpPolicy::origin_allowed(std::string_view origin) const {
  const auto parsed = parse_origin(origin);
  if (!parsed) return false;  // including "null" (sandboxed frames, file:)
  if (!origins_.empty()) return std::find(origins_.begin(), origins_.end(), parsed->text()) != origins_.end();
  if (parsed->scheme != "http" && parsed->scheme != "https") return false;
  const std::string authority = parsed->authority.name + (parsed->authority.port.empty() ? "" : ":" + parsed->authority.port);
  return host_allowed(authority);
}

void HttpPolicy::add_security_headers(http::fields& fields, std::string_view host, bool site_csp) const {
  // A response with a policy of its own (a chat file's sandbox, chat_files.h) keeps it, framed like the rest.
  if (const std::string own(fields["Content-Security-Policy"]); !own.empty()) {
    fields.set("Content-Security-Policy", own + "; frame-ancestors " + frame_ancestors_);
  } else if (site_csp) {
    // What the site's pages need, and no more:
    //   script-src: only our own files; 'wasm-unsafe-eval' compiles the wasm modules. 'unsafe-eval'
    //     is there because mehfil-whiteboard.mjs and mehfil-layout.mjs are linked without
    //     -sDYNAMIC_EXECUTION=0, and their embind glue calls `new Function` as it loads; drop it
    //     once they are (mehfil-core.mjs already is).
    //   style-src 'unsafe-inline': mehfil.js puts a <style> element in each call's shadow root.
    //   img-src/media-src: data: and blob: images, MediaStreams and blob: media in video tiles.
    //   connect-src: the REST API ('self') and the socket. 'self' covers ws(s): of the same origin
    //     only in newer Chromium, so the socket's address is spelled out as well.
    std::string csp =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; media-src 'self' data: blob: mediastream:; font-src 'self'; "
        "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; connect-src 'self'";
    if (const auto authority = parse_authority(host)) {
      const std::string name = authority->name + (authority->port.empty() ? "" : ":" + authority->port);
      csp += " ws://" + name + " wss://" + name;
    }
    csp += "; frame-ancestors " + frame_ancestors_;
    fields.set("Content-Security-Policy", csp);
  } else {
    fields.set("Content-Security-Policy", "frame-ancestors " + frame_ancestors_);
  }
  fields.set("Referrer-Policy", "no-referrer");
  fields.set("X-Content-Type-Options", "nosniff");
  // A year, the host only: sibling names under the same domain may not speak https.
  if (tls_) fields.set(http::field::strict_transport_security, "max-age=31536000");
}

void HttpPolicy::add_cors_headers(http::fields& fields, std::string_view origin) const {
  fields.set(http::field::access_control_allow_origin, origin);
  // A 429's Retry-After is not a header scripts may read across origins unless exposed.
  fields.set(http::field::access_control_expose_headers, "Retry-After");
}

void HttpPolicy::add_preflight_headers(http::fields& fields, std::string_view origin) const {
  fields.set(http::field::access_control_allow_origin, origin);
  fields.set(http::field::access_control_allow_methods, "GET, POST, PUT, PATCH, DELETE, OPTIONS");
  fields.set(http::field::access_control_allow_headers, "Authorization, Content-Type");
  fields.set(http::field::access_control_max_age, "600");
}

bool HttpPolicy::is_site_origin(std::string_view text) {
  const auto parsed = parse_origin(text);
  return parsed && (parsed->scheme == "http" || parsed->scheme == "https");
}

std::optional<std::string> HttpPolicy::startup_warning(const ServerConfig& config) {
  if (!config.origins.empty() || !config.hosts.empty()) return std::nullopt;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(config.host, ec);
  if (ec ? lower(config.host) == "localhost" : address.is_loopback()) return std::nullopt;
  return "mehfil-server: warning: --host " + config.host +
         " is not loopback and neither --origin nor --allowed-host is given: browsers will be refused "
         "(421, Host not allowed) until one is given\n";
}

}  // namespace mehfil::server
