// Tokens: JWTs (HS256) that say who a user is, and the resume tokens that let a dropped socket take
// its place back, even on a restarted server. Signed with HMAC-SHA256 and encoded base64url by
// libsodium; the header must say HS256 (no "none", no algorithm switching).
//
// Claims a site that embeds Mehfil may mint for its own users (README, "Embedding"):
//   sub   the user id, 1..64 of [A-Za-z0-9_-]      (required)
//   name  the display name                          (required)
//   exp   expiry, seconds since the epoch           (required)
//   room  a room code the token is limited to       (optional)
//   role  "host" to let the user manage that room   (optional)
//
// The server also mints two kinds for itself: resume tokens (`peer`) and recording passes (`rec`:
// one recording's file and poster, for a <video> that cannot send a header, so no session token
// goes into a URL). A pass is no session: authenticate() refuses it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mehfil::server {

struct Claims {
  std::string sub;
  std::string name;
  std::int64_t exp = 0;
  std::optional<std::string> room;
  std::optional<std::string> role;
  std::optional<std::string> peer;  // resume tokens only: the peer id to take back
  std::optional<std::string> rec;   // recording passes only: the recording it opens
};

std::string mint_token(const Claims& claims, const std::string& secret);
// The claims of a well-formed, correctly signed token that has not expired at `now_s`.
std::optional<Claims> verify_token(std::string_view token, const std::string& secret, std::int64_t now_s);

// n random bytes, base64url: for secrets and ids.
std::string random_token(std::size_t bytes);

}  // namespace mehfil::server
