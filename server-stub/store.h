// Store: everything the server keeps on disk, in one SQLite file (WAL). Users, rooms, who is or was
// in which room, chat, and the server's own secret. Plain structs in and out; every statement is
// prepared with bound parameters. A write returns only after SQLite committed it, and with WAL that
// survives `kill -9` of the process; so whatever the server acknowledged is still there on restart.
//
// Failures are StorageError exceptions (disk full, I/O errors, a corrupt file): a failed write
// leaves nothing half-done (each write is one transaction) and the Store stays usable, so the
// caller answers that one request with an error and carries on. healthy() is false from a failed
// write until the next successful one (GET /healthz reports it).
//
// Not thread-safe: the server calls it from its one I/O thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "authority/call_rules.h"
#include "authority/recording_rules.h"
#include "protocol/messages.h"

struct sqlite3;
struct sqlite3_stmt;

namespace mehfil::server {

// A statement SQLite refused. `full` when the disk (or the file size limit) ran out.
class StorageError : public std::runtime_error {
 public:
  StorageError(const std::string& what, bool full) : std::runtime_error(what), full_(full) {}
  bool full() const { return full_; }

 private:
  bool full_;
};

struct RoomRecord {
  std::string room_code;
  std::string room_name;
  std::string host_user_id;
  std::int64_t created_at = 0;     // ms since the epoch
  std::int64_t expires_at = 0;     // 24 h after the room was last active
  int max_participants = 5;
  int current_participants = 0;
  bool is_active = true;           // false once ended by the host, deleted, or expired
  bool is_public = false;
  bool is_locked = false;
  std::optional<std::string> password_hash;  // argon2id, libsodium's crypto_pwhash_str format
  std::string settings_json;        // protocol::settings_to_json of the room's settings
  std::string closed_reason;       // "ended", "deleted", "expired" once inactive
  std::vector<std::string> call_between;  // a 1:1 call's room: its two people (not in room lists)
  std::optional<std::int64_t> meeting_opens_at;  // a booked meeting's room (meetings.h): its window
  std::optional<std::int64_t> meeting_ends_at;
  std::string topic;               // what a public room is about, for the Live rooms list (may be empty)
};

struct ParticipantRecord {
  std::string room_code;
  std::string user_id;
  std::string display_name;
  std::string peer_id;  // the peer this user is in the room as, kept so a restart can resume it
  std::int64_t joined_at = 0;
  std::optional<std::int64_t> left_at;
  bool is_host = false;
  bool is_cohost = false;
  bool is_muted = false;
  bool is_kicked = false;
};

struct ChatRecord {
  std::string id;
  std::string room_code;
  std::string from_user_id;
  std::string display_name;
  std::string text;
  std::int64_t sent_at = 0;
  std::string client_msg_id;
  std::optional<protocol::server::ChatFile> file;  // a file shared in the chat (chat_files.h)
};

struct FriendRecord {
  std::string user_id;
  std::string display_name;
  std::string relation;  // "friends", "incoming" (they asked us) or "outgoing" (we asked them)
};

// An invite to a room (room:invite) a friend has not yet used or dismissed. One per room and invitee:
// inviting again replaces it. room_name is filled in when it is read.
struct InviteRecord {
  std::string invite_id;
  std::string room_code;
  std::string from_user_id;
  std::string from_display_name;
  std::string to_user_id;
  std::int64_t sent_at = 0;
  std::string room_name;
};

// One recording as the store keeps it: the facts its rules read, and what finishing it found.
struct RecordingRecord {
  authority::RecordingFacts facts;
  std::int64_t started_at = 0;
  std::int64_t duration_ms = 0;  // of the finished file
  std::int64_t size_bytes = 0;   // of the finished file
  bool has_poster = false;
};

// One 1:1 call of someone's history (Store::calls_of): the call as the call rules ended it, and the
// other person's display name as the store knows it ('' if it does not).
struct CallRecord {
  authority::EndedCall call;
  std::string other_name;
};

// An account (accounts.h): the user it belongs to and how they sign in.
struct AccountRecord {
  std::string user_id;
  std::string email;  // lower-case, as typed otherwise
  std::string password_hash;  // argon2id, libsodium's crypto_pwhash_str format
  std::optional<std::int64_t> email_verified_at;
  std::int64_t created_at = 0;
};

// One signed-in device of an account. The refresh token itself is never stored, only its hash, and
// the one before it for a short grace (a reply lost on the way).
struct AuthSessionRecord {
  std::string session_id;
  std::string user_id;
  std::string refresh_hash;
  std::optional<std::string> previous_hash;
  std::vector<std::string> retired_hashes;  // the ones before previous_hash, newest first (at most 10)
  std::int64_t rotated_at = 0;
  std::string device;   // from the User-Agent: "Chrome on Linux"
  std::string address;  // the IP address it last refreshed from
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

// A booking site's API key (meetings.h): the secret itself is shown once, only its hash is kept.
struct ApiKeyRecord {
  std::string key_id;
  std::string name;
  std::string secret_hash;
  std::optional<std::string> webhook_url;
  std::string webhook_secret;  // signs webhook bodies (HMAC-SHA256); the site has a copy
  std::int64_t created_at = 0;
  std::optional<std::int64_t> revoked_at;
  bool is_admin = false;  // an operator's key for /api/admin (reports), not a booking site's
};

// A report of someone in a room (authority SaveReport), with the room's last chat lines when it was
// made (`context_json`: [{from_user_id, display_name, text, sent_at}]), until an operator resolves it.
struct ReportRecord {
  std::string report_id;
  std::string room_code;
  std::string reporter_user_id;
  std::string reporter_name;
  std::string target_user_id;
  std::string target_name;
  std::string reason;
  std::string note;
  std::optional<std::string> message_id;
  std::string context_json;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> resolved_at;
  std::string resolution;  // the operator's note
};

// A meeting a booking site made: its room, its passcode and times, and the people it named
// (`people_json`: [{id, user_id, name, role}]).
struct MeetingRecord {
  std::string meeting_id;
  std::string key_id;
  std::string room_code;
  std::string title;
  std::string passcode;
  std::optional<std::int64_t> scheduled_start;
  std::optional<std::int64_t> scheduled_end;
  std::string host_user_id;
  std::string people_json;
  std::optional<std::int64_t> cancelled_at;
  std::int64_t created_at = 0;
};

// One webhook event for a site and how its delivery goes: "pending" (next_attempt_at), "sending",
// "delivered" or "failed" (every attempt used).
struct DeliveryRecord {
  std::string delivery_id;
  std::string key_id;
  std::string meeting_id;
  std::string event;  // "meeting.started", "participant.joined", ...
  std::string body;   // the JSON sent, byte for byte
  std::string state = "pending";
  int attempts = 0;
  std::optional<std::int64_t> last_status;  // the site's HTTP status
  std::optional<std::string> last_error;    // or why nothing answered
  std::int64_t next_attempt_at = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> delivered_at;
};

// One room in a person's history (profiles.h): one they made or were in, and their time in it.
struct RoomVisitRecord {
  std::string room_code;
  std::string room_name;
  bool created = false;       // they made it
  bool is_call = false;       // a 1:1 call between friends
  bool is_meeting = false;    // a booked meeting's room
  bool is_active = false;     // the room is still open
  bool removed = false;       // the host removed them
  std::int64_t created_at = 0;
  std::optional<std::int64_t> first_joined_at;  // never, for a room they made and never entered
  std::optional<std::int64_t> last_joined_at;
  std::optional<std::int64_t> left_at;          // none while they are in it
  std::int64_t time_in_room_ms = 0;             // their stays that ended, added up
};

class Store {
 public:
  // Opens (creating if needed) and migrates the database. Throws std::runtime_error on failure.
  explicit Store(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The JWT secret: `preferred` if given (and then stored), else the stored one, else `generated`.
  std::string secret(const std::string& preferred, const std::string& generated);

  void upsert_user(const std::string& user_id, const std::string& display_name, std::int64_t now);
  std::optional<std::string> user_name(const std::string& user_id);

  // The profile (store_profile.cpp).
  void rename_user(const std::string& user_id, const std::string& display_name);
  // The avatar's version (when it was set, ms), or none: the initials show.
  std::optional<std::int64_t> avatar_version(const std::string& user_id);
  void set_avatar_version(const std::string& user_id, std::optional<std::int64_t> version);
  // The rooms `user_id` made or was in, the latest first.
  std::vector<RoomVisitRecord> room_history(const std::string& user_id, int limit);

  // Friends: a request one way, then both ways once accepted.
  std::optional<std::string> friendship(const std::string& user_id, const std::string& friend_user_id);  // "requested" | "friends"
  void request_friend(const std::string& from, const std::string& to, std::int64_t now);
  void make_friends(const std::string& a, const std::string& b, std::int64_t now);
  int friendships_of(const std::string& user_id);  // rows it owns: friends and requests sent
  std::vector<FriendRecord> friends_of(const std::string& user_id);

  // The call history: each call once it ended; a caller's oldest beyond `keep_per_caller` go.
  void insert_call(const authority::EndedCall& call, int keep_per_caller);
  std::vector<CallRecord> calls_of(const std::string& user_id, int limit);  // newest first, either end

  // Invites: put one (returning the id of the one it replaced, if any), whether one sent since
  // `since` is held, and taking them away (dismissed: that one, if it is `to_user_id`'s; joined: all
  // of theirs to the room; withdrawn: all to a room that closed, or all its kicked member sent).
  std::optional<std::string> put_invite(const InviteRecord& invite);
  bool has_invite(const std::string& room_code, const std::string& to_user_id, std::int64_t since);
  bool delete_invite(const std::string& invite_id, const std::string& to_user_id);
  std::vector<std::string> delete_invites(const std::string& room_code, const std::string& to_user_id);
  std::vector<InviteRecord> withdraw_invites(const std::string& room_code, const std::string& from_user_id = {});
  // To live rooms, sent since `since`, newest first.
  std::vector<InviteRecord> invites_to(const std::string& user_id, std::int64_t since, int limit);

  // Recordings (store_recordings.cpp). save_recording keeps what the room's rules changed: a new
  // one, paused or resumed, handed over, or stopped ("off" is kept as "stopping" until finished).
  void save_recording(const std::string& room_code, const authority::Recording& recording, std::int64_t now);
  std::optional<RecordingRecord> find_recording(const std::string& recording_id);  // with its segments
  std::vector<RecordingRecord> recordings_of_room(const std::string& room_code);   // not deleted, newest first
  std::vector<std::string> unfinished_recordings();  // recording, paused or stopping
  // A chunk landed: the segment's size (opening it if new) and whether it is complete.
  void save_chunk(const std::string& recording_id, const authority::SegmentFacts& segment, std::int64_t now);
  void finish_recording(const std::string& recording_id, const std::string& state, std::int64_t duration_ms,
                        std::int64_t size_bytes, bool has_poster);
  // Bytes the room's recordings take: finished files and the segments of those not finished yet.
  std::int64_t room_recording_bytes(const std::string& room_code);
  // Finished recordings that started before `before` (retention), oldest first.
  std::vector<std::string> recordings_started_before(std::int64_t before);
  // The asker as the recording rules see them in a room: were they in it, removed, its host.
  authority::RecordingViewer recording_viewer(const std::string& room_code, const std::string& user_id);

  bool insert_room(const RoomRecord& room);  // false if the code is taken
  std::optional<RoomRecord> find_room(const std::string& room_code);
  void update_room(const RoomRecord& room);   // every mutable column
  int rooms_created_since(const std::string& host_user_id, std::int64_t since);
  std::optional<std::int64_t> oldest_room_created_since(const std::string& host_user_id, std::int64_t since);
  std::vector<RoomRecord> rooms_hosted_by(const std::string& user_id);
  std::vector<RoomRecord> rooms_joined_by(const std::string& user_id);  // not hosted by them
  // Active rooms whose expires_at has passed; marks them inactive ("expired") and returns their codes.
  std::vector<std::string> expire_rooms(std::int64_t now);
  // Who was in a room (and had announced themselves) when the server last stopped, oldest first.
  std::vector<ParticipantRecord> present_participants();

  std::optional<ParticipantRecord> find_participant(const std::string& room_code, const std::string& user_id);
  void upsert_participant(const ParticipantRecord& participant);

  // The whiteboard: one row per element, its canonical JSON (wasm/core/whiteboard/element_json.h).
  std::vector<std::string> whiteboard(const std::string& room_code);
  void save_whiteboard_elements(const std::string& room_code, const std::vector<std::pair<std::string, std::string>>& id_and_json);

  // The shared code editor's updates (store_code.cpp): base64 Yjs updates, oldest first.
  std::vector<std::string> code_updates(const std::string& room_code);
  void add_code_update(const std::string& room_code, const std::string& from_user_id, const std::string& body,
                       std::int64_t now);
  // The first `upto` updates of the room become `state`, in their place, in one transaction.
  void compact_code_updates(const std::string& room_code, std::size_t upto, const std::string& from_user_id,
                            const std::string& state, std::int64_t now);

  // Accounts (store_accounts.cpp). insert_account is false when the email is taken.
  bool insert_account(const AccountRecord& account);
  std::optional<AccountRecord> account_by_email(const std::string& email);
  std::optional<AccountRecord> account_of(const std::string& user_id);
  void set_password(const std::string& user_id, const std::string& password_hash);
  void mark_email_verified(const std::string& user_id, std::int64_t now);
  void insert_auth_session(const AuthSessionRecord& session);
  std::optional<AuthSessionRecord> auth_session(const std::string& session_id);
  // A refresh: the new hash in place, the old one kept as previous_hash and the one before that
  // among the retired ones.
  void rotate_auth_session(const AuthSessionRecord& before, const std::string& refresh_hash, const std::string& address,
                           std::int64_t now, std::int64_t expires_at);
  void touch_auth_session(const std::string& session_id, std::int64_t now);
  // Revokes one session (false if it is not the user's or already revoked), or all of a user's
  // (returning their ids).
  bool revoke_auth_session(const std::string& user_id, const std::string& session_id, std::int64_t now);
  std::vector<std::string> revoke_auth_sessions(const std::string& user_id, std::int64_t now);
  std::vector<AuthSessionRecord> open_auth_sessions(const std::string& user_id, std::int64_t now);  // newest first
  // Email links: stored by hash. account_link_owner: the user of an unused, unexpired link of
  // `purpose`; take_account_link the same, marking it used, so it answers once.
  void insert_account_link(const std::string& link_hash, const std::string& user_id, const std::string& purpose,
                           std::int64_t expires_at);
  std::optional<std::string> account_link_owner(const std::string& link_hash, const std::string& purpose, std::int64_t now);
  std::optional<std::string> take_account_link(const std::string& link_hash, const std::string& purpose, std::int64_t now);

  // Booking sites (store_meetings.cpp).
  void insert_api_key(const ApiKeyRecord& key);
  std::optional<ApiKeyRecord> api_key(const std::string& key_id);
  std::vector<ApiKeyRecord> api_keys();
  bool revoke_api_key(const std::string& key_id, std::int64_t now);
  bool insert_meeting(const MeetingRecord& meeting);  // false if the id is taken
  std::optional<MeetingRecord> meeting(const std::string& meeting_id);
  void cancel_meeting(const std::string& meeting_id, std::int64_t now);
  std::vector<ParticipantRecord> participants_of(const std::string& room_code);  // everyone who came, oldest first
  std::optional<MeetingRecord> meeting_of_room(const std::string& room_code);
  std::vector<std::string> meeting_rooms_ending(std::int64_t now);  // active meeting rooms whose end has come
  // Webhook deliveries (store_meetings.cpp). due_deliveries marks the ones it returns "sending".
  void insert_delivery(const DeliveryRecord& delivery);
  bool has_delivery(const std::string& meeting_id, const std::string& event);
  std::vector<DeliveryRecord> due_deliveries(std::int64_t now, int limit);
  void update_delivery(const DeliveryRecord& delivery);  // state, attempts, last_*, next_attempt_at, delivered_at
  std::vector<DeliveryRecord> deliveries_of(const std::string& meeting_id);  // oldest first
  void resume_sending_deliveries();  // "sending" when the server stopped: pending again

  // Adds a message and prunes the room's oldest beyond `keep_newest`, in one transaction.
  // A message with a file stores the file's row with it (the bytes are already on disk).
  void insert_chat(const ChatRecord& chat, int keep_newest);
  std::vector<ChatRecord> recent_chat(const std::string& room_code, int limit, const std::optional<std::string>& up_to = std::nullopt);

  // Reports (reports.h; store_reports.cpp): newest first, the open ones only unless `all`.
  void insert_report(const ReportRecord& report);
  std::vector<ReportRecord> reports(bool all, int limit);
  bool resolve_report(const std::string& report_id, const std::string& resolution, std::int64_t now);

  // Files shared in chat (chat_files.h; store_chat.cpp).
  std::optional<protocol::server::ChatFile> find_chat_file(const std::string& room_code, const std::string& file_id);
  std::int64_t room_chat_file_bytes(const std::string& room_code);
  void delete_chat_files(const std::string& room_code);
  std::vector<std::string> closed_rooms_with_chat_files();  // files a crash left behind

  bool healthy() const { return healthy_; }

 private:
  class Statement;
  void exec(const char* sql);
  void migrate();
  // Runs `writes` inside BEGIN IMMEDIATE ... COMMIT; on any failure rolls back (if SQLite has not
  // already) and rethrows. Keeps healthy_ current.
  template <typename Writes>
  void transaction(Writes&& writes);
  sqlite3* db_ = nullptr;
  bool healthy_ = true;
};

}  // namespace mehfil::server
