// Store (store.h): the people outside any one room. Friendships, the 1:1 call history, and invites
// to rooms. Split from store.cpp, which keeps the schema and the rooms.
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {

std::optional<std::string> Store::friendship(const std::string& user_id, const std::string& friend_user_id) {
  Statement query(*this, "SELECT state FROM friendships WHERE user_id = ? AND friend_user_id = ?");
  query.bind(user_id).bind(friend_user_id);
  if (!query.step()) return std::nullopt;
  return query.text(0);
}

void Store::request_friend(const std::string& from, const std::string& to, std::int64_t now) {
  Statement(*this, "INSERT OR IGNORE INTO friendships (user_id, friend_user_id, state, created_at) VALUES (?, ?, 'requested', ?)")
      .bind(from).bind(to).bind(now)
      .run();
}

void Store::make_friends(const std::string& a, const std::string& b, std::int64_t now) {
  transaction([&] {
    for (const auto& [one, other] : {std::pair{a, b}, std::pair{b, a}}) {
      Statement(*this, "INSERT INTO friendships (user_id, friend_user_id, state, created_at) VALUES (?, ?, 'friends', ?) "
                       "ON CONFLICT (user_id, friend_user_id) DO UPDATE SET state = 'friends'")
          .bind(one).bind(other).bind(now)
          .run();
    }
  });
}

int Store::friendships_of(const std::string& user_id) {
  Statement query(*this, "SELECT COUNT(*) FROM friendships WHERE user_id = ?");
  query.bind(user_id);
  return query.step() ? static_cast<int>(query.integer(0)) : 0;
}

std::vector<FriendRecord> Store::friends_of(const std::string& user_id) {
  Statement query(*this,
                  "SELECT f.friend_user_id, u.display_name, CASE f.state WHEN 'friends' THEN 'friends' ELSE 'outgoing' END "
                  "FROM friendships f JOIN users u ON u.user_id = f.friend_user_id WHERE f.user_id = ? "
                  "UNION ALL "
                  "SELECT f.user_id, u.display_name, 'incoming' FROM friendships f JOIN users u ON u.user_id = f.user_id "
                  "WHERE f.friend_user_id = ? AND f.state = 'requested' "
                  "ORDER BY 2 LIMIT 500");
  query.bind(user_id).bind(user_id);
  std::vector<FriendRecord> friends;
  while (query.step()) friends.push_back({query.text(0), query.text(1), query.text(2)});
  return friends;
}

void Store::insert_call(const authority::EndedCall& c, int keep_per_caller) {
  transaction([&] {
    Statement(*this, "INSERT OR IGNORE INTO calls (call_id, caller, callee, video, rung_at, answered_at, ended_at, end_reason) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(c.call_id).bind(c.caller).bind(c.callee).bind(c.video).bind(c.rung_at).bind(c.answered_at)
        .bind(c.ended_at).bind(c.end)
        .run();
    Statement(*this, "DELETE FROM calls WHERE caller = ? AND call_id NOT IN "
                   "(SELECT call_id FROM calls WHERE caller = ? ORDER BY rung_at DESC LIMIT ?)")
        .bind(c.caller).bind(c.caller).bind(keep_per_caller)
        .run();
  });
}

std::vector<CallRecord> Store::calls_of(const std::string& user_id, int limit) {
  Statement query(*this,
                  "SELECT c.call_id, c.caller, c.callee, c.video, c.rung_at, c.answered_at, c.ended_at, c.end_reason, "
                  "COALESCE(u.display_name, '') FROM calls c LEFT JOIN users u "
                  "ON u.user_id = CASE WHEN c.caller = ? THEN c.callee ELSE c.caller END "
                  "WHERE c.caller = ? OR c.callee = ? ORDER BY c.rung_at DESC, c.rowid DESC LIMIT ?");
  query.bind(user_id).bind(user_id).bind(user_id).bind(limit);
  std::vector<CallRecord> calls;
  while (query.step()) {
    calls.push_back({{query.text(0), query.text(1), query.text(2), query.integer(3) != 0, query.integer(4),
                      query.optional_integer(5), query.integer(6), query.text(7)},
                     query.text(8)});
  }
  return calls;
}

std::optional<std::string> Store::put_invite(const InviteRecord& i) {
  std::optional<std::string> replaced;
  transaction([&] {
    Statement old(*this, "SELECT invite_id FROM invites WHERE room_code = ? AND to_user_id = ?");
    old.bind(i.room_code).bind(i.to_user_id);
    if (old.step()) replaced = old.text(0);
    Statement(*this, "DELETE FROM invites WHERE room_code = ? AND to_user_id = ?").bind(i.room_code).bind(i.to_user_id).run();
    Statement(*this, "INSERT INTO invites (invite_id, room_code, from_user_id, from_display_name, to_user_id, sent_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(i.invite_id).bind(i.room_code).bind(i.from_user_id).bind(i.from_display_name).bind(i.to_user_id).bind(i.sent_at)
        .run();
  });
  return replaced;
}

bool Store::has_invite(const std::string& room_code, const std::string& to_user_id, std::int64_t since) {
  Statement query(*this, "SELECT 1 FROM invites WHERE room_code = ? AND to_user_id = ? AND sent_at >= ?");
  query.bind(room_code).bind(to_user_id).bind(since);
  return query.step();
}

std::vector<InviteRecord> Store::withdraw_invites(const std::string& room_code, const std::string& from_user_id) {
  std::vector<InviteRecord> gone;
  transaction([&] {
    Statement query(*this, "SELECT invite_id, room_code, from_user_id, from_display_name, to_user_id, sent_at FROM invites "
                           "WHERE room_code = ? AND (? = '' OR from_user_id = ?)");
    query.bind(room_code).bind(from_user_id).bind(from_user_id);
    while (query.step()) {
      gone.push_back({query.text(0), query.text(1), query.text(2), query.text(3), query.text(4), query.integer(5), {}});
    }
    Statement(*this, "DELETE FROM invites WHERE room_code = ? AND (? = '' OR from_user_id = ?)")
        .bind(room_code).bind(from_user_id).bind(from_user_id)
        .run();
  });
  return gone;
}

bool Store::delete_invite(const std::string& invite_id, const std::string& to_user_id) {
  Statement(*this, "DELETE FROM invites WHERE invite_id = ? AND to_user_id = ?").bind(invite_id).bind(to_user_id).run();
  return sqlite3_changes(db_) > 0;
}

std::vector<std::string> Store::delete_invites(const std::string& room_code, const std::string& to_user_id) {
  std::vector<std::string> ids;
  transaction([&] {
    Statement query(*this, "SELECT invite_id FROM invites WHERE room_code = ? AND to_user_id = ?");
    query.bind(room_code).bind(to_user_id);
    while (query.step()) ids.push_back(query.text(0));
    Statement(*this, "DELETE FROM invites WHERE room_code = ? AND to_user_id = ?").bind(room_code).bind(to_user_id).run();
  });
  return ids;
}

std::vector<InviteRecord> Store::invites_to(const std::string& user_id, std::int64_t since, int limit) {
  Statement query(*this,
                  "SELECT i.invite_id, i.room_code, i.from_user_id, i.from_display_name, i.to_user_id, i.sent_at, r.room_name "
                  "FROM invites i JOIN rooms r ON r.room_code = i.room_code "
                  "WHERE i.to_user_id = ? AND r.is_active = 1 AND i.sent_at >= ? ORDER BY i.sent_at DESC, i.rowid DESC LIMIT ?");
  query.bind(user_id).bind(since).bind(limit);
  std::vector<InviteRecord> invites;
  while (query.step()) {
    invites.push_back({query.text(0), query.text(1), query.text(2), query.text(3), query.text(4), query.integer(5), query.text(6)});
  }
  return invites;
}

}  // namespace mehfil::server
