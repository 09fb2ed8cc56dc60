// UTF-8, room codes, ids and the per-field string rules (validation.h).
#include "protocol/validation.h"

#include <algorithm>
#include <cstring>

namespace mehfil::protocol {
namespace {

constexpr bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

constexpr bool is_id_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Characters a name, a room title or a chat line may not hold (validation.h says why): C0
// controls, DEL, the C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F) and the bidi embeddings,
// overrides and isolates U+202A..U+202E (E2 80 AA..AE) and U+2066..U+2069 (E2 81 A6..A9). `text`
// is valid UTF-8 by the time this runs, so a C2 or E2 byte is always a lead byte and matching the
// byte patterns is matching the code points. Chat keeps line breaks and tabs: tab, LF, and CR when
// it starts a CRLF; a lone CR (which rewinds a terminal line) is refused.
bool has_forbidden_characters(std::string_view text, bool line_breaks_allowed) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size; ++i) {
    const unsigned char c = bytes[i];
    if (c < 0x20) {
      if (!line_breaks_allowed) return true;
      if (c == '\t' || c == '\n') continue;
      if (c == '\r' && i + 1 < size && bytes[i + 1] == '\n') continue;
      return true;
    }
    if (c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < size && bytes[i + 1] <= 0x9f) return true;
    if (c == 0xe2 && i + 2 < size) {
      const unsigned char second = bytes[i + 1], third = bytes[i + 2];
      if (second == 0x80 && third >= 0xaa && third <= 0xae) return true;
      if (second == 0x81 && third >= 0xa6 && third <= 0xa9) return true;
    }
  }
  return false;
}

constexpr std::string_view kForbiddenCharacters = "must not contain control or bidi override characters";

constexpr TextProblem bad(std::string_view what) { return {ErrorCode::bad_request, what}; }
constexpr TextProblem big(std::string_view what) { return {ErrorCode::too_large, what}; }

// Code points of `text`; `valid` says whether it was UTF-8 at all.
std::size_t code_points_or_invalid(std::string_view text, bool& valid) {
  const auto length = utf8_length(text);
  valid = length.has_value();
  return length.value_or(0);
}

// Standard base64 with its padding: the shape of the bytes a code:update carries. (Whether the bytes
// are a Yjs update only the clients, which hold Yjs, can tell; they refuse one that is not.)
bool is_base64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return false;
  const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  return std::all_of(text.begin(), text.end() - static_cast<std::ptrdiff_t>(padding), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  });
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < size) {
    // Eight ASCII bytes at a time: the common case for SDP, ids and most chat.
    if (i + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, bytes + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        count += 8;
        continue;
      }
    }
    const unsigned char lead = bytes[i];
    std::size_t length;
    std::uint32_t min;
    std::uint32_t value;
    if (lead < 0x80) {
      ++i;
      ++count;
      continue;
    } else if ((lead & 0xe0) == 0xc0) {
      length = 2, min = 0x80, value = lead & 0x1fu;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3, min = 0x800, value = lead & 0x0fu;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4, min = 0x10000, value = lead & 0x07u;
    } else {
      return std::nullopt;
    }
    if (size - i < length) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
      const unsigned char next = bytes[i + k];
      if ((next & 0xc0) != 0x80) return std::nullopt;
      value = (value << 6) | (next & 0x3fu);
    }
    if (value < min || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return std::nullopt;
    i += length;
    ++count;
  }
  return count;
}

bool is_valid_utf8(std::string_view text) { return utf8_length(text).has_value(); }

bool is_room_code(std::string_view text) {
  if (text.size() != kRoomCodeLength) return false;
  for (const char c : text) {
    if (kRoomCodeAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool is_id(std::string_view text) {
  if (text.empty() || text.size() > kMaxIdChars) return false;
  for (const char c : text) {
    if (!is_id_char(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view trim_whitespace(std::string_view text) {
  while (!text.empty() && is_ascii_space(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && is_ascii_space(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::optional<TextProblem> check_text(TextRule rule, std::string_view text) {
  bool valid = true;
  switch (rule) {
    case TextRule::code_update:
    case TextRule::code_cursor:
    case TextRule::code_state: {
      const std::size_t most = rule == TextRule::code_update ? kMaxCodeUpdateChars
                               : rule == TextRule::code_cursor ? kMaxCodeCursorChars : kMaxCodeStateChars;
      if (text.size() > most) {
        return big(rule == TextRule::code_update   ? "must be at most 60000 characters (45000 bytes)"
                   : rule == TextRule::code_cursor ? "must be at most 4096 characters"
                                                   : "must be at most 3145728 characters");
      }
      if (!is_base64(text)) return bad("must be base64 (A-Z, a-z, 0-9, + and /, padded with = to a multiple of 4)");
      return std::nullopt;
    }
    case TextRule::file_name:
    case TextRule::upload_name: {
      const std::size_t length = code_points_or_invalid(text, valid);
      if (!valid) return bad("must be valid UTF-8");
      if (rule == TextRule::file_name && (length == 0 || length > kMaxFileNameChars)) return bad("must be 1 to 64 characters");
      if (rule == TextRule::upload_name && (length == 0 || length > kMaxUploadNameChars)) return bad("must be 1 to 200 characters");
      if (trim_whitespace(text).size() != text.size()) return bad("must not start or end with a space");
      if (text == "." || text == "..") return bad("must name a file, not a folder");
      if (text.find_first_of("/\\:*?\"<>|") != std::string_view::npos) return bad("must not contain / \\ : * ? \" < > or |");
      if (has_forbidden_characters(text, /*line_breaks_allowed=*/false)) return bad(kForbiddenCharacters);
      return std::nullopt;
    }
    case TextRule::program_output: {
      const std::size_t length = code_points_or_invalid(text, valid);
      if (!valid) return bad("must be valid UTF-8");
      if (length > kMaxRunOutputChars) return big("must be at most 16000 characters");
      if (has_forbidden_characters(text, /*line_breaks_allowed=*/true)) return bad(kForbiddenCharacters);
      return std::nullopt;
    }
    case TextRule::reaction:
      if (std::find(kReactions.begin(), kReactions.end(), text) == kReactions.end()) return bad("must be one of the room's reactions");
      return std::nullopt;
    case TextRule::id:
      if (!is_id(text)) return bad("must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -");
      return std::nullopt;
    case TextRule::room_code:
      if (!is_room_code(text)) return bad("must be 8 characters from ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789");
      return std::nullopt;
    case TextRule::display_name: {
      const std::string_view name = trim_whitespace(text);
      if (name.empty()) return bad("must not be blank");
      const std::size_t length = code_points_or_invalid(name, valid);
      if (!valid) return bad("must be valid UTF-8");
      if (length > kMaxDisplayNameChars) return bad("must be at most 64 characters");
      if (has_forbidden_characters(name, /*line_breaks_allowed=*/false)) return bad(kForbiddenCharacters);
      return std::nullopt;
    }
    case TextRule::report_reason:
      if (std::find(kReportReasons.begin(), kReportReasons.end(), text) == kReportReasons.end()) {
        return bad("must be harassment, hate, sexual, spam or other");
      }
      return std::nullopt;
    case TextRule::report_note: {
      const std::size_t length = code_points_or_invalid(text, valid);
      if (!valid) return bad("must be valid UTF-8");
      if (length > kMaxReportNoteChars) return bad("must be at most 500 characters");
      if (has_forbidden_characters(text, /*line_breaks_allowed=*/true)) return bad(kForbiddenCharacters);
      return std::nullopt;
    }
    case TextRule::content_type: {
      const bool one_slash = std::count(text.begin(), text.end(), '/') == 1 && text.front() != '/' && text.back() != '/';
      if (text.size() < 3 || text.size() > 127 || !one_slash ||
          text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.+-/") != std::string_view::npos) {
        return bad("must be a media type such as image/webp");
      }
      return std::nullopt;
    }
    case TextRule::chat_text:
    case TextRule::chat_caption: {
      if (text.empty() && rule == TextRule::chat_caption) return std::nullopt;
      if (text.empty()) return bad("must not be empty");
      const std::size_t length = code_points_or_invalid(text, valid);
      if (!valid) return bad("must be valid UTF-8");
      if (length > kMaxChatTextChars) return bad("must be at most 4000 characters");
      if (has_forbidden_characters(text, /*line_breaks_allowed=*/true)) return bad(kForbiddenCharacters);
      return std::nullopt;
    }
    case TextRule::sdp:
      if (text.empty()) return bad("must not be empty");
      if (text.size() > kMaxSdpBytes) return big("must be at most 65536 bytes");
      return std::nullopt;
    case TextRule::candidate:
      if (text.size() > kMaxCandidateBytes) return big("must be at most 1024 bytes");
      return std::nullopt;
    case TextRule::sdp_mid:
      if (text.size() > kMaxSdpMidBytes) return bad("must be at most 64 bytes");
      return std::nullopt;
    case TextRule::password: {
      const std::size_t length = code_points_or_invalid(text, valid);
      if (!valid) return bad("must be valid UTF-8");
      if (length == 0 || length > kMaxPasswordChars) return bad("must be 1 to 128 characters");
      return std::nullopt;
    }
    case TextRule::ice_url: {
      const bool printable = std::all_of(text.begin(), text.end(), [](char c) { return c >= '!' && c <= '~'; });
      const std::size_t colon = text.find(':');
      const std::string_view scheme = text.substr(0, colon);
      const bool known = colon != std::string_view::npos && (scheme == "stun" || scheme == "turn" || scheme == "turns");
      if (!printable || text.size() > kMaxIceUrlBytes || !known || colon + 1 == text.size() || text[colon + 1] == '?' ||
          text[colon + 1] == ':') {
        return bad("must be a stun:, turn: or turns: URL with a host, at most 512 bytes without spaces");
      }
      return std::nullopt;
    }
    case TextRule::ice_secret:
      if (text.empty() || text.size() > kMaxIceUrlBytes ||
          !std::all_of(text.begin(), text.end(), [](char c) { return c >= '!' && c <= '~'; })) {
        return bad("must be 1 to 512 bytes of printable ASCII");
      }
      return std::nullopt;
    case TextRule::resume_token:
      if (text.empty() || text.size() > kMaxResumeTokenBytes) return bad("must be 1 to 2048 bytes of printable ASCII");
      for (const char c : text) {
        if (c < '!' || c > '~') return bad("must be 1 to 2048 bytes of printable ASCII");
      }
      return std::nullopt;
    case TextRule::room_name: {
      const std::size_t length = code_points_or_invalid(text, valid);
      if (!valid) return bad("must be valid UTF-8");
      if (length > kMaxRoomNameChars) return bad("must be at most 128 characters");
      if (has_forbidden_characters(text, /*line_breaks_allowed=*/false)) return bad(kForbiddenCharacters);
      return std::nullopt;
    }
    case TextRule::error_message: {
      const std::size_t length = code_points_or_invalid(text, valid);
      if (!valid) return bad("must be valid UTF-8");
      if (length > kMaxErrorMessageChars) return bad("must be at most 1024 characters");
      return std::nullopt;
    }
    case TextRule::request_id: {
      const std::size_t length = code_points_or_invalid(text, valid);
      if (!valid) return bad("must be valid UTF-8");
      if (length == 0 || length > kMaxRequestIdChars) return bad("must be 1 to 64 characters");
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace mehfil::protocol
