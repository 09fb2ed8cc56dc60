// Email and password rules for accounts (account_rules.h).
#include "account_rules.h"

#include <zxcvbn.h>

#include <algorithm>
#include <vector>

#include "protocol/validation.h"

namespace mehfil::server {
namespace {

constexpr std::size_t kJudgedBytes = 48;

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::optional<std::string> normalized_email(std::string_view email) {
  const std::string_view trimmed = protocol::trim_whitespace(email);
  if (trimmed.size() < 3 || trimmed.size() > 254) return std::nullopt;
  const auto at = trimmed.find('@');
  if (at == std::string_view::npos || at == 0 || trimmed.find('@', at + 1) != std::string_view::npos) return std::nullopt;
  const std::string_view domain = trimmed.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return std::nullopt;
  std::string lower;
  for (const char c : trimmed) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return std::nullopt;
    lower += static_cast<char>(byte < 0x80 ? std::tolower(byte) : byte);
  }
  return lower;
}

double password_bits(const std::string& password, const std::string& email, const std::string& display_name) {
  // The person's own words: their email's name and domain parts and their display name's words.
  std::vector<std::string> words;
  std::string word;
  for (const char c : email + " " + display_name) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      if (word.size() >= 3) words.push_back(word);
      word.clear();
    }
  }
  if (word.size() >= 3) words.push_back(word);
  std::vector<const char*> dictionary;
  for (const std::string& w : words) dictionary.push_back(w.c_str());
  dictionary.push_back(nullptr);
  // zxcvbn's time grows fast with length (2 ms at 48 characters, 36 ms at 128, on the server's one
  // I/O thread): it judges the first kJudgedBytes, cut where a character starts.
  std::size_t judged = std::min(password.size(), kJudgedBytes);
  while (judged < password.size() && (static_cast<unsigned char>(password[judged]) & 0xC0) == 0x80) --judged;
  return ZxcvbnMatch(password.substr(0, judged).c_str(), dictionary.data(), nullptr);
}

std::optional<std::string> password_problem(const std::string& password, const std::string& email,
                                            const std::string& display_name) {
  const std::size_t length = code_points(password);
  if (length < 8) return "Use at least 8 characters.";
  if (length > 128 || password.size() > 512) return "Use at most 128 characters.";
  if (protocol::check_text(protocol::TextRule::password, password)) return "That password has characters that cannot be used.";
  if (password_bits(password, email, display_name) < kMinPasswordBits) {
    return "That password is one people try first (a common word, name, pattern or your own details): "
           "add more words or characters.";
  }
  return std::nullopt;
}

}  // namespace mehfil::server
