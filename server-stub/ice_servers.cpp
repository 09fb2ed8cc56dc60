// STUN/TURN servers for hello, with coturn shared-secret credentials (ice_servers.h).
#include "ice_servers.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "protocol/validation.h"

namespace mehfil::server {

std::string turn_credential(std::string_view secret, std::string_view username) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(username.data()),
       username.size(), digest, &digest_size);
  std::string encoded(4 * ((digest_size + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), digest, static_cast<int>(digest_size));
  encoded.resize(static_cast<std::size_t>(written));
  return encoded;
}

std::vector<protocol::IceServer> ice_servers_for(const IceConfig& config, std::string_view user_id, std::int64_t now_s) {
  std::vector<protocol::IceServer> servers;
  for (const std::string& url : config.stun_urls) servers.push_back({url, std::nullopt, std::nullopt});
  if (config.turn_urls.empty()) return servers;
  const std::string username = std::to_string(now_s + config.turn_ttl.count()) + ":" + std::string(user_id);
  const std::string credential = turn_credential(config.turn_secret, username);
  for (const std::string& url : config.turn_urls) servers.push_back({url, username, credential});
  return servers;
}

std::string ice_url_problem(std::string_view url, bool turn) {
  if (const auto problem = protocol::check_text(protocol::TextRule::ice_url, url)) return std::string(problem->what);
  const bool is_turn = url.starts_with("turn:") || url.starts_with("turns:");
  if (turn && !is_turn) return "must start with turn: or turns:";
  if (!turn && !url.starts_with("stun:")) return "must start with stun:";
  return {};
}

}  // namespace mehfil::server
