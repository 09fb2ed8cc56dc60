// Tokens: JWTs (HS256) that say who a user is, and the resume tokens that let a dropped socket take
// its place back, even on a restarted server. Made and checked by cpp-jwt (Debian's libcpp-jwt-dev);
// only HS256 is accepted (no "none", no algorithm switching).
//
// Claims a site that embeds Mehfil may mint for its own users (README, "Embedding"):
//   sub   the user id, 1..64 of [A-Za-z0-9_-]      (required)
//   name  the display name                          (required)
//   exp   expiry, seconds since the epoch           (required)
//   room  a room code the token is limited to       (optional)
//   role  "host" to let the user manage that room   (optional)
//
// The server mints its own sessions too: a guest's (POST /api/session: no `sid`, 30 days) and an
// account's access token (accounts.h: `sid` names the account's session, 15 minutes, refused once
// that session is logged out). And two kinds for itself: resume tokens (`peer`) and recording passes (`rec`:
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
  std::optional<std::string> sid;   // an account's access token: its session (accounts.h)
};

std::string mint_token(const Claims& claims, const std::string& secret);
// The claims of a well-formed, correctly signed token that has not expired at `now_s`.
std::optional<Claims> verify_token(std::string_view token, const std::string& secret, std::int64_t now_s);

// n random bytes, base64url: for secrets and ids.
std::string random_token(std::size_t bytes);

}  // namespace mehfil::server
