// A person's profile in the store (store.h): their name, their avatar's version, and the rooms they
// made or were in, with their time in each.
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {

void Store::rename_user(const std::string& user_id, const std::string& display_name) {
  Statement(*this, "UPDATE users SET display_name = ? WHERE user_id = ?").bind(display_name).bind(user_id).run();
}

std::optional<std::int64_t> Store::avatar_version(const std::string& user_id) {
  Statement query(*this, "SELECT avatar_version FROM users WHERE user_id = ?");
  query.bind(user_id);
  return query.step() ? query.optional_integer(0) : std::nullopt;
}

void Store::set_avatar_version(const std::string& user_id, std::optional<std::int64_t> version) {
  Statement(*this, "UPDATE users SET avatar_version = ? WHERE user_id = ?").bind(version).bind(user_id).run();
}

// The rooms they made (created_by, indexed) and the rooms they were in (room_participants by user),
// each once, with their own row of the room's participants when they entered it.
std::vector<RoomVisitRecord> Store::room_history(const std::string& user_id, int limit) {
  Statement query(*this,
                  "WITH mine AS (SELECT room_code FROM rooms WHERE created_by = ?1 "
                  "              UNION SELECT room_code FROM room_participants WHERE user_id = ?1) "
                  "SELECT r.room_code, r.room_name, r.created_by = ?1, r.call_between != '', "
                  "       r.meeting_ends_at IS NOT NULL, r.is_active, COALESCE(p.is_kicked, 0), r.created_at, "
                  "       p.first_joined_at, p.joined_at, p.left_at, COALESCE(p.time_in_room_ms, 0) "
                  "FROM mine JOIN rooms r ON r.room_code = mine.room_code "
                  "LEFT JOIN room_participants p ON p.room_code = r.room_code AND p.user_id = ?1 "
                  "ORDER BY MAX(r.created_at, COALESCE(p.joined_at, 0)) DESC LIMIT ?2");
  query.bind(user_id).bind(limit);
  std::vector<RoomVisitRecord> visits;
  while (query.step()) {
    RoomVisitRecord v;
    v.room_code = query.text(0);
    v.room_name = query.text(1);
    v.created = query.integer(2) != 0;
    v.is_call = query.integer(3) != 0;
    v.is_meeting = query.integer(4) != 0;
    v.is_active = query.integer(5) != 0;
    v.removed = query.integer(6) != 0;
    v.created_at = query.integer(7);
    v.first_joined_at = query.optional_integer(8);
    v.last_joined_at = query.optional_integer(9);
    v.left_at = v.last_joined_at ? query.optional_integer(10) : std::nullopt;
    v.time_in_room_ms = query.integer(11);
    visits.push_back(std::move(v));
  }
  return visits;
}

}  // namespace mehfil::server
