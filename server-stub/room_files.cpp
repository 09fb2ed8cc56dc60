// Files in chat, the room's side (room_hub.h; the files themselves are chat_files.h's): the room's
// rules say who may share and fetch (RoomAuthority::may_share_file, may_fetch_file); a file kept
// becomes a chat message carrying it, stored and then told to everyone like any other.
#include "room_hub.h"

#include "chat_files.h"
#include "log.h"
#include "tokens.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;

json file_json(const protocol::server::ChatFile& f) {
  return {{"file_id", f.file_id}, {"name", f.name},   {"size", f.size},    {"content_type", f.content_type},
          {"image", f.image},     {"width", f.width}, {"height", f.height}};
}

}  // namespace

void RoomHub::share_file(const Claims& user, const std::string& room_code, ChatFileUpload upload, ApiCallback done) {
  LiveRoom* live = room(room_code);
  if (!live) return done(error({404, ErrorCode::room_not_found, "The room \"" + room_code + "\" doesn't exist or has expired."}));
  if (auto refused = live->rules.may_share_file(user.sub)) return done(refusal(*refused));
  const std::string client_msg_id = upload.client_msg_id;
  files_.keep(user.sub, room_code, std::move(upload), [this, user_id = user.sub, room_code, client_msg_id, done](ChatFileKept kept) {
    if (const auto* refused = std::get_if<authority::Problem>(&kept)) return done(refusal(*refused));
    const auto& file = std::get<protocol::server::ChatFile>(kept);
    try {
      // The file took a moment: the room may have ended, or they left, or chat was turned off.
      LiveRoom* now_live = room(room_code);
      const auto refused = now_live ? now_live->rules.may_share_file(user_id)
                                    : authority::Problem{ErrorCode::room_not_found, "The room has ended.", std::nullopt};
      if (refused) {
        files_.discard(room_code, file.file_id);
        return done(refusal(*refused));
      }
      ChatRecord chat{"m" + random_token(9), room_code, user_id, now_live->rules.member(user_id)->display_name, "", now_ms(),
                      client_msg_id, file};
      store_.insert_chat(chat, config_.chat_messages_per_room);
      now_live->chat_pages.reset();
      apply(*now_live, now_live->rules.tell_everyone(protocol::server::ChatMessage{
                           chat.id, chat.from_user_id, chat.display_name, chat.text, chat.sent_at, chat.client_msg_id, chat.file}));
      done({200, {{"message_id", chat.id}, {"file", file_json(file)}}});
    } catch (const StorageError& failure) {
      files_.discard(room_code, file.file_id);
      done(error(storage_problem(failure, "sharing a file in chat")));
    }
  });
}

ApiReply RoomHub::chat_file(const Claims& user, const std::string& room_code, const std::string& file_id, bool thumbnail) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "The room \"" + room_code + "\" doesn't exist or has expired."});
  if (auto refused = live->rules.may_fetch_file(user.sub)) return refusal(*refused);
  return files_.serve(room_code, file_id, thumbnail);
}

}  // namespace mehfil::server
