// RoomHub: the imperative shell around the rooms' rules. The rules themselves (who may join, who may
// do what, who is host when the host leaves, whiteboard authorship) are authority::RoomAuthority in
// the core, one per live room; the hub feeds it events (a join, a socket up or down, a message, the
// clock) and carries out what it returns: frames to members, SQLite writes, timers. It owns what
// the core may not touch: sockets, the store, the clock, random tokens and password hashing.
// REST handlers and WebSocket messages both end up in the same authority, so a host action has the
// same effect and the same error code whichever way it arrives.
//
// Room lifecycle (docs/ARCHITECTURE.md, authority/room_authority.h):
//   created -> waiting (nobody in) <-> active -> expired (24 h idle, the sweeper) | ended (by the
//   host, or deleted)
// A member whose socket drops keeps its place for `resume_grace`, so a reconnecting client (with
// its resume token) is the same peer and the others' media never stops; only after the grace does
// everyone get room:participant-left. A REST join reserves a place the same way until the socket
// comes.
//
// Runs on the server's single I/O thread; password hashing goes to a thread pool and comes back
// through `post`, after which the authority is asked again (the room may have filled meanwhile).
//
// Abuse and storage (README, "Limits"): password guesses per room and address and a bounded hashing
// queue; guest sessions per address; friend requests per sender; bytes stored per user; chat quotas
// per room. What a wb:ops batch may do (authorship, versions, Clear, erasing others', the board's
// quotas) is the core's rule (authority/board_rules.h); the hub loads, stores and tells. A storage
// failure fails that one request (storage_full or internal) and nothing else: the in-memory room
// only changes after SQLite has kept the change.
//
// The implementation is split by concern: room_hub.cpp (live rooms, effects, storage, the sweeper),
// room_rest.cpp, room_socket.cpp, room_people.cpp (friends and call:ring) and room_board.cpp.
// A joiner catches up on a room of any size: the board and chat history go out as the room's shared
// history pages after room:joined (Connection::send_history), never as one frame.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include "authority/board_rules.h"
#include "authority/code_rules.h"
#include "authority/call_rules.h"
#include "authority/permissions.h"
#include "authority/presence.h"
#include "authority/room_authority.h"
#include "connection.h"
#include "protocol/messages.h"
#include "rate_limiter.h"
#include "server_config.h"
#include "store.h"
#include "whiteboard/board.h"

namespace mehfil::server {

namespace srv = protocol::server;  // the messages the hub sends
namespace cli = protocol::client;  // and those it receives

// A REST answer: a status and a JSON body ({"error": {code, message}} for failures).
// A file to send instead of JSON (a recording): its bytes first..first+length-1 of total, as a 206
// when `partial` (a Range request), else a 200.
struct FileSlice {
  std::string path;
  std::string content_type;
  std::uint64_t first = 0;
  std::uint64_t length = 0;
  std::uint64_t total = 0;
  bool partial = false;
  std::string cache_control = "private, no-store";  // an avatar's versioned address may be kept
  std::string disposition;  // Content-Disposition, when set: a chat file's (chat_files.h)
};

struct ApiReply {
  unsigned status = 200;
  nlohmann::json body = nlohmann::json::object();
  std::optional<long> retry_after_s;
  std::optional<FileSlice> file;
};
using ApiCallback = std::function<void(ApiReply)>;

class Recordings;
class ChatFiles;
struct ChatFileUpload;

// What happened in a booked meeting's room, for the site's webhooks (webhooks.h): someone came in
// for the first time or left, or the room ended. Told after the store has it.
struct RoomEvent {
  enum class Kind { joined, left, ended };
  Kind kind = Kind::joined;
  std::string room_code;
  std::string user_id;       // joined, left
  std::string display_name;  // joined, left
  std::string reason;        // ended: "meeting_over", "deleted", "expired", ...
  std::int64_t at = 0;       // ms since the epoch
};

struct CreateRoomRequest {
  std::string room_name;
  std::string topic;
  bool is_public = false;
  int max_participants = 5;
  std::optional<std::string> password;
  protocol::RoomSettings settings;
  // A booked meeting's room (meetings.h): its window; the site's own limit applies instead of the
  // host's rooms-per-hour.
  std::optional<authority::MeetingTimes> meeting;
};

class RoomHub {
 public:
  RoomHub(Store& store, const ServerConfig& config, boost::asio::io_context& io, boost::asio::thread_pool& hashing,
          Recordings& recordings, ChatFiles& files, std::string secret);

  // REST (api_routes.cpp parses and validates the requests, then calls these).
  void create_room(const Claims& user, CreateRoomRequest request, ApiCallback done);
  // The room as anyone may see it, and what `user`'s join would meet now ("admission": "ok",
  // "password", or the refusal's code).
  ApiReply preview(const Claims& user, const std::string& room_code);
  void join(const Claims& user, const std::string& address, const std::string& room_code,
            std::optional<std::string> password, ApiCallback done);
  // POST /api/session from this address: nothing when allowed, else seconds to wait.
  std::optional<int> take_guest_session(const std::string& address);
  ApiReply leave(const Claims& user, const std::string& room_code);
  ApiReply remove_room(const Claims& user, const std::string& room_code);
  ApiReply host_action(const Claims& user, const std::string& room_code, protocol::server::HostActionKind action,
                       const std::string& target_user_id);
  ApiReply user_rooms(const Claims& user);
  // The public rooms people are in now (the home page's Live rooms), most people first, `limit`
  // from `offset`; with the `version` of the last answer, only {unchanged, version} if nothing moved.
  ApiReply public_rooms(std::size_t offset, std::size_t limit, const std::optional<std::string>& version) const;
  // Add Friend: a request to someone in a call with you right now; a request back (or accept) makes
  // you friends. friends() lists friends and requests both ways.
  ApiReply request_friend(const Claims& user, const std::string& target_user_id);
  ApiReply accept_friend(const Claims& user, const std::string& from_user_id);
  ApiReply call_history(const Claims& user);  // GET /api/calls
  ApiReply friends(const Claims& user);
  // PUT /api/rooms/CODE/code-state?upto=N: the code's whole state (raw Yjs bytes) from the member the
  // room asked (code:compact), replacing the first `upto` stored updates (room_code.cpp).
  ApiReply compact_code(const Claims& user, const std::string& room_code, std::size_t upto, std::string_view state);
  // Files in chat (room_files.cpp, chat_files.h): a member shares one, which the room then hears as
  // a chat:message carrying it ({message_id, file}); a member fetches one (or a picture's thumbnail).
  void share_file(const Claims& user, const std::string& room_code, ChatFileUpload upload, ApiCallback done);
  ApiReply chat_file(const Claims& user, const std::string& room_code, const std::string& file_id, bool thumbnail);

  // WebSocket.
  void connected(const std::shared_ptr<Connection>& connection);
  void handle(const std::shared_ptr<Connection>& connection, const protocol::ClientMessage& message,
              const std::optional<protocol::RequestId>& id);
  void disconnected(const std::shared_ptr<Connection>& connection);
  // The account sessions were logged out (accounts.h): their sockets get error session_revoked and
  // are closed; a member among them leaves its room as a dropped socket does.
  void end_sessions(const std::string& user_id, const std::vector<std::string>& session_ids);

  // An account took a new name (profiles.h): its open sockets act under it from now on (a room it
  // is in shows the new name when it joins again).
  void rename_user(const std::string& user_id, const std::string& display_name);

  // The sweeper: members past their grace leave, idle rooms expire.
  void sweep();

  // Told of every RoomEvent in meeting rooms (main.cpp hands them to the webhooks).
  void watch_meetings(std::function<void(const RoomEvent&)> watcher) { meeting_watcher_ = std::move(watcher); }

  std::size_t connection_count() const { return connection_count_; }
  bool storage_healthy() const { return store_.healthy(); }

  // A refusal of the rules as a REST answer: the one place a code gets its HTTP status.
  static ApiReply refusal(const authority::Problem& problem) { return error(rules_problem(problem)); }

 private:
  struct LiveRoom {
    RoomRecord record;             // what only the store needs (expiry, password hash, ...); synced on save
    authority::RoomAuthority rules;  // who is in, who is host, what may happen: the room's rules
    std::optional<whiteboard::Board> board;  // loaded from the store when first needed
    std::size_t board_bytes = 0;             // canonical JSON of every element, tombstones included
    // What a joiner catches up on, encoded once and shared by every joiner until the next change.
    std::shared_ptr<const std::vector<Frame>> board_pages;
    std::shared_ptr<const std::vector<Frame>> chat_pages;
    std::optional<std::vector<std::string>> code;  // the code editor's updates, loaded when first needed
    std::size_t code_bytes = 0;                    // their base64 text
    std::shared_ptr<const std::vector<Frame>> code_pages;
    std::optional<authority::CompactionAsk> compaction;  // asked of one member (authority/code_rules.h)
    std::set<std::string> present;  // a meeting room's people the watcher heard come in
    bool end_told = false;          // ... and whether it heard the room end
  };
  struct Problem {
    unsigned status;
    protocol::ErrorCode code;
    std::string message;
    std::optional<int> retry_after = std::nullopt;
  };

  LiveRoom* room(const std::string& room_code);  // loads it from the store; null if unknown
  // b's display name if a and b are both in the same live room right now.
  std::optional<std::string> name_in_a_call_with(const std::string& a, const std::string& b) const;
  void tell_user(const std::string& user_id, const protocol::ServerMessage& message);
  void tell_friends(const Claims& user, const std::string& other_user_id);
  std::vector<std::shared_ptr<Connection>> sockets_of(const std::string& user_id) const;
  // Password guesses: a budget per room and address, and a bounded queue for the hashing pool.
  std::optional<Problem> take_password_attempt(const std::string& room_code, const std::string& address);
  void check_password(const std::string& hash, const std::string& password, const std::string& attempt_key,
                      std::function<void(bool)> then);
  std::optional<Problem> take_write_bytes(const std::string& user_id, std::size_t bytes);
  // A write that only keeps the room's bookkeeping (who is in, expiry): a failure is logged and the
  // call carries on from memory; the next successful write of the same row catches up.
  void keep(const char* what, const std::function<void()>& write);
  Problem storage_problem(const StorageError& error, const char* what);

  void ws_join(const std::shared_ptr<Connection>& connection, const protocol::client::JoinRoom& join,
               const std::optional<protocol::RequestId>& id);
  // Carries out what the room's rules decided (room_authority.h), in order.
  void apply(LiveRoom& room, const authority::Outcome& outcome);
  void apply(LiveRoom& room, std::span<const authority::Effect> effects);
  void tell_meeting_watcher(LiveRoom& room, std::span<const authority::Effect> effects);
  std::function<void(const RoomEvent&)> meeting_watcher_;
  static authority::Actor actor(const Claims& claims);
  static Problem rules_problem(const authority::Problem& problem);  // with its HTTP status
  bool was_kicked(const LiveRoom& room, const std::string& user_id);
  void save_room(LiveRoom& room, bool touched);
  void save_member(const LiveRoom& room, const authority::SaveMember& row);
  // An Outcome to a REST answer: the problem, else `ok`, once the effects are carried out.
  ApiReply reply_rest(LiveRoom& room, const authority::Outcome& outcome, nlohmann::json ok);
  // An Outcome to a WebSocket answer: the problem as an error, else the effects and an ack (a join's
  // ack right after its room:joined and history, before what the others are told). `ack`: false for
  // messages that are relayed, not requests (signals, cursor moves).
  void reply_ws(const std::shared_ptr<Connection>& connection, LiveRoom& room, const authority::Outcome& outcome,
                const std::optional<protocol::RequestId>& id, bool ack = true);
  whiteboard::Board& board(LiveRoom& room);
  void whiteboard_ops(const std::shared_ptr<Connection>& connection, LiveRoom& room, const std::vector<nlohmann::json>& ops,
                      const std::optional<protocol::RequestId>& id);
  const std::vector<Frame>& board_pages(LiveRoom& room);
  const std::vector<Frame>& chat_pages(LiveRoom& room);
  std::vector<std::string>& code(LiveRoom& room);  // room_code.cpp
  void code_update(const std::shared_ptr<Connection>& connection, LiveRoom& room, const std::string& update,
                   const std::optional<protocol::RequestId>& id);
  const std::vector<Frame>& code_pages(LiveRoom& room);
  void dispatch(const std::shared_ptr<Connection>& connection, const protocol::ClientMessage& message,
                const std::optional<protocol::RequestId>& id);
  // Carries out a call rule's outcome: its deliveries, or its problem to `connection`; then the ack.
  void carry_out(const authority::CallOutcome& outcome, const std::shared_ptr<Connection>& connection,
                 const std::optional<protocol::RequestId>& id);
  authority::Caller caller(const Connection& connection) const;
  // Presence (authority/presence.h): what it is now, and telling this user's friends when it changed.
  protocol::server::Presence presence_now(const std::string& user_id) const;
  void refresh_presence(const std::string& user_id);
  // Invites (room:invite): stored and told to every socket of each friend; taken away when used
  // to join (invite:gone to their tabs) or dismissed.
  void send_invites(const LiveRoom& room, const authority::SendInvites& invites);
  void invites_used(const std::string& user_id, const std::string& room_code);
  void withdraw_invites(const std::string& room_code, const std::string& from_user_id = {});
  bool invited(const std::string& room_code, const std::string& user_id);  // an invite that still stands
  void invite(const std::shared_ptr<Connection>& connection, LiveRoom* room, const protocol::client::InviteFriends& invite,
              const std::optional<protocol::RequestId>& id);
  void dismiss_invite(const std::shared_ptr<Connection>& connection, const protocol::client::DismissInvite& dismiss,
                      const std::optional<protocol::RequestId>& id);
  ApiReply invites(const Claims& user);
  void make_call_room(const Claims& caller, const std::string& callee_user_id, const std::string& room_code);
  void ring(const std::shared_ptr<Connection>& connection, const protocol::client::CallRing& ring,
            const std::optional<protocol::RequestId>& id);

  void send(const std::shared_ptr<Connection>& connection, const protocol::ServerMessage& message);
  void reply_error(const std::shared_ptr<Connection>& connection, protocol::ErrorCode code, std::string message,
                   const std::optional<protocol::RequestId>& id, std::optional<int> retry_after = std::nullopt);
  void reply_problem(const std::shared_ptr<Connection>& connection, const Problem& problem,
                     const std::optional<protocol::RequestId>& id);
  nlohmann::json room_json(const LiveRoom& room) const;
  static ApiReply error(const Problem& problem);
  std::int64_t now_ms() const;

  Store& store_;
  const ServerConfig& config_;
  boost::asio::io_context& io_;
  boost::asio::thread_pool& hashing_;
  Recordings& recordings_;  // what the rooms' recordings keep on disk (recordings.h)
  ChatFiles& files_;        // the files shared in the rooms' chats (chat_files.h)
  std::string secret_;
  std::map<std::string, LiveRoom> rooms_;
  void refresh_ice_credentials(std::int64_t now);
  std::multimap<std::string, std::weak_ptr<Connection>> online_;  // user_id -> their sockets, for calls
  std::map<authority::ConnId, std::weak_ptr<Connection>> sockets_;  // the rules name sockets by id
  authority::CallRules calls_;  // every 1:1 call's rules (authority/call_rules.h)
  std::map<std::string, protocol::server::Presence> presence_told_;  // user -> what their friends last heard
  std::size_t connection_count_ = 0;
  int pending_password_checks_ = 0;
  KeyedBuckets password_attempts_;   // "room|address"
  KeyedBuckets guest_sessions_;      // address
  KeyedBuckets friend_requests_;     // user id
  KeyedBuckets invites_;             // user id: friends invited
  KeyedBuckets write_bytes_;         // user id
  authority::BoardRules board_rules_;  // what wb:ops may do; keeps each user's erase budget
  authority::CodeLimits code_limits_;  // how much code:update a room may store
};

}  // namespace mehfil::server
