// How the server keeps the random secrets it hands out (refresh tokens, email links, API keys):
// BLAKE2b-256 of the secret (libsodium's generic hash), in hex, compared in constant time. The
// secrets are 32 random bytes, so a fast hash is enough (there is nothing to guess); passwords get
// argon2id instead (passwords.h).
#pragma once

#include <sodium.h>

#include <string>
#include <string_view>

namespace mehfil::server {

inline std::string secret_hash(std::string_view secret) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

inline bool same_hash(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mehfil::server
