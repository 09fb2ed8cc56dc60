// The STUN and TURN servers each client is told to use: `hello.ice_servers`, sent on every socket.
//
// Why the server hands them out (as Galène does): a browser behind a home router needs STUN to learn
// its public address and, behind a symmetric NAT, a TURN relay. The operator names them once on the
// server (--stun, --turn) and every client follows. TURN credentials use coturn's shared-secret
// scheme (`use-auth-secret` in turnserver.conf, the "TURN REST API" draft):
//   username   = "<expiry, unix seconds>:<user_id>"
//   credential = base64(HMAC-SHA1(secret, username))
// coturn recomputes the HMAC with the same secret and refuses the username once its expiry is past,
// so a credential is only good for --turn-ttl and names who it was made for. The secret never
// leaves the server. A new socket (a rejoin, a resume) gets fresh credentials.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/messages.h"

namespace mehfil::server {

struct IceConfig {
  std::vector<std::string> stun_urls;  // stun:host[:port]
  std::vector<std::string> turn_urls;  // turn:host[:port][?transport=udp|tcp], turns:…
  std::string turn_secret;             // coturn's static-auth-secret; required with turn_urls
  std::chrono::seconds turn_ttl{86400};
};

// base64(HMAC-SHA1(secret, username)), the credential coturn expects for `username`.
std::string turn_credential(std::string_view secret, std::string_view username);

// The servers for `user_id` at `now_s` (unix seconds): STUN as they are, TURN with credentials.
std::vector<protocol::IceServer> ice_servers_for(const IceConfig& config, std::string_view user_id, std::int64_t now_s);

// What is wrong with a --stun / --turn value, or empty: the core's URL rule plus the right scheme.
std::string ice_url_problem(std::string_view url, bool turn);

}  // namespace mehfil::server
