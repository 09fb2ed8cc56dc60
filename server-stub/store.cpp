// SQLite storage for the server (store.h): the schema and its migrations, users, rooms, members. The
// whiteboard is store_whiteboard.cpp, the chat store_chat.cpp; people outside rooms (friends, the
// call history, invites) are store_people.cpp.
#include "store.h"

#include <sqlite3.h>

#include "store_statement.h"

#include <sstream>
#include <stdexcept>

namespace mehfil::server {

namespace {

// Each entry is one schema version, applied once, in order, inside a transaction.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE users (
      user_id TEXT PRIMARY KEY,
      display_name TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL);
    CREATE TABLE rooms (
      room_code TEXT PRIMARY KEY,
      room_name TEXT NOT NULL,
      host_user_id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      max_participants INTEGER NOT NULL,
      current_participants INTEGER NOT NULL DEFAULT 0,
      is_active INTEGER NOT NULL DEFAULT 1,
      is_public INTEGER NOT NULL DEFAULT 0,
      is_locked INTEGER NOT NULL DEFAULT 0,
      password_hash TEXT,
      settings TEXT NOT NULL,
      closed_reason TEXT NOT NULL DEFAULT '');
    CREATE INDEX rooms_by_host ON rooms (host_user_id, created_at);
    CREATE INDEX rooms_by_expiry ON rooms (is_active, expires_at);
    CREATE TABLE room_participants (
      room_code TEXT NOT NULL REFERENCES rooms (room_code),
      user_id TEXT NOT NULL,
      display_name TEXT NOT NULL,
      joined_at INTEGER NOT NULL,
      left_at INTEGER,
      is_host INTEGER NOT NULL DEFAULT 0,
      is_cohost INTEGER NOT NULL DEFAULT 0,
      is_muted INTEGER NOT NULL DEFAULT 0,
      is_kicked INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (room_code, user_id));
    CREATE INDEX room_participants_by_user ON room_participants (user_id);
    CREATE TABLE chat_messages (
      id TEXT PRIMARY KEY,
      room_code TEXT NOT NULL REFERENCES rooms (room_code),
      from_user_id TEXT NOT NULL,
      display_name TEXT NOT NULL,
      text TEXT NOT NULL,
      sent_at INTEGER NOT NULL,
      client_msg_id TEXT NOT NULL DEFAULT '');
    CREATE INDEX chat_messages_by_room ON chat_messages (room_code, sent_at);
    CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    )sql",
    R"sql(
    CREATE TABLE whiteboard_elements (
      room_code TEXT NOT NULL REFERENCES rooms (room_code),
      element_id TEXT NOT NULL,
      body TEXT NOT NULL,
      PRIMARY KEY (room_code, element_id));
    )sql",
    R"sql(
    ALTER TABLE room_participants ADD COLUMN peer_id TEXT NOT NULL DEFAULT '';
    )sql",
    // One row per direction: (A, B, 'requested') is A's request to B; accepting makes both rows 'friends'.
    R"sql(
    CREATE TABLE friendships (
      user_id TEXT NOT NULL REFERENCES users (user_id),
      friend_user_id TEXT NOT NULL REFERENCES users (user_id),
      state TEXT NOT NULL CHECK (state IN ('requested', 'friends')),
      created_at INTEGER NOT NULL,
      PRIMARY KEY (user_id, friend_user_id));
    CREATE INDEX friendships_by_friend ON friendships (friend_user_id);
    )sql",
    // A 1:1 call's room: the two user ids, space-separated (ids have no spaces); '' for other rooms.
    R"sql(
    ALTER TABLE rooms ADD COLUMN call_between TEXT NOT NULL DEFAULT '';
    )sql",
    // The 1:1 call history (authority::EndedCall): written when a call ends, never changed after.
    R"sql(
    CREATE TABLE calls (
      call_id TEXT PRIMARY KEY,
      caller TEXT NOT NULL,
      callee TEXT NOT NULL,
      video INTEGER NOT NULL,
      rung_at INTEGER NOT NULL,
      answered_at INTEGER,
      ended_at INTEGER NOT NULL,
      end_reason TEXT NOT NULL);
    CREATE INDEX calls_by_caller ON calls (caller, rung_at);
    CREATE INDEX calls_by_callee ON calls (callee, rung_at);
    )sql",
    // Invites to rooms (room:invite) until the invitee joins or dismisses them.
    R"sql(
    CREATE TABLE invites (
      invite_id TEXT PRIMARY KEY,
      room_code TEXT NOT NULL REFERENCES rooms (room_code),
      from_user_id TEXT NOT NULL,
      from_display_name TEXT NOT NULL,
      to_user_id TEXT NOT NULL,
      sent_at INTEGER NOT NULL,
      UNIQUE (room_code, to_user_id));
    CREATE INDEX invites_by_invitee ON invites (to_user_id, sent_at);
    )sql",
    // Recordings (authority/recording_rules.h): one row each, and one per uploaded segment. The
    // bytes are files under the data directory (recordings.h).
    R"sql(
    CREATE TABLE recordings (
      recording_id TEXT PRIMARY KEY,
      room_code TEXT NOT NULL REFERENCES rooms (room_code),
      started_by TEXT NOT NULL,
      recorder_user_id TEXT NOT NULL,
      state TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      stopped_at INTEGER NOT NULL DEFAULT 0,
      duration_ms INTEGER NOT NULL DEFAULT 0,
      size_bytes INTEGER NOT NULL DEFAULT 0,
      has_poster INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX recordings_by_room ON recordings (room_code, started_at);
    CREATE TABLE recording_segments (
      recording_id TEXT NOT NULL REFERENCES recordings (recording_id),
      segment TEXT NOT NULL,
      owner_user_id TEXT NOT NULL,
      size INTEGER NOT NULL DEFAULT 0,
      final INTEGER NOT NULL DEFAULT 0,
      opened_at INTEGER NOT NULL,
      PRIMARY KEY (recording_id, segment));
    )sql",
    // When a segment's last chunk was stored: a stopped recording waits for a recorder still uploading.
    R"sql(
    ALTER TABLE recording_segments ADD COLUMN last_chunk_at INTEGER NOT NULL DEFAULT 0;
    )sql",
    // The shared code editor: the room's Yjs updates (base64) in the order the server took them.
    R"sql(
    CREATE TABLE code_updates (
      room_code TEXT NOT NULL REFERENCES rooms(room_code) ON DELETE CASCADE,
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      from_user_id TEXT NOT NULL,
      body TEXT NOT NULL,
      stored_at INTEGER NOT NULL);
    CREATE INDEX code_updates_by_room ON code_updates (room_code, seq);
    )sql",
    // Accounts (accounts.h): a user with an email and a password; their sessions (a refresh token's
    // hash each, rotated on use); and the one-use links sent by email (their hash).
    R"sql(
    CREATE TABLE accounts (
      user_id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      email_verified_at INTEGER,
      created_at INTEGER NOT NULL);
    CREATE TABLE auth_sessions (
      session_id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES accounts (user_id),
      refresh_hash TEXT NOT NULL,
      previous_hash TEXT,
      retired_hashes TEXT NOT NULL DEFAULT '',
      rotated_at INTEGER NOT NULL,
      device TEXT NOT NULL,
      address TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      revoked_at INTEGER);
    CREATE INDEX auth_sessions_by_user ON auth_sessions (user_id, revoked_at);
    CREATE TABLE account_links (
      link_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES accounts (user_id),
      purpose TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      used_at INTEGER);
    )sql",
    // Booking sites (meetings.h): their API keys (the secret's hash), the meetings they made, and a
    // meeting room's window on its room.
    R"sql(
    CREATE TABLE api_keys (
      key_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      secret_hash TEXT NOT NULL,
      webhook_url TEXT,
      webhook_secret TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER);
    CREATE TABLE meetings (
      meeting_id TEXT PRIMARY KEY,
      key_id TEXT NOT NULL REFERENCES api_keys (key_id),
      room_code TEXT NOT NULL REFERENCES rooms (room_code),
      title TEXT NOT NULL,
      passcode TEXT NOT NULL,
      scheduled_start INTEGER,
      scheduled_end INTEGER,
      host_user_id TEXT NOT NULL,
      people TEXT NOT NULL,
      cancelled_at INTEGER,
      created_at INTEGER NOT NULL);
    CREATE INDEX meetings_by_key ON meetings (key_id, created_at);
    CREATE UNIQUE INDEX meetings_by_room ON meetings (room_code);
    ALTER TABLE rooms ADD COLUMN meeting_opens_at INTEGER;
    ALTER TABLE rooms ADD COLUMN meeting_ends_at INTEGER;
    )sql",
    // Webhook deliveries to booking sites (webhooks.h): each event's body, and how its sending went.
    R"sql(
    CREATE TABLE webhook_deliveries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      delivery_id TEXT NOT NULL UNIQUE,
      key_id TEXT NOT NULL REFERENCES api_keys (key_id),
      meeting_id TEXT NOT NULL REFERENCES meetings (meeting_id),
      event TEXT NOT NULL,
      body TEXT NOT NULL,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_status INTEGER,
      last_error TEXT,
      next_attempt_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      delivered_at INTEGER);
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
    CREATE INDEX webhook_deliveries_by_meeting ON webhook_deliveries (meeting_id, created_at);
    )sql",
    // The profile (profiles.h): the avatar's version (its file is under the data directory; none:
    // initials), who made each room (the host may change), and how long each person spent in each
    // room over all their stays (added up as each stay ends: upsert_participant).
    R"sql(
    ALTER TABLE users ADD COLUMN avatar_version INTEGER;
    ALTER TABLE rooms ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
    UPDATE rooms SET created_by = host_user_id;
    CREATE INDEX rooms_by_creator ON rooms (created_by);
    ALTER TABLE room_participants ADD COLUMN first_joined_at INTEGER;
    ALTER TABLE room_participants ADD COLUMN time_in_room_ms INTEGER NOT NULL DEFAULT 0;
    UPDATE room_participants SET first_joined_at = joined_at,
      time_in_room_ms = CASE WHEN left_at IS NULL THEN 0 ELSE MAX(0, left_at - joined_at) END;
    )sql",
    // Public rooms are listed with what they are about (GET /api/rooms): a line the maker writes.
    R"sql(
    ALTER TABLE rooms ADD COLUMN topic TEXT NOT NULL DEFAULT '';
    )sql",
    // Files shared in chat (chat_files.h): one row each, the bytes under the data directory; the chat
    // message that carries one names it. Both go when the room ends.
    R"sql(
    CREATE TABLE chat_files (
      file_id TEXT PRIMARY KEY,
      room_code TEXT NOT NULL REFERENCES rooms (room_code),
      uploader_user_id TEXT NOT NULL,
      name TEXT NOT NULL,
      content_type TEXT NOT NULL,
      is_image INTEGER NOT NULL,
      size INTEGER NOT NULL,
      width INTEGER NOT NULL DEFAULT 0,
      height INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL);
    CREATE INDEX chat_files_by_room ON chat_files (room_code);
    ALTER TABLE chat_messages ADD COLUMN file_id TEXT;
    )sql",
    // Reports of people in rooms (reports.h), kept for the operator with the chat lines before them;
    // and the operator's own API keys, which read them (is_admin).
    R"sql(
    CREATE TABLE reports (
      report_id TEXT PRIMARY KEY,
      room_code TEXT NOT NULL REFERENCES rooms (room_code),
      reporter_user_id TEXT NOT NULL,
      reporter_name TEXT NOT NULL,
      target_user_id TEXT NOT NULL,
      target_name TEXT NOT NULL,
      reason TEXT NOT NULL,
      note TEXT NOT NULL,
      message_id TEXT,
      context TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      resolved_at INTEGER,
      resolution TEXT NOT NULL DEFAULT '');
    CREATE INDEX reports_open ON reports (resolved_at, created_at);
    ALTER TABLE api_keys ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
    )sql",
};

constexpr const char* kRoomColumns =
    "room_code, room_name, host_user_id, created_at, expires_at, max_participants, current_participants, "
    "is_active, is_public, is_locked, password_hash, settings, closed_reason, call_between, meeting_opens_at, "
    "meeting_ends_at, topic";

std::string joined(const std::vector<std::string>& ids) {
  std::string text;
  for (const std::string& id : ids) text += (text.empty() ? "" : " ") + id;
  return text;
}

template <typename Row>
RoomRecord read_room(const Row& row) {
  RoomRecord room;
  room.room_code = row.text(0);
  room.room_name = row.text(1);
  room.host_user_id = row.text(2);
  room.created_at = row.integer(3);
  room.expires_at = row.integer(4);
  room.max_participants = static_cast<int>(row.integer(5));
  room.current_participants = static_cast<int>(row.integer(6));
  room.is_active = row.integer(7) != 0;
  room.is_public = row.integer(8) != 0;
  room.is_locked = row.integer(9) != 0;
  room.password_hash = row.optional_text(10);
  room.settings_json = row.text(11);
  room.closed_reason = row.text(12);
  std::istringstream between(row.text(13));
  for (std::string user_id; between >> user_id;) room.call_between.push_back(user_id);
  room.meeting_opens_at = row.optional_integer(14);
  room.meeting_ends_at = row.optional_integer(15);
  room.topic = row.text(16);
  return room;
}

constexpr const char* kParticipantColumns =
    "p.room_code, p.user_id, p.display_name, p.joined_at, p.left_at, p.is_host, p.is_cohost, p.is_muted, p.is_kicked, "
    "p.peer_id";

template <typename Row>
ParticipantRecord read_participant(const Row& row) {
  ParticipantRecord p;
  p.room_code = row.text(0);
  p.user_id = row.text(1);
  p.display_name = row.text(2);
  p.joined_at = row.integer(3);
  p.left_at = row.optional_integer(4);
  p.is_host = row.integer(5) != 0;
  p.is_cohost = row.integer(6) != 0;
  p.is_muted = row.integer(7) != 0;
  p.is_kicked = row.integer(8) != 0;
  p.peer_id = row.text(9);
  return p;
}

}  // namespace

Store::Store(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open database " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, 2000);
  exec("PRAGMA journal_mode = WAL");
  // NORMAL with WAL: a commit may be lost on power failure, never on a process crash or kill -9.
  exec("PRAGMA synchronous = NORMAL");
  exec("PRAGMA foreign_keys = ON");
  migrate();
}

Store::~Store() { sqlite3_close(db_); }

void Store::exec(const char* sql) {
  char* error = nullptr;
  if (const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error); rc != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    healthy_ = false;
    throw StorageError("sqlite: " + message, (rc & 0xff) == SQLITE_FULL);
  }
}

void Store::migrate() {
  exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
  std::int64_t applied = 0;
  {
    Statement query(*this, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (query.step()) applied = query.integer(0);
  }
  const auto count = static_cast<std::int64_t>(std::size(kMigrations));
  for (std::int64_t version = applied + 1; version <= count; ++version) {
    transaction([&] {
      exec(kMigrations[version - 1]);
      Statement(*this, "INSERT INTO schema_migrations (version) VALUES (?)").bind(version).run();
    });
  }
}

std::string Store::secret(const std::string& preferred, const std::string& generated) {
  if (!preferred.empty()) {
    Statement(*this, "INSERT INTO server_secrets (name, value) VALUES ('jwt', ?) "
                   "ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        .bind(preferred)
        .run();
    return preferred;
  }
  {
    Statement query(*this, "SELECT value FROM server_secrets WHERE name = 'jwt'");
    if (query.step()) return query.text(0);
  }
  Statement(*this, "INSERT INTO server_secrets (name, value) VALUES ('jwt', ?)").bind(generated).run();
  return generated;
}

// An account's name changes only through its profile (rename_user): a token or socket from before a
// rename carries the old one, and must not write it back.
void Store::upsert_user(const std::string& user_id, const std::string& display_name, std::int64_t now) {
  Statement(*this, "INSERT INTO users (user_id, display_name, created_at, last_seen_at) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (user_id) DO UPDATE SET display_name = CASE WHEN EXISTS "
                 "(SELECT 1 FROM accounts WHERE accounts.user_id = excluded.user_id) THEN display_name "
                 "ELSE excluded.display_name END, last_seen_at = excluded.last_seen_at")
      .bind(user_id).bind(display_name).bind(now).bind(now)
      .run();
}

std::optional<std::string> Store::user_name(const std::string& user_id) {
  Statement query(*this, "SELECT display_name FROM users WHERE user_id = ?");
  query.bind(user_id);
  if (!query.step()) return std::nullopt;
  return query.text(0);
}

bool Store::insert_room(const RoomRecord& r) {
  return Statement(*this, "INSERT INTO rooms (room_code, room_name, host_user_id, created_by, created_at, expires_at, "
                        "max_participants, current_participants, is_active, is_public, is_locked, password_hash, settings, "
                        "closed_reason, call_between, meeting_opens_at, meeting_ends_at, topic) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(r.room_code).bind(r.room_name).bind(r.host_user_id).bind(r.host_user_id).bind(r.created_at).bind(r.expires_at)
      .bind(r.max_participants).bind(r.current_participants).bind(r.is_active).bind(r.is_public).bind(r.is_locked)
      .bind(r.password_hash).bind(r.settings_json).bind(r.closed_reason).bind(joined(r.call_between))
      .bind(r.meeting_opens_at).bind(r.meeting_ends_at).bind(r.topic)
      .run();
}

std::optional<RoomRecord> Store::find_room(const std::string& room_code) {
  Statement query(*this, (std::string("SELECT ") + kRoomColumns + " FROM rooms WHERE room_code = ?").c_str());
  query.bind(room_code);
  if (!query.step()) return std::nullopt;
  return read_room(query);
}

void Store::update_room(const RoomRecord& r) {
  Statement(*this, "UPDATE rooms SET room_name = ?, host_user_id = ?, expires_at = ?, max_participants = ?, "
                 "current_participants = ?, is_active = ?, is_public = ?, is_locked = ?, password_hash = ?, "
                 "settings = ?, closed_reason = ?, call_between = ? WHERE room_code = ?")
      .bind(r.room_name).bind(r.host_user_id).bind(r.expires_at).bind(r.max_participants).bind(r.current_participants)
      .bind(r.is_active).bind(r.is_public).bind(r.is_locked).bind(r.password_hash).bind(r.settings_json)
      .bind(r.closed_reason).bind(joined(r.call_between)).bind(r.room_code)
      .run();
}

int Store::rooms_created_since(const std::string& host_user_id, std::int64_t since) {
  Statement query(*this, "SELECT COUNT(*) FROM rooms WHERE created_by = ? AND created_at >= ? AND call_between = ''");
  query.bind(host_user_id).bind(since);
  return query.step() ? static_cast<int>(query.integer(0)) : 0;
}

std::optional<std::int64_t> Store::oldest_room_created_since(const std::string& host_user_id, std::int64_t since) {
  Statement query(*this, "SELECT MIN(created_at) FROM rooms WHERE created_by = ? AND created_at >= ? AND call_between = ''");
  query.bind(host_user_id).bind(since);
  return query.step() ? query.optional_integer(0) : std::nullopt;
}

std::vector<RoomRecord> Store::rooms_hosted_by(const std::string& user_id) {
  Statement query(*this, (std::string("SELECT ") + kRoomColumns +
                        " FROM rooms WHERE host_user_id = ? AND call_between = '' ORDER BY created_at DESC LIMIT 100").c_str());
  query.bind(user_id);
  std::vector<RoomRecord> rooms;
  while (query.step()) rooms.push_back(read_room(query));
  return rooms;
}

std::vector<RoomRecord> Store::rooms_joined_by(const std::string& user_id) {
  Statement query(*this, "SELECT r.room_code, r.room_name, r.host_user_id, r.created_at, r.expires_at, "
                       "r.max_participants, r.current_participants, r.is_active, r.is_public, r.is_locked, "
                       "r.password_hash, r.settings, r.closed_reason, r.call_between, r.meeting_opens_at, "
                       "r.meeting_ends_at, r.topic "
                       "FROM rooms r JOIN room_participants p ON p.room_code = r.room_code "
                       "WHERE p.user_id = ? AND r.host_user_id != ? AND p.is_kicked = 0 AND r.call_between = '' "
                       "ORDER BY p.joined_at DESC LIMIT 100");
  query.bind(user_id).bind(user_id);
  std::vector<RoomRecord> rooms;
  while (query.step()) rooms.push_back(read_room(query));
  return rooms;
}

std::vector<std::string> Store::expire_rooms(std::int64_t now) {
  std::vector<std::string> codes;
  {
    Statement query(*this, "SELECT room_code FROM rooms WHERE is_active = 1 AND expires_at <= ?");
    query.bind(now);
    while (query.step()) codes.push_back(query.text(0));
  }
  Statement(*this, "UPDATE rooms SET is_active = 0, closed_reason = 'expired', current_participants = 0 "
                 "WHERE is_active = 1 AND expires_at <= ?")
      .bind(now)
      .run();
  return codes;
}

std::vector<ParticipantRecord> Store::present_participants() {
  Statement query(*this, (std::string("SELECT ") + kParticipantColumns +
                        " FROM room_participants p JOIN rooms r ON r.room_code = p.room_code "
                        "WHERE p.left_at IS NULL AND p.peer_id != '' AND r.is_active = 1 ORDER BY p.joined_at").c_str());
  std::vector<ParticipantRecord> present;
  while (query.step()) present.push_back(read_participant(query));
  return present;
}

std::vector<ParticipantRecord> Store::participants_of(const std::string& room_code) {
  Statement query(*this, (std::string("SELECT ") + kParticipantColumns +
                          " FROM room_participants p WHERE p.room_code = ? ORDER BY p.joined_at LIMIT 200").c_str());
  query.bind(room_code);
  std::vector<ParticipantRecord> people;
  while (query.step()) people.push_back(read_participant(query));
  return people;
}

std::optional<ParticipantRecord> Store::find_participant(const std::string& room_code, const std::string& user_id) {
  Statement query(*this, (std::string("SELECT ") + kParticipantColumns +
                        " FROM room_participants p WHERE p.room_code = ? AND p.user_id = ?").c_str());
  query.bind(room_code).bind(user_id);
  if (!query.step()) return std::nullopt;
  return read_participant(query);
}

// A stay that ends here (left_at set on a row without one) adds its length to time_in_room_ms; the
// SET expressions read the row as it was.
void Store::upsert_participant(const ParticipantRecord& p) {
  Statement(*this, "INSERT INTO room_participants (room_code, user_id, display_name, joined_at, left_at, is_host, "
                 "is_cohost, is_muted, is_kicked, peer_id, first_joined_at, time_in_room_ms) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?4, COALESCE(MAX(0, ?5 - ?4), 0)) "
                 "ON CONFLICT (room_code, user_id) DO UPDATE SET display_name = excluded.display_name, "
                 "joined_at = excluded.joined_at, left_at = excluded.left_at, is_host = excluded.is_host, "
                 "is_cohost = excluded.is_cohost, is_muted = excluded.is_muted, is_kicked = excluded.is_kicked, "
                 "peer_id = excluded.peer_id, time_in_room_ms = time_in_room_ms + "
                 "CASE WHEN left_at IS NULL AND excluded.left_at IS NOT NULL "
                 "THEN MAX(0, excluded.left_at - joined_at) ELSE 0 END")
      .bind(p.room_code).bind(p.user_id).bind(p.display_name).bind(p.joined_at).bind(p.left_at).bind(p.is_host)
      .bind(p.is_cohost).bind(p.is_muted).bind(p.is_kicked).bind(p.peer_id)
      .run();
}

}  // namespace mehfil::server
