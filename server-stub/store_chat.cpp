// A room's chat in the store (store.h): its messages, and the files shared in it (the rule is
// authority/chat_files.h, the bytes are chat_files.h's). A file's row is written with its message.
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {
namespace {

// A shared file's columns, read from `first` on: file_id, name, size, content_type, is_image, width,
// height. (A template: Store::Statement is Store's own, and only deduced here.)
template <class Row>
protocol::server::ChatFile chat_file_at(const Row& query, int first) {
  return protocol::server::ChatFile{query.text(first), query.text(first + 1), query.integer(first + 2), query.text(first + 3),
                                    query.integer(first + 4) != 0, static_cast<int>(query.integer(first + 5)),
                                    static_cast<int>(query.integer(first + 6))};
}

}  // namespace

void Store::insert_chat(const ChatRecord& c, int keep_newest) {
  transaction([&] {
    if (c.file) {
      const auto& f = *c.file;
      Statement(*this, "INSERT INTO chat_files (file_id, room_code, uploader_user_id, name, content_type, is_image, size, "
                     "width, height, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(f.file_id).bind(c.room_code).bind(c.from_user_id).bind(f.name).bind(f.content_type).bind(f.image ? 1 : 0)
          .bind(f.size).bind(f.width).bind(f.height).bind(c.sent_at)
          .run();
    }
    Statement(*this, "INSERT INTO chat_messages (id, room_code, from_user_id, display_name, text, sent_at, client_msg_id, file_id) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(c.id).bind(c.room_code).bind(c.from_user_id).bind(c.display_name).bind(c.text).bind(c.sent_at)
        .bind(c.client_msg_id).bind(c.file ? std::optional<std::string>(c.file->file_id) : std::nullopt)
        .run();
    // rowids grow with every insert, so "older than the keep_newest-th newest row" is one range.
    Statement(*this, "DELETE FROM chat_messages WHERE room_code = ? AND rowid <= (SELECT rowid FROM chat_messages "
                   "WHERE room_code = ? ORDER BY rowid DESC LIMIT 1 OFFSET ?)")
        .bind(c.room_code).bind(c.room_code).bind(keep_newest)
        .run();
  });
}

std::vector<ChatRecord> Store::recent_chat(const std::string& room_code, int limit, const std::optional<std::string>& up_to) {
  // A message whose file row is gone is left out (a room's files go when it ends, and its messages
  // are then emptied: delete_chat_files). `up_to` names the last line wanted (a reported message,
  // however far back); one this room does not hold (pruned) is as if none were named.
  Statement query(*this, "SELECT m.id, m.room_code, m.from_user_id, m.display_name, m.text, m.sent_at, m.client_msg_id, "
                       "m.file_id, f.name, f.size, f.content_type, f.is_image, f.width, f.height FROM "
                       "(SELECT rowid AS row, * FROM chat_messages WHERE room_code = ?1 AND (?3 IS NULL "
                       "  OR NOT EXISTS (SELECT 1 FROM chat_messages WHERE id = ?3 AND room_code = ?1) "
                       "  OR (sent_at, rowid) <= (SELECT sent_at, rowid FROM chat_messages WHERE id = ?3 AND room_code = ?1)) "
                       " ORDER BY sent_at DESC, rowid DESC LIMIT ?2) m "
                       "LEFT JOIN chat_files f ON f.file_id = m.file_id "
                       "WHERE m.file_id IS NULL OR f.file_id IS NOT NULL ORDER BY m.sent_at ASC, m.row ASC");
  query.bind(room_code).bind(limit).bind(up_to);
  std::vector<ChatRecord> messages;
  while (query.step()) {
    ChatRecord m{query.text(0), query.text(1), query.text(2), query.text(3), query.text(4), query.integer(5), query.text(6), std::nullopt};
    if (query.optional_text(7)) m.file = chat_file_at(query, 7);
    messages.push_back(std::move(m));
  }
  return messages;
}

std::optional<protocol::server::ChatFile> Store::find_chat_file(const std::string& room_code, const std::string& file_id) {
  Statement query(*this, "SELECT file_id, name, size, content_type, is_image, width, height FROM chat_files "
                         "WHERE room_code = ? AND file_id = ?");
  query.bind(room_code).bind(file_id);
  if (!query.step()) return std::nullopt;
  return chat_file_at(query, 0);
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
