// The shared code editor's stored updates (store.h): appended as the room's rules take them, read
// back whole when a room's code is first needed, and the oldest replaced by one state (compaction).
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {

std::vector<std::string> Store::code_updates(const std::string& room_code) {
  Statement query(*this, "SELECT body FROM code_updates WHERE room_code = ? ORDER BY seq");
  query.bind(room_code);
  std::vector<std::string> bodies;
  while (query.step()) bodies.push_back(query.text(0));
  return bodies;
}

void Store::add_code_update(const std::string& room_code, const std::string& from_user_id, const std::string& body,
                            std::int64_t now) {
  Statement(*this, "INSERT INTO code_updates (room_code, from_user_id, body, stored_at) VALUES (?, ?, ?, ?)")
      .bind(room_code).bind(from_user_id).bind(body).bind(now)
      .run();
}

// The new row takes the seq of the last one it replaces, so it sorts before every later update.
void Store::compact_code_updates(const std::string& room_code, std::size_t upto, const std::string& from_user_id,
                                 const std::string& state, std::int64_t now) {
  transaction([&] {
    Statement last(*this, "SELECT seq FROM code_updates WHERE room_code = ? ORDER BY seq LIMIT 1 OFFSET ?");
    last.bind(room_code).bind(static_cast<std::int64_t>(upto) - 1);
    if (!last.step()) throw StorageError("compacting code updates: the room holds fewer than asked", false);
    const std::int64_t seq = last.integer(0);
    Statement(*this, "DELETE FROM code_updates WHERE room_code = ? AND seq <= ?").bind(room_code).bind(seq).run();
    Statement(*this, "INSERT INTO code_updates (seq, room_code, from_user_id, body, stored_at) VALUES (?, ?, ?, ?, ?)")
        .bind(seq).bind(room_code).bind(from_user_id).bind(state).bind(now)
        .run();
  });
}

}  // namespace mehfil::server
