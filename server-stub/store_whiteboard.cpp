// The whiteboard's stored elements (store.h): one row per element, its latest JSON body, written a
// batch of ops at a time and read back whole when a room's board is first needed.
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {

std::vector<std::string> Store::whiteboard(const std::string& room_code) {
  Statement query(*this, "SELECT body FROM whiteboard_elements WHERE room_code = ? ORDER BY element_id");
  query.bind(room_code);
  std::vector<std::string> bodies;
  while (query.step()) bodies.push_back(query.text(0));
  return bodies;
}

void Store::save_whiteboard_elements(const std::string& room_code,
                                     const std::vector<std::pair<std::string, std::string>>& id_and_json) {
  transaction([&] {  // one batch of ops, one transaction: all of it or none of it
    for (const auto& [id, body] : id_and_json) {
      Statement(*this, "INSERT INTO whiteboard_elements (room_code, element_id, body) VALUES (?, ?, ?) "
                     "ON CONFLICT (room_code, element_id) DO UPDATE SET body = excluded.body")
          .bind(room_code).bind(id).bind(body)
          .run();
    }
  });
}

}  // namespace mehfil::server
