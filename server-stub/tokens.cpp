// JWT HS256 with cpp-jwt (tokens.h); random ids with libsodium.
#include "tokens.h"

#include <sodium.h>

#include <cctype>

#include <jwt/jwt.hpp>

#include "protocol/validation.h"

namespace mehfil::server {
namespace {

using nlohmann::json;

std::optional<std::string> optional_string(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return std::string();  // present but wrong: callers treat "" as invalid
  return it->get<std::string>();
}

bool optional_id_ok(const std::optional<std::string>& id) { return !id || protocol::is_id(*id); }

// Three base64url parts and nothing else: what cpp-jwt is given is never odd bytes (its base64
// table is indexed by them) or a header of the wrong shape unchecked.
bool jwt_shaped(std::string_view token) {
  if (token.empty() || token.size() > 4096) return false;
  int dots = 0;
  for (const char c : token) {
    if (c == '.') ++dots;
    else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return dots == 2;
}

}  // namespace

std::string mint_token(const Claims& claims, const std::string& secret) {
  json payload = {{"sub", claims.sub}, {"name", claims.name}, {"exp", claims.exp}};
  if (claims.room) payload["room"] = *claims.room;
  if (claims.role) payload["role"] = *claims.role;
  if (claims.peer) payload["peer"] = *claims.peer;
  if (claims.rec) payload["rec"] = *claims.rec;
  if (claims.sid) payload["sid"] = *claims.sid;
  jwt::jwt_object token{jwt::params::algorithm("HS256"), jwt::params::secret(secret), jwt::params::payload({})};
  for (const auto& [key, value] : payload.items()) {
    if (value.is_string()) {
      token.add_claim(key, value.get<std::string>());
    } else {
      token.add_claim(key, value.get<std::int64_t>());
    }
  }
  std::error_code ec;
  return token.signature(ec);
}

std::optional<Claims> verify_token(std::string_view token, const std::string& secret, std::int64_t now_s) {
  if (!jwt_shaped(token)) return std::nullopt;
  json payload;
  try {
    // cpp-jwt checks the signature and the algorithm (HS256 alone), and `exp` against the real
    // clock; the claims' own rules and `now_s` are checked below. A header whose fields have the
    // wrong JSON types makes it throw rather than fail: that is a refusal too.
    std::error_code ec;
    auto decoded = jwt::decode(jwt::string_view(token.data(), token.size()), jwt::params::algorithms({"HS256"}), ec,
                               jwt::params::secret(secret), jwt::params::verify(true));
    if (ec) return std::nullopt;
    payload = decoded.payload().create_json_obj();
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (!payload.is_object()) return std::nullopt;

  Claims claims;
  const auto sub = optional_string(payload, "sub");
  const auto name = optional_string(payload, "name");
  const auto exp = payload.find("exp");
  if (!sub || !protocol::is_id(*sub) || !name || exp == payload.end() || !exp->is_number_integer()) return std::nullopt;
  claims.sub = *sub;
  claims.name = *name;
  claims.exp = exp->get<std::int64_t>();
  if (claims.exp <= now_s) return std::nullopt;
  claims.room = optional_string(payload, "room");
  claims.role = optional_string(payload, "role");
  claims.peer = optional_string(payload, "peer");
  claims.rec = optional_string(payload, "rec");
  claims.sid = optional_string(payload, "sid");
  if (!optional_id_ok(claims.peer) || !optional_id_ok(claims.rec) || !optional_id_ok(claims.sid)) return std::nullopt;
  if (protocol::check_text(protocol::TextRule::display_name, claims.name)) return std::nullopt;
  return claims;
}

std::string random_token(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

}  // namespace mehfil::server
