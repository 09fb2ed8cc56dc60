// Files in chat: which files a room's chat takes, decided from the file's own bytes.
//
// A member attaches a file to the chat (POST /api/rooms/:code/files, server-stub/chat_files.h).
// Before anything is kept, the server asks check_chat_file, and this is the whole rule:
//   - the name is a file's name (TextRule::upload_name: no path, no control characters);
//   - it is not empty and at most the policy's max_bytes (the server's flag, 25 MB by default);
//   - its type is the one its name's extension says, one of kChatFileTypes in a group the server
//     allows (the flag's list): a name is what a download is saved as, so "invoice.html" is never
//     taken whatever its bytes (file_type_not_allowed);
//   - the Content-Type the browser claimed, if any, is that type or one of its other spellings
//     (Windows calls a zip application/x-zip-compressed), else file_type_mismatch;
//   - its bytes are that type (sniff_file): a PNG named .pdf, or a program named .txt, is
//     file_type_mismatch; programs and web pages (HTML, SVG, XML) are never taken at all
//     (file_type_not_allowed), whatever they claim;
//   - the room's files stay under the room's cap (quota_exceeded), and one person shares at most
//     kChatFilesPerMinute.
// Who may share (a member here, with chat on) is the room's rule: RoomAuthority::may_share_file.
//
// What is served back is decided here too: the type's canonical content type (never the claimed
// one); a picture is re-made by the server as kChatPictureType under served_picture_name and shown
// inline; every other file is an attachment.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "authority/problem.h"

namespace mehfil::authority {

// What a file's first bytes say it is.
enum class FileKind { png, jpeg, webp, gif, pdf, zip, text, program, markup, unknown };

FileKind sniff_file(std::string_view bytes);

// A type the chat takes.
struct ChatFileType {
  std::string_view content_type;  // canonical: what the server serves it as
  std::string_view extensions;    // space-separated, lowercase, the first is its usual one
  FileKind kind;                  // what its bytes must be
  std::string_view group;         // the server's flag allows types by group
  bool image = false;             // re-made by the server and shown inline as a thumbnail
  std::string_view aliases = {};  // other spellings browsers claim it with, space-separated
};

// Every type, and the groups: "image", "pdf", "text", "office", "archive".
std::span<const ChatFileType> chat_file_types();
bool is_chat_file_group(std::string_view group);
inline constexpr std::int64_t kDefaultChatFileMaxBytes = 25 * 1024 * 1024;
inline constexpr int kChatFilesPerMinute = 20;  // per person, in any room
// A picture is kept as the server made it: a WebP, named for what it is now ("cat.png" ->
// "cat.webp"; its own name when that would be too long a name).
inline constexpr std::string_view kChatPictureType = "image/webp";
std::string served_picture_name(std::string_view name);

struct ChatFilePolicy {
  std::int64_t max_bytes = kDefaultChatFileMaxBytes;
  std::vector<std::string> allowed_groups{"image", "pdf", "text", "office", "archive"};
  std::int64_t room_cap_bytes = 0;  // 0: no cap
  std::int64_t room_used_bytes = 0;
};

struct ChatFileOffer {
  std::string_view name;
  std::string_view claimed_type;  // the request's Content-Type, parameters and case as sent
  std::string_view bytes;         // the whole file
};

// The file's type when the chat takes it, else why not.
std::variant<ChatFileType, Problem> check_chat_file(const ChatFileOffer& offer, const ChatFilePolicy& policy);

}  // namespace mehfil::authority
