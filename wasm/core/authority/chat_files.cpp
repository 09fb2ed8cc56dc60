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
    {"image/jpeg", "jpg jpeg", FileKind::jpeg, "image", true, "image/jpg image/pjpeg"},
    {"image/webp", "webp", FileKind::webp, "image", true},
    {"image/gif", "gif", FileKind::gif, "image", true},
    {"application/pdf", "pdf", FileKind::pdf, "pdf", false, "application/x-pdf"},
    {"text/plain", "txt log", FileKind::text, "text"},
    {"text/csv", "csv", FileKind::text, "text", false, "application/vnd.ms-excel application/csv text/x-csv"},
    {"text/markdown", "md markdown", FileKind::text, "text", false, "text/x-markdown"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", FileKind::zip, "office"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", FileKind::zip, "office"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", FileKind::zip, "office"},
    {"application/vnd.oasis.opendocument.text", "odt", FileKind::zip, "office"},
    {"application/vnd.oasis.opendocument.spreadsheet", "ods", FileKind::zip, "office"},
    {"application/vnd.oasis.opendocument.presentation", "odp", FileKind::zip, "office"},
    {"application/zip", "zip", FileKind::zip, "archive", false, "application/x-zip-compressed application/x-zip"},
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

// Whether `word` is one of the space-separated words of `list`.
bool listed(std::string_view list, std::string_view word) {
  while (!list.empty()) {
    const std::string_view one = list.substr(0, list.find(' '));
    if (one == word) return true;
    list.remove_prefix(std::min(list.size(), one.size() + 1));
  }
  return false;
}

// The type a file's name says it is: its extension's.
const ChatFileType* type_of_name(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  const std::string extension = lowercase(name.substr(dot + 1));
  for (const ChatFileType& t : kChatFileTypes) {
    if (listed(t.extensions, extension)) return &t;
  }
  return nullptr;
}

// Whether the browser's Content-Type agrees with the name's type (saying nothing agrees).
bool claim_agrees(const ChatFileType& type, std::string_view claimed) {
  const std::string said = media_type(claimed);
  return said.empty() || said == "application/octet-stream" || said == type.content_type || listed(type.aliases, said);
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

std::string served_picture_name(std::string_view name) {
  const auto dot = name.rfind('.');
  std::string made = std::string(dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot)) + ".webp";
  return protocol::check_text(protocol::TextRule::upload_name, made) ? std::string(name) : made;
}

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
  const ChatFileType* type = type_of_name(offer.name);
  if (!type || std::find(policy.allowed_groups.begin(), policy.allowed_groups.end(), type->group) == policy.allowed_groups.end()) {
    return refused(ErrorCode::file_type_not_allowed, "This kind of file can't be shared in chat here.");
  }
  if (!claim_agrees(*type, offer.claimed_type)) {
    return refused(ErrorCode::file_type_mismatch, "The file's name says " + std::string(type->content_type) + " but its type says " +
                                                      media_type(offer.claimed_type) + ".");
  }
  if (type->kind != kind) {
    return refused(ErrorCode::file_type_mismatch, "The file's contents are not " + std::string(type->content_type) + " as its name says.");
  }
  if (policy.room_cap_bytes > 0 && policy.room_used_bytes + size > policy.room_cap_bytes) {
    return refused(ErrorCode::quota_exceeded, "This room's files are full: nothing more can be shared in it.");
  }
  return *type;
}

}  // namespace mehfil::authority
