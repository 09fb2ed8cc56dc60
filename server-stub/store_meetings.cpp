// Booking sites' API keys and meetings (store.h; the rules are meetings.h).
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {
namespace {

constexpr const char* kKeyColumns = "key_id, name, secret_hash, webhook_url, webhook_secret, created_at, revoked_at";
constexpr const char* kMeetingColumns =
    "meeting_id, key_id, room_code, title, passcode, scheduled_start, scheduled_end, host_user_id, people, "
    "cancelled_at, created_at";

template <typename Row>
ApiKeyRecord read_key(const Row& row) {
  return {row.text(0), row.text(1), row.text(2), row.optional_text(3), row.text(4), row.integer(5), row.optional_integer(6)};
}

template <typename Row>
MeetingRecord read_meeting(const Row& row) {
  return {row.text(0),          row.text(1),          row.text(2), row.text(3), row.text(4),
          row.optional_integer(5), row.optional_integer(6), row.text(7), row.text(8), row.optional_integer(9),
          row.integer(10)};
}

}  // namespace

void Store::insert_api_key(const ApiKeyRecord& k) {
  Statement(*this, (std::string("INSERT INTO api_keys (") + kKeyColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?)").c_str())
      .bind(k.key_id).bind(k.name).bind(k.secret_hash).bind(k.webhook_url).bind(k.webhook_secret).bind(k.created_at)
      .bind(k.revoked_at)
      .run();
}

std::optional<ApiKeyRecord> Store::api_key(const std::string& key_id) {
  Statement query(*this, (std::string("SELECT ") + kKeyColumns + " FROM api_keys WHERE key_id = ?").c_str());
  query.bind(key_id);
  if (!query.step()) return std::nullopt;
  return read_key(query);
}

std::vector<ApiKeyRecord> Store::api_keys() {
  Statement query(*this, (std::string("SELECT ") + kKeyColumns + " FROM api_keys ORDER BY created_at").c_str());
  std::vector<ApiKeyRecord> keys;
  while (query.step()) keys.push_back(read_key(query));
  return keys;
}

bool Store::revoke_api_key(const std::string& key_id, std::int64_t now) {
  Statement(*this, "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL").bind(now).bind(key_id).run();
  return sqlite3_changes(db_) > 0;
}

bool Store::insert_meeting(const MeetingRecord& m) {
  return Statement(*this, (std::string("INSERT INTO meetings (") + kMeetingColumns +
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").c_str())
      .bind(m.meeting_id).bind(m.key_id).bind(m.room_code).bind(m.title).bind(m.passcode).bind(m.scheduled_start)
      .bind(m.scheduled_end).bind(m.host_user_id).bind(m.people_json).bind(m.cancelled_at).bind(m.created_at)
      .run();
}

std::optional<MeetingRecord> Store::meeting(const std::string& meeting_id) {
  Statement query(*this, (std::string("SELECT ") + kMeetingColumns + " FROM meetings WHERE meeting_id = ?").c_str());
  query.bind(meeting_id);
  if (!query.step()) return std::nullopt;
  return read_meeting(query);
}

void Store::cancel_meeting(const std::string& meeting_id, std::int64_t now) {
  Statement(*this, "UPDATE meetings SET cancelled_at = COALESCE(cancelled_at, ?) WHERE meeting_id = ?")
      .bind(now).bind(meeting_id)
      .run();
}

}  // namespace mehfil::server
