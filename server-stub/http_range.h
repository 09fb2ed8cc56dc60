// A Range header (RFC 9110 14.2) as the recordings' player sends it: one byte range, "bytes=a-b",
// "bytes=a-" or "bytes=-n". Several ranges, other units or nonsense are answered with the whole
// file, as the RFC allows; a range wholly past the end is unsatisfiable (416).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mehfil::server {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
  bool unsatisfiable = false;
};

inline std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t total) {
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit) || header.find(',') != std::string_view::npos) return std::nullopt;
  header.remove_prefix(kUnit.size());
  const auto dash = header.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto number = [](std::string_view text, std::uint64_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && !text.empty();
  };
  std::uint64_t a = 0, b = 0;
  const std::string_view from = header.substr(0, dash), to = header.substr(dash + 1);
  if (from.empty()) {  // the last n bytes
    if (!number(to, b)) return std::nullopt;
    if (b == 0 || total == 0) return ByteRange{0, 0, true};
    return ByteRange{total - std::min(b, total), total - 1, false};
  }
  if (!number(from, a)) return std::nullopt;
  if (!to.empty() && (!number(to, b) || b < a)) return std::nullopt;
  if (a >= total) return ByteRange{0, 0, true};
  return ByteRange{a, to.empty() ? total - 1 : std::min(b, total - 1), false};
}

}  // namespace mehfil::server
