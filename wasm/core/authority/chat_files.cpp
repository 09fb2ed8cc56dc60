// Files in chat (chat_files.h): the types, the sniffing and the rule.
#include "authority/chat_files.h"

#include <algorithm>
#include <array>

#include "protocol/validation.h"

namespace mehfil::authority {
namespace {

using protocol::ErrorCode;

constexpr std::array<ChatFileType, 15> kChatFileTypes{{
    {"image/png", "png", FileKind::png, "image", true},
    {"image/jpeg", "jpg jpeg", FileKind::jpeg, "image", true},
    {"image/webp", "webp", FileKind::webp, "image", true},
    {"image/gif", "gif", FileKind::gif, "image", true},
    {"application/pdf", "pdf", FileKind::pdf, "pdf"},
    {"text/plain", "txt log", FileKind::text, "text"},
    {"text/csv", "csv", FileKind::text, "text"},
    {"text/markdown", "md markdown", FileKind::text, "text"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", FileKind::zip, "office"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", FileKind::zip, "office"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", FileKind::zip, "office"},
    {"application/vnd.oasis.opendocument.text", "odt", FileKind::zip, "office"},
    {"application/vnd.oasis.opendocument.spreadsheet", "ods", FileKind::zip, "office"},
    {"application/vnd.oasis.opendocument.presentation", "odp", FileKind::zip, "office"},
    {"application/zip", "zip", FileKind::zip, "archive"},
}};

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

// "Text/Plain; charset=UTF-8" -> "text/plain".
std::string media_type(std::string_view claimed) {
  std::string_view type = claimed.substr(0, claimed.find(';'));
  type = protocol::trim_whitespace(type);
  return lowercase(type);
}

bool has_extension(const ChatFileType& type, std::string_view extension) {
  for (std::string_view list = type.extensions; !list.empty();) {
    const std::string_view one = list.substr(0, list.find(' '));
    if (one == extension) return true;
    list.remove_prefix(std::min(list.size(), one.size() + 1));
  }
  return false;
}

// The type the upload claims: its Content-Type, or its name's extension when the browser sent none.
const ChatFileType* claimed_type(std::string_view name, std::string_view claimed) {
  const std::string type = media_type(claimed);
  if (!type.empty() && type != "application/octet-stream") {
    for (const ChatFileType& t : kChatFileTypes) {
      if (t.content_type == type) return &t;
    }
    return nullptr;
  }
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  const std::string extension = lowercase(name.substr(dot + 1));
  for (const ChatFileType& t : kChatFileTypes) {
    if (has_extension(t, extension)) return &t;
  }
  return nullptr;
}

Problem refused(ErrorCode code, std::string message) { return Problem{code, std::move(message), std::nullopt}; }

}  // namespace

FileKind sniff_file(std::string_view b) {
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return FileKind::png;
  if (b.starts_with("\xFF\xD8\xFF")) return FileKind::jpeg;
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return FileKind::webp;
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return FileKind::gif;
  if (b.starts_with("%PDF-")) return FileKind::pdf;
  if (b.starts_with("PK\x03\x04") || b.starts_with(std::string_view("PK\x05\x06", 4))) return FileKind::zip;
  // Windows and Linux programs, macOS's (thin and fat), WebAssembly, and scripts.
  for (std::string_view magic : {std::string_view("MZ"), std::string_view("\x7F" "ELF"), std::string_view("\xFE\xED\xFA\xCE"),
                                 std::string_view("\xFE\xED\xFA\xCF"), std::string_view("\xCE\xFA\xED\xFE"),
                                 std::string_view("\xCF\xFA\xED\xFE"), std::string_view("\xCA\xFE\xBA\xBE"),
                                 std::string_view("\0asm", 4), std::string_view("#!")}) {
    if (b.starts_with(magic)) return FileKind::program;
  }
  // Text: UTF-8 through and through, no NUL. One that opens with '<' is markup (HTML, SVG, XML),
  // which a browser would run if it were ever shown as a page.
  if (b.empty() || b.find('\0') != std::string_view::npos || !protocol::is_valid_utf8(b)) return FileKind::unknown;
  std::string_view start = b.starts_with("\xEF\xBB\xBF") ? b.substr(3) : b;
  start = protocol::trim_whitespace(start);
  return start.starts_with('<') ? FileKind::markup : FileKind::text;
}

std::span<const ChatFileType> chat_file_types() { return kChatFileTypes; }

bool is_chat_file_group(std::string_view group) {
  return std::any_of(kChatFileTypes.begin(), kChatFileTypes.end(), [&](const ChatFileType& t) { return t.group == group; });
}

std::variant<ChatFileType, Problem> check_chat_file(const ChatFileOffer& offer, const ChatFilePolicy& policy) {
  if (const auto problem = protocol::check_text(protocol::TextRule::upload_name, offer.name)) {
    return refused(ErrorCode::bad_request, "The file's name " + std::string(problem->what) + ".");
  }
  const auto size = static_cast<std::int64_t>(offer.bytes.size());
  if (size == 0) return refused(ErrorCode::bad_request, "The file is empty.");
  if (size > policy.max_bytes) {
    return refused(ErrorCode::too_large, "Files in chat may be at most " + std::to_string(policy.max_bytes / (1024 * 1024)) + " MB.");
  }
  const FileKind kind = sniff_file(offer.bytes);
  if (kind == FileKind::program || kind == FileKind::markup) {
    return refused(ErrorCode::file_type_not_allowed, "Programs and web pages can't be shared in chat.");
  }
  const ChatFileType* type = claimed_type(offer.name, offer.claimed_type);
  if (!type || std::find(policy.allowed_groups.begin(), policy.allowed_groups.end(), type->group) == policy.allowed_groups.end()) {
    return refused(ErrorCode::file_type_not_allowed, "This kind of file can't be shared in chat here.");
  }
  if (type->kind != kind) {
    return refused(ErrorCode::file_type_mismatch, "The file's contents are not " + std::string(type->content_type) + " as its type says.");
  }
  if (policy.room_cap_bytes > 0 && policy.room_used_bytes + size > policy.room_cap_bytes) {
    return refused(ErrorCode::quota_exceeded, "This room's files are full: nothing more can be shared in it.");
  }
  return *type;
}

}  // namespace mehfil::authority
