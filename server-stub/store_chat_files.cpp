// Files shared in chat, in the store (store.h; the rule is authority/chat_files.h, the bytes are
// chat_files.h's). A file's row is written with its message (Store::insert_chat).
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {

std::optional<protocol::server::ChatFile> Store::find_chat_file(const std::string& room_code, const std::string& file_id) {
  Statement query(*this, "SELECT file_id, name, size, content_type, is_image, width, height FROM chat_files "
                         "WHERE room_code = ? AND file_id = ?");
  query.bind(room_code).bind(file_id);
  if (!query.step()) return std::nullopt;
  return protocol::server::ChatFile{query.text(0), query.text(1), query.integer(2), query.text(3), query.integer(4) != 0,
                                    static_cast<int>(query.integer(5)), static_cast<int>(query.integer(6))};
}

std::int64_t Store::room_chat_file_bytes(const std::string& room_code) {
  Statement query(*this, "SELECT COALESCE(SUM(size), 0) FROM chat_files WHERE room_code = ?");
  query.bind(room_code);
  return query.step() ? query.integer(0) : 0;
}

void Store::delete_chat_files(const std::string& room_code) {
  transaction([&] {
    Statement(*this, "UPDATE chat_messages SET file_id = NULL, text = '' WHERE room_code = ? AND file_id IS NOT NULL")
        .bind(room_code).run();
    Statement(*this, "DELETE FROM chat_files WHERE room_code = ?").bind(room_code).run();
  });
}

std::vector<std::string> Store::closed_rooms_with_chat_files() {
  Statement query(*this, "SELECT DISTINCT f.room_code FROM chat_files f JOIN rooms r ON r.room_code = f.room_code "
                         "WHERE r.is_active = 0");
  std::vector<std::string> rooms;
  while (query.step()) rooms.push_back(query.text(0));
  return rooms;
}

}  // namespace mehfil::server
