// Booking sites' API keys and meetings (store.h; the rules are meetings.h).
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {
namespace {

constexpr const char* kKeyColumns = "key_id, name, secret_hash, webhook_url, webhook_secret, created_at, revoked_at, is_admin";
constexpr const char* kMeetingColumns =
    "meeting_id, key_id, room_code, title, passcode, scheduled_start, scheduled_end, host_user_id, people, "
    "cancelled_at, created_at";

constexpr const char* kDeliveryColumns =
    "delivery_id, key_id, meeting_id, event, body, state, attempts, last_status, last_error, next_attempt_at, "
    "created_at, delivered_at";  // and seq, the order they were made in

template <typename Row>
DeliveryRecord read_delivery(const Row& row) {
  return {row.text(0), row.text(1),          row.text(2),          row.text(3),         row.text(4),
          row.text(5), static_cast<int>(row.integer(6)), row.optional_integer(7), row.optional_text(8), row.integer(9),
          row.integer(10), row.optional_integer(11)};
}

template <typename Row>
ApiKeyRecord read_key(const Row& row) {
  return {row.text(0), row.text(1), row.text(2), row.optional_text(3), row.text(4), row.integer(5), row.optional_integer(6),
          row.integer(7) != 0};
}

template <typename Row>
MeetingRecord read_meeting(const Row& row) {
  return {row.text(0),          row.text(1),          row.text(2), row.text(3), row.text(4),
          row.optional_integer(5), row.optional_integer(6), row.text(7), row.text(8), row.optional_integer(9),
          row.integer(10)};
}

}  // namespace

void Store::insert_api_key(const ApiKeyRecord& k) {
  Statement(*this, (std::string("INSERT INTO api_keys (") + kKeyColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)").c_str())
      .bind(k.key_id).bind(k.name).bind(k.secret_hash).bind(k.webhook_url).bind(k.webhook_secret).bind(k.created_at)
      .bind(k.revoked_at).bind(k.is_admin ? 1 : 0)
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

std::optional<MeetingRecord> Store::meeting_of_room(const std::string& room_code) {
  Statement query(*this, (std::string("SELECT ") + kMeetingColumns + " FROM meetings WHERE room_code = ?").c_str());
  query.bind(room_code);
  if (!query.step()) return std::nullopt;
  return read_meeting(query);
}

std::vector<std::string> Store::meeting_rooms_ending(std::int64_t now) {
  Statement query(*this, "SELECT room_code FROM rooms WHERE is_active = 1 AND meeting_ends_at IS NOT NULL "
                         "AND meeting_ends_at <= ? LIMIT 100");
  query.bind(now);
  std::vector<std::string> codes;
  while (query.step()) codes.push_back(query.text(0));
  return codes;
}

void Store::insert_delivery(const DeliveryRecord& d) {
  Statement(*this, (std::string("INSERT INTO webhook_deliveries (") + kDeliveryColumns +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").c_str())
      .bind(d.delivery_id).bind(d.key_id).bind(d.meeting_id).bind(d.event).bind(d.body).bind(d.state).bind(d.attempts)
      .bind(d.last_status).bind(d.last_error).bind(d.next_attempt_at).bind(d.created_at).bind(d.delivered_at)
      .run();
}

bool Store::has_delivery(const std::string& meeting_id, const std::string& event) {
  Statement query(*this, "SELECT 1 FROM webhook_deliveries WHERE meeting_id = ? AND event = ? LIMIT 1");
  query.bind(meeting_id).bind(event);
  return query.step();
}

std::vector<DeliveryRecord> Store::due_deliveries(std::int64_t now, int limit) {
  std::vector<DeliveryRecord> due;
  transaction([&] {
    // A meeting's events go out in order: one waits while an earlier one of its meeting is still
    // pending or being sent (one that failed for good no longer holds the rest).
    Statement query(*this, "SELECT d.delivery_id, d.key_id, d.meeting_id, d.event, d.body, d.state, d.attempts, "
                           "d.last_status, d.last_error, d.next_attempt_at, d.created_at, d.delivered_at "
                           "FROM webhook_deliveries d WHERE d.state = 'pending' AND d.next_attempt_at <= ? "
                           "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.meeting_id = d.meeting_id "
                           "AND e.state IN ('pending', 'sending') AND e.seq < d.seq) "
                           "ORDER BY d.next_attempt_at LIMIT ?");
    query.bind(now).bind(limit);
    while (query.step()) due.push_back(read_delivery(query));
    for (DeliveryRecord& d : due) {
      d.state = "sending";
      Statement(*this, "UPDATE webhook_deliveries SET state = 'sending' WHERE delivery_id = ?").bind(d.delivery_id).run();
    }
  });
  return due;
}

void Store::update_delivery(const DeliveryRecord& d) {
  Statement(*this, "UPDATE webhook_deliveries SET state = ?, attempts = ?, last_status = ?, last_error = ?, "
                   "next_attempt_at = ?, delivered_at = ? WHERE delivery_id = ?")
      .bind(d.state).bind(d.attempts).bind(d.last_status).bind(d.last_error).bind(d.next_attempt_at).bind(d.delivered_at)
      .bind(d.delivery_id)
      .run();
}

std::vector<DeliveryRecord> Store::deliveries_of(const std::string& meeting_id) {
  Statement query(*this, (std::string("SELECT ") + kDeliveryColumns +
                          " FROM webhook_deliveries WHERE meeting_id = ? ORDER BY seq LIMIT 500").c_str());
  query.bind(meeting_id);
  std::vector<DeliveryRecord> list;
  while (query.step()) list.push_back(read_delivery(query));
  return list;
}

void Store::resume_sending_deliveries() {
  Statement(*this, "UPDATE webhook_deliveries SET state = 'pending' WHERE state = 'sending'").run();
}

}  // namespace mehfil::server
