// JWT HS256 with libsodium (tokens.h).
#include "tokens.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "protocol/validation.h"

namespace mehfil::server {
namespace {

using nlohmann::json;

std::string base64url(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string hmac_sha256(std::string_view message, const std::string& secret) {
  crypto_auth_hmacsha256_state state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

const std::string& header() {
  static const std::string encoded = base64url(R"({"alg":"HS256","typ":"JWT"})");
  return encoded;
}

std::optional<std::string> optional_string(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return std::string();  // present but wrong: callers treat "" as invalid
  return it->get<std::string>();
}

}  // namespace

std::string mint_token(const Claims& claims, const std::string& secret) {
  json payload = {{"sub", claims.sub}, {"name", claims.name}, {"exp", claims.exp}};
  if (claims.room) payload["room"] = *claims.room;
  if (claims.role) payload["role"] = *claims.role;
  if (claims.peer) payload["peer"] = *claims.peer;
  if (claims.rec) payload["rec"] = *claims.rec;
  const std::string signing_input = header() + "." + base64url(payload.dump());
  return signing_input + "." + base64url(hmac_sha256(signing_input, secret));
}

std::optional<Claims> verify_token(std::string_view token, const std::string& secret, std::int64_t now_s) {
  if (token.size() > 4096) return std::nullopt;
  const auto first_dot = token.find('.');
  const auto last_dot = token.rfind('.');
  if (first_dot == std::string_view::npos || first_dot == last_dot) return std::nullopt;
  const std::string_view signing_input = token.substr(0, last_dot);
  const auto signature = from_base64url(token.substr(last_dot + 1));
  const std::string expected = hmac_sha256(signing_input, secret);
  if (!signature || signature->size() != expected.size() ||
      sodium_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  const auto header_text = from_base64url(token.substr(0, first_dot));
  const auto payload_text = from_base64url(token.substr(first_dot + 1, last_dot - first_dot - 1));
  if (!header_text || !payload_text) return std::nullopt;
  const json header_json = json::parse(*header_text, nullptr, false);
  const json payload = json::parse(*payload_text, nullptr, false);
  if (!header_json.is_object() || header_json.value("alg", "") != "HS256" || !payload.is_object()) return std::nullopt;

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
  if (claims.peer && !protocol::is_id(*claims.peer)) return std::nullopt;
  claims.rec = optional_string(payload, "rec");
  if (claims.rec && !protocol::is_id(*claims.rec)) return std::nullopt;
  if (protocol::check_text(protocol::TextRule::display_name, claims.name)) return std::nullopt;
  return claims;
}

std::string random_token(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return base64url(raw);
}

}  // namespace mehfil::server
