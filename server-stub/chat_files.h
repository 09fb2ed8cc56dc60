// ChatFiles: the server's side of files in chat, the I/O the chat-file rule decides
// (authority/chat_files.h). It checks an upload against the rule and the uploader's budget, keeps
// its bytes under the data directory (a picture made again first, chat_image.h), serves them back,
// and removes a room's files when the room ends.
//
//   <data>/chat-files/<room code>/<file id>          the file (a picture: the WebP the server made)
//   <data>/chat-files/<room code>/<file id>.thumb    a picture's thumbnail (WebP)
//
// Who may share and fetch, and what becomes of the message that carries the file, is the room's:
// RoomHub (room_files.cpp) asks the room's rules, then this. The routes:
//   POST /api/rooms/:code/files?name=N&client_msg_id=C    body: the bytes; Content-Type: the type
//                                                         -> {message_id, file}
//   GET  /api/rooms/:code/files/:file_id[/thumbnail]      (the room's members, with their session)
//
// Writing (and making pictures) happens on a worker thread of its own, a few uploads queued at
// most; answers come back to the I/O thread through `io`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "authority/chat_files.h"
#include "protocol/messages.h"
#include "rate_limiter.h"
#include "room_hub.h"
#include "store.h"

namespace mehfil::server {

inline constexpr int kMaxQueuedChatFiles = 4;  // being written or made; more is rate_limited (busy)

// "/api/rooms/<code>/files" and the paths under it: api_routes.cpp routes them, and
// http_session.cpp lets an upload there be as big as a chat file may be.
inline bool is_chat_file_path(std::string_view path) {
  constexpr std::string_view kRooms = "/api/rooms/";
  if (!path.starts_with(kRooms)) return false;
  const auto slash = path.find('/', kRooms.size());
  if (slash == std::string_view::npos) return false;
  const std::string_view rest = path.substr(slash);
  return rest == "/files" || rest.starts_with("/files/");
}

struct ChatFileUpload {
  std::string name;
  std::string claimed_type;
  std::string client_msg_id;
  std::string bytes;
};

using ChatFileKept = std::variant<protocol::server::ChatFile, authority::Problem>;

class ChatFiles {
 public:
  // `policy`: the size cap, the allowed groups and the room cap (the server's flags).
  ChatFiles(Store& store, boost::asio::io_context& io, std::string directory, authority::ChatFilePolicy policy);
  ~ChatFiles();
  ChatFiles(const ChatFiles&) = delete;
  ChatFiles& operator=(const ChatFiles&) = delete;

  // Checks `upload` for `room_code` and keeps it; `done` runs on the I/O thread with the file, or
  // why not (nothing kept then).
  void keep(const std::string& user_id, const std::string& room_code, ChatFileUpload upload,
            std::function<void(ChatFileKept)> done);
  // A kept file whose message could not be stored (or whose room ended meanwhile).
  void discard(const std::string& room_code, const std::string& file_id);
  // The file (or a picture's thumbnail) for someone the room's rules let fetch it.
  ApiReply serve(const std::string& room_code, const std::string& file_id, bool thumbnail);
  // The room ended: its files go, from the disk and the store.
  void remove_room(const std::string& room_code);
  void sweep();  // forgets budgets that are full again

 private:
  std::string room_dir(const std::string& room_code) const;

  Store& store_;
  boost::asio::io_context& io_;
  std::string directory_;
  std::string scratch_dir_;
  authority::ChatFilePolicy policy_;
  KeyedBuckets uploads_per_user_{authority::kChatFilesPerMinute, std::chrono::seconds(60)};
  int queued_ = 0;
  std::map<std::string, std::int64_t> incoming_bytes_;  // per room: uploads on the worker, not stored yet
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  boost::asio::thread_pool writer_{1};  // last: joined before the rest goes
};

}  // namespace mehfil::server
