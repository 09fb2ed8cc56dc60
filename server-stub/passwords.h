// Room passwords: argon2id through libsodium's crypto_pwhash_str (the hash string carries its own
// salt and parameters). Hashing takes tens of milliseconds and 64 MiB on purpose, so the server
// runs these on its hashing thread pool, never on the I/O thread.
#pragma once

#include <optional>
#include <string>

namespace mehfil::server {

std::optional<std::string> hash_password(const std::string& password);  // nothing if out of memory
bool password_matches(const std::string& hash, const std::string& password);

}  // namespace mehfil::server
