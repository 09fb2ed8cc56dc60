// The shared code editor's stored updates (store.h): appended as the room's rules take them, read
// back whole when a room's code is first needed.
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

}  // namespace mehfil::server
