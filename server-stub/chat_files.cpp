// Files in chat (chat_files.h): checking, keeping, serving and removing them.
#include "chat_files.h"

#include <filesystem>
#include <fstream>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "chat_image.h"
#include "log.h"
#include "protocol/validation.h"
#include "tokens.h"

namespace mehfil::server {
namespace {

namespace fs = std::filesystem;
using protocol::ErrorCode;
using protocol::server::ChatFile;

authority::Problem problem(ErrorCode code, std::string message, std::optional<int> retry_after = std::nullopt) {
  return {code, std::move(message), retry_after};
}

// RFC 6266: an ASCII name for old clients and the UTF-8 one (RFC 8187) for the rest. The name
// passed TextRule::upload_name, so it holds no quote, backslash or control character.
std::string content_disposition(bool inline_, const std::string& name) {
  std::string ascii, encoded;
  constexpr std::string_view kAttrChars = "!#$&+-.^_`|~";
  for (const unsigned char c : name) {
    ascii += c < 0x80 ? static_cast<char>(c) : '_';
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || kAttrChars.find(static_cast<char>(c)) != std::string_view::npos) {
      encoded += static_cast<char>(c);
    } else {
      constexpr char kHex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return std::string(inline_ ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

bool write_whole(const std::string& path, const std::string& bytes) {
  const std::string partial = path + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.flush();
    if (!file) return false;
  }
  std::error_code ec;
  fs::rename(partial, path, ec);
  if (ec) fs::remove(partial, ec);
  return !ec;
}

}  // namespace

ChatFiles::ChatFiles(Store& store, boost::asio::io_context& io, std::string directory, authority::ChatFilePolicy policy)
    : store_(store), io_(io), directory_(std::move(directory)), scratch_dir_(directory_ + "/.incoming"), policy_(std::move(policy)) {
  std::error_code ec;
  fs::remove_all(scratch_dir_, ec);  // uploads that were on their way when the server stopped
  fs::create_directories(scratch_dir_, ec);
  try {
    for (const std::string& room_code : store_.closed_rooms_with_chat_files()) remove_room(room_code);
  } catch (const StorageError& error) {
    log::storage_failed("removing the files of ended rooms", error.what());
  }
}

ChatFiles::~ChatFiles() {
  *alive_ = false;
  writer_.join();
}

std::string ChatFiles::room_dir(const std::string& room_code) const { return directory_ + "/" + room_code; }

void ChatFiles::keep(const std::string& user_id, const std::string& room_code, ChatFileUpload upload,
                     std::function<void(ChatFileKept)> done) {
  authority::ChatFilePolicy policy = policy_;
  // Files still on their way count too: four at once must not each fit in the same room left.
  if (policy.room_cap_bytes > 0) {
    const auto incoming = incoming_bytes_.find(room_code);
    policy.room_used_bytes = store_.room_chat_file_bytes(room_code) + (incoming == incoming_bytes_.end() ? 0 : incoming->second);
  }
  const auto checked = authority::check_chat_file({upload.name, upload.claimed_type, upload.bytes}, policy);
  if (const auto* refused = std::get_if<authority::Problem>(&checked)) return done(*refused);
  const authority::ChatFileType type = std::get<authority::ChatFileType>(checked);
  if (auto wait = uploads_per_user_.take(user_id, 1, KeyedBuckets::Clock::now())) {  // kChatFilesPerMinute
    return done(problem(ErrorCode::rate_limited, "You shared many files in a short time: wait a moment.", *wait));
  }
  if (queued_ >= kMaxQueuedChatFiles) {
    return done(problem(ErrorCode::rate_limited, "The server is busy with other files: try again in a moment.", 2));
  }
  ++queued_;
  const auto size = static_cast<std::int64_t>(upload.bytes.size());
  incoming_bytes_[room_code] += size;
  ChatFile file{"f" + random_token(12), upload.name, static_cast<std::int64_t>(upload.bytes.size()),
                std::string(type.content_type), type.image, 0, 0};
  std::error_code ec;
  fs::create_directories(room_dir(room_code), ec);
  const std::string path = room_dir(room_code) + "/" + file.file_id;
  boost::asio::post(writer_, [this, room_code, size, file, path, bytes = std::move(upload.bytes), done = std::move(done),
                              alive = alive_]() mutable {
    ChatFileKept kept = file;
    try {
      if (file.image) {
        const ChatImage made = make_chat_image(bytes, scratch_dir_, path, path + ".thumb");
        if (made.ok) {
          file.name = authority::served_picture_name(file.name);
          file.content_type = std::string(authority::kChatPictureType);
          file.size = made.size;
          file.width = made.width;
          file.height = made.height;
          kept = file;
        } else {
          spdlog::info("a chat picture was refused: {}", made.problem);
          kept = problem(ErrorCode::file_type_mismatch, "That picture could not be read: it may be damaged, or not a picture.");
        }
      } else if (!write_whole(path, bytes)) {
        spdlog::error("could not keep a chat file at {}: {}", path, std::strerror(errno));
        kept = problem(errno == ENOSPC ? ErrorCode::storage_full : ErrorCode::internal, "The server could not keep the file.");
      }
    } catch (const std::exception& error) {  // out of memory, a filesystem error: this file alone fails
      spdlog::error("could not keep a chat file: {}", error.what());
      kept = problem(ErrorCode::internal, "The server could not keep the file.");
    }
    boost::asio::post(io_, [this, room_code, size, kept = std::move(kept), done = std::move(done), alive]() {
      if (!*alive) return;
      --queued_;
      if ((incoming_bytes_[room_code] -= size) <= 0) incoming_bytes_.erase(room_code);
      done(kept);
    });
  });
}

void ChatFiles::discard(const std::string& room_code, const std::string& file_id) {
  std::error_code ec;
  fs::remove(room_dir(room_code) + "/" + file_id, ec);
  fs::remove(room_dir(room_code) + "/" + file_id + ".thumb", ec);
}

ApiReply ChatFiles::serve(const std::string& room_code, const std::string& file_id, bool thumbnail) {
  const auto missing = [] { return RoomHub::refusal(problem(ErrorCode::not_found, "There is no such file in this room.")); };
  const auto file = protocol::is_id(file_id) ? store_.find_chat_file(room_code, file_id) : std::nullopt;
  if (!file || (thumbnail && !file->image)) return missing();
  const std::string path = room_dir(room_code) + "/" + file->file_id + (thumbnail ? ".thumb" : "");
  std::error_code ec;
  const std::uint64_t size = fs::file_size(path, ec);
  if (ec) return missing();
  ApiReply reply;
  reply.file = FileSlice{path, file->content_type, 0, size, size, false};
  // A file never changes under its id: the member's browser may keep it (it is theirs alone).
  reply.file->cache_control = "private, max-age=86400, immutable";
  // Only the pictures the server made are shown inline; every other file is a download.
  reply.file->disposition = content_disposition(file->image, file->name);
  return reply;
}

// The folder first: the rows are what the start-up sweep finds ended rooms' files by.
void ChatFiles::remove_room(const std::string& room_code) {
  std::error_code ec;
  fs::remove_all(room_dir(room_code), ec);
  store_.delete_chat_files(room_code);
}

void ChatFiles::sweep() { uploads_per_user_.forget_idle(KeyedBuckets::Clock::now()); }

}  // namespace mehfil::server
