// What an account's email address and password must be, checked before anything is hashed or
// stored. The server is the only judge of these (the site shows its answers), so they live here and
// not in the core: they are not room rules, and zxcvbn is a native library.
//
//   email     3..254 bytes, one "@" with something on both sides and a dot in the domain, no spaces
//             or control characters; compared and stored lower-case
//   password  8..128 characters, and not guessable: zxcvbn (Debian's libzxcvbn-dev, a C port of
//             Dropbox's estimator with its lists of common passwords, names and keyboard walks)
//             must put its first 48 bytes at kMinPasswordBits or more (zxcvbn is slow on long
//             input), counting the person's own email and name as words an attacker tries first
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mehfil::server {

inline constexpr double kMinPasswordBits = 28;

// The address as it is stored (trimmed, lower-case), or nothing if it is not one.
std::optional<std::string> normalized_email(std::string_view email);

// Why `password` will not do, said to the person ("Use at least 8 characters."), or nothing.
std::optional<std::string> password_problem(const std::string& password, const std::string& email,
                                            const std::string& display_name);

// zxcvbn's estimate in bits, for tests and the README's table.
double password_bits(const std::string& password, const std::string& email, const std::string& display_name);

}  // namespace mehfil::server
