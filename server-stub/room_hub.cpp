// The rules of rooms (room_hub.h).
#include "room_hub.h"

#include <algorithm>
#include <chrono>

#include <boost/asio/post.hpp>

#include "log.h"
#include "passwords.h"
#include "protocol/codec.h"
#include "protocol/validation.h"
#include "room_codes.h"
#include "tokens.h"
#include "whiteboard/element_json.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;
namespace srv = protocol::server;
namespace cli = protocol::client;

constexpr int kChatHistory = 200;                 // newest messages a joiner catches up on
constexpr std::size_t kHistoryPageBytes = 256 * 1024;  // one board page at most (whole elements)
constexpr std::int64_t kCallIdMemoryMs = 3'600'000;    // a call_id may not be rung again for this long
constexpr int kMaxFriendships = 500;  // friends and requests sent, per user

json settings_json(const protocol::RoomSettings& s) {
  return {{"video", s.video}, {"audio", s.audio}, {"screenshare", s.screenshare}, {"chat", s.chat}};
}

protocol::RoomSettings parse_settings(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  protocol::RoomSettings s;
  if (!j.is_object()) return s;
  const auto flag = [&](const char* key, bool fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
  };
  s.video = flag("video", true);
  s.audio = flag("audio", true);
  s.screenshare = flag("screenshare", true);
  s.chat = flag("chat", true);
  return s;
}

}  // namespace

RoomHub::RoomHub(Store& store, const ServerConfig& config, boost::asio::io_context& io,
                 boost::asio::thread_pool& hashing, std::string secret)
    : store_(store),
      config_(config),
      io_(io),
      hashing_(hashing),
      secret_(std::move(secret)),
      password_attempts_(config.password_attempts_per_room_per_address, std::chrono::minutes(10)),
      guest_sessions_(config.guest_sessions_per_address_per_minute, std::chrono::minutes(1)),
      friend_requests_(config.friend_requests_per_hour, std::chrono::hours(1)),
      write_bytes_(static_cast<double>(config.user_write_bytes_per_minute), std::chrono::minutes(1)),
      others_erased_(config.board_erase_others_per_minute, std::chrono::minutes(1)) {
  // Whoever was in a room when the server stopped (a crash, a deploy) keeps their place for the
  // resume grace, exactly like a dropped socket: the first to reconnect sees the others in its
  // snapshot, so their media links stay up; the sweeper lets go of those who never come back.
  const std::int64_t now = now_ms();
  for (const ParticipantRecord& p : store_.present_participants()) {
    LiveRoom* live = room(p.room_code);
    if (!live) continue;
    Member m;
    m.user_id = p.user_id;
    m.peer_id = p.peer_id;
    m.display_name = p.display_name;
    m.is_cohost = p.is_cohost;
    m.audio = !p.is_muted;
    m.joined_at = p.joined_at;
    m.detached_at = now;
    m.announced = true;
    live->members.push_back(std::move(m));
  }
}

std::int64_t RoomHub::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ApiReply RoomHub::error(const Problem& problem) {
  return {problem.status,
          {{"error", {{"code", std::string(protocol::to_string(problem.code))}, {"message", problem.message}}}},
          problem.retry_after};
}

RoomHub::LiveRoom* RoomHub::room(const std::string& room_code) {
  if (auto it = rooms_.find(room_code); it != rooms_.end()) return &it->second;
  auto record = store_.find_room(room_code);
  if (!record) return nullptr;
  return &rooms_.emplace(room_code, LiveRoom{std::move(*record), {}}).first->second;
}

RoomHub::Member* RoomHub::member(LiveRoom& live, const std::string& user_id) {
  const auto it = std::find_if(live.members.begin(), live.members.end(),
                               [&](const Member& m) { return m.user_id == user_id; });
  return it == live.members.end() ? nullptr : &*it;
}

int RoomHub::announced_count(const LiveRoom& live) const {
  return static_cast<int>(std::count_if(live.members.begin(), live.members.end(),
                                        [](const Member& m) { return m.announced; }));
}

authority::Role RoomHub::role_of(const LiveRoom& live, const std::string& user_id, const Claims* claims) const {
  authority::Role role;
  role.is_host = live.record.host_user_id == user_id;
  const auto it = std::find_if(live.members.begin(), live.members.end(),
                               [&](const Member& m) { return m.user_id == user_id; });
  role.is_cohost = it != live.members.end() && it->is_cohost;
  // A token an embedding site minted with role "host" for this room makes its user a co-host.
  if (claims && claims->role == "host" && claims->room == live.record.room_code) role.is_cohost = true;
  return role;
}

std::optional<RoomHub::Problem> RoomHub::power_problem(const LiveRoom& live, const Claims& actor, authority::Power power,
                                                       const std::string& target_user_id) {
  std::optional<authority::Role> target;
  if (!target_user_id.empty()) target = role_of(live, target_user_id);
  const auto refusal = authority::check_power(role_of(live, actor.sub, &actor), power, target, target_user_id == actor.sub);
  if (!refusal) return std::nullopt;
  return Problem{refusal->code == ErrorCode::bad_request ? 400u : 403u, refusal->code, std::string(refusal->message)};
}

// A REST join holds a seat for `reservation`; a socket that never came frees it on time, whether
// or not the sweeper has run since.
void RoomHub::drop_stale_reservations(LiveRoom& live) {
  const std::int64_t now = now_ms();
  std::vector<std::string> stale;
  for (const Member& m : live.members) {
    if (!m.announced && !m.connection && now - m.detached_at >= config_.reservation.count()) stale.push_back(m.user_id);
  }
  for (const std::string& user_id : stale) remove_member(live, user_id, false);
}

// Wrong passwords use up a budget per room and address; with none left every attempt is refused
// before it is hashed (right passwords cost nothing, so eleven people behind one NAT typing the
// right one at once all get in). The hashing queue is bounded, so a flood is refused at once instead
// of making everyone's join wait behind it; that bound also caps how far guesses already queued can
// overshoot the budget.
std::optional<RoomHub::Problem> RoomHub::take_password_attempt(const std::string& room_code, const std::string& address) {
  if (pending_password_checks_ >= config_.max_pending_password_checks) {
    return Problem{429, ErrorCode::rate_limited, "The server is checking too many passwords: try again in a moment.", 1};
  }
  if (const auto wait = password_attempts_.wait_for(room_code + "|" + address, 1, std::chrono::steady_clock::now())) {
    return Problem{429, ErrorCode::rate_limited, "Too many wrong passwords for this room: wait before trying again.", wait};
  }
  return std::nullopt;
}

void RoomHub::check_password(const std::string& hash, const std::string& password, const std::string& attempt_key,
                             std::function<void(bool)> then) {
  ++pending_password_checks_;
  boost::asio::post(hashing_, [this, hash, password, attempt_key, then = std::move(then)]() mutable {
    const bool ok = password_matches(hash, password);
    boost::asio::post(io_, [this, ok, attempt_key, then = std::move(then)]() {
      --pending_password_checks_;
      if (!ok && !attempt_key.empty()) password_attempts_.spend(attempt_key, 1, std::chrono::steady_clock::now());
      then(ok);
    });
  });
}

std::optional<RoomHub::Problem> RoomHub::take_write_bytes(const std::string& user_id, std::size_t bytes) {
  if (const auto wait = write_bytes_.take(user_id, static_cast<double>(bytes), std::chrono::steady_clock::now())) {
    return Problem{429, ErrorCode::quota_exceeded,
                   "You have stored " + std::to_string(config_.user_write_bytes_per_minute / 1024) +
                       " KiB in the last minute: wait a moment.",
                   wait};
  }
  return std::nullopt;
}

std::optional<int> RoomHub::take_guest_session(const std::string& address) {
  return guest_sessions_.take(address, 1, std::chrono::steady_clock::now());
}

template <typename Write>
void RoomHub::keep(const char* what, Write&& write) {
  try {
    write();
  } catch (const StorageError& error) {
    log::storage_failed(what, error.what());
  }
}

RoomHub::Problem RoomHub::storage_problem(const StorageError& error, const char* what) {
  log::storage_failed(what, error.what());
  if (error.full()) return Problem{507, ErrorCode::storage_full, "The server's disk is full: nothing was kept."};
  return Problem{500, ErrorCode::internal, "The server could not store that: nothing was kept."};
}

// Why `user` may not come in (password aside: that needs hashing and is checked by the caller).
std::optional<RoomHub::Problem> RoomHub::admission_problem(LiveRoom& live, const Claims& user, bool resuming) {
  const RoomRecord& r = live.record;
  if (!r.is_active) {
    if (r.closed_reason == "expired") return Problem{410, ErrorCode::expired, "This room has expired."};
    return Problem{404, ErrorCode::room_not_found, "This room has ended."};
  }
  if (user.room && *user.room != r.room_code) {
    return Problem{403, ErrorCode::unauthorized, "This token is for another room."};
  }
  if (const auto record = store_.find_participant(r.room_code, user.sub); record && record->is_kicked) {
    return Problem{403, ErrorCode::unauthorized, "The host removed you from this room."};
  }
  drop_stale_reservations(live);
  if (member(live, user.sub)) return std::nullopt;  // already has a place
  if (r.is_locked && !resuming && r.host_user_id != user.sub) {
    return Problem{409, ErrorCode::room_locked, "The host has locked this room."};
  }
  if (static_cast<int>(live.members.size()) >= r.max_participants) {
    return Problem{409, ErrorCode::room_full, "This room is full (" + std::to_string(live.members.size()) + "/" +
                                                  std::to_string(r.max_participants) + ")."};
  }
  return std::nullopt;
}

protocol::Participant RoomHub::participant(const LiveRoom& live, const Member& m) const {
  return {m.user_id, m.peer_id, m.display_name, live.record.host_user_id == m.user_id, m.is_cohost,
          m.audio,   m.video,   m.screen};
}

json RoomHub::room_json(const LiveRoom& live) const {
  const RoomRecord& r = live.record;
  std::string host_name;
  for (const Member& m : live.members) {
    if (m.user_id == r.host_user_id) host_name = m.display_name;
  }
  if (host_name.empty()) {
    if (auto host = store_.find_participant(r.room_code, r.host_user_id)) host_name = host->display_name;
    else host_name = store_.user_name(r.host_user_id).value_or("");
  }
  // With --public-url the link is whole, ready to paste anywhere; without, it is relative to the
  // page asking, which knows its own origin.
  std::string base = config_.public_url;
  if (!base.empty() && base.back() == '/') base.pop_back();
  return {{"room_code", r.room_code},
          {"room_name", r.room_name},
          {"link", base + "/room/" + r.room_code},
          {"host_user_id", r.host_user_id},
          {"host_name", host_name},
          {"is_public", r.is_public},
          {"is_locked", r.is_locked},
          {"is_active", r.is_active},
          {"has_password", r.password_hash.has_value()},
          {"max_participants", r.max_participants},
          {"participant_count", static_cast<int>(live.members.size())},
          {"settings", settings_json(parse_settings(r.settings_json))},
          {"created_at", r.created_at},
          {"expires_at", r.expires_at}};
}

void RoomHub::touch(LiveRoom& live) {
  live.record.current_participants = static_cast<int>(live.members.size());
  live.record.expires_at = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(config_.room_idle_lifetime).count();
  keep("updating a room", [&] { store_.update_room(live.record); });
}

void RoomHub::persist_member(const LiveRoom& live, const Member& m, std::optional<std::int64_t> left_at, bool kicked) {
  keep("saving a participant", [&] {
    ParticipantRecord p;
    if (auto existing = store_.find_participant(live.record.room_code, m.user_id)) p = *existing;
    p.room_code = live.record.room_code;
    p.user_id = m.user_id;
    p.display_name = m.display_name;
    p.peer_id = m.announced ? m.peer_id : "";  // only a peer the others know of is worth resuming
    if (!left_at) p.joined_at = m.joined_at;
    p.left_at = left_at;
    p.is_host = live.record.host_user_id == m.user_id;
    p.is_cohost = m.is_cohost;
    p.is_muted = !m.audio;
    p.is_kicked = p.is_kicked || kicked;
    store_.upsert_participant(p);
  });
}

// ---------------------------------------------------------------------------------------------
// REST

void RoomHub::create_room(const Claims& user, CreateRoomRequest request, ApiCallback done) {
  const std::int64_t now = now_ms();
  const std::int64_t hour_ago = now - 3'600'000;
  if (store_.rooms_created_since(user.sub, hour_ago) >= config_.rooms_per_user_per_hour) {
    const auto oldest = store_.oldest_room_created_since(user.sub, hour_ago).value_or(now);
    ApiReply reply = error({429, ErrorCode::rate_limited,
                            "You can create at most " + std::to_string(config_.rooms_per_user_per_hour) +
                                " rooms an hour."});
    reply.retry_after_s = std::max<long>(1, static_cast<long>((oldest + 3'600'000 - now + 999) / 1000));
    return done(std::move(reply));
  }
  store_.upsert_user(user.sub, user.name, now);  // a token minted by an embedding site may be its first sight
  auto finish = [this, user, request, done](std::optional<std::string> password_hash) {
    RoomRecord r;
    r.room_name = request.room_name.empty() ? user.name + "'s Room" : request.room_name;
    r.host_user_id = user.sub;
    r.created_at = now_ms();
    r.expires_at = r.created_at + std::chrono::duration_cast<std::chrono::milliseconds>(config_.room_idle_lifetime).count();
    r.max_participants = request.max_participants;
    r.is_public = request.is_public;
    r.password_hash = std::move(password_hash);
    r.settings_json = settings_json(request.settings).dump();
    for (int attempt = 0; attempt < 8; ++attempt) {  // a collision among 57^8 codes is all but impossible
      r.room_code = new_room_code();
      if (store_.insert_room(r)) {
        rooms_.erase(r.room_code);
        LiveRoom* live = room(r.room_code);
        ApiReply reply{201, room_json(*live)};
        return done(std::move(reply));
      }
    }
    done(error({500, ErrorCode::internal, "Could not find a free room code."}));
  };
  if (!request.password) return finish(std::nullopt);
  if (pending_password_checks_ >= config_.max_pending_password_checks) {
    return done(error({429, ErrorCode::rate_limited, "The server is busy checking passwords: try again in a moment.", 1}));
  }
  ++pending_password_checks_;
  boost::asio::post(hashing_, [this, password = *request.password, finish, done]() {
    auto hash = hash_password(password);
    boost::asio::post(io_, [this, finish, done, hash = std::move(hash)]() mutable {
      --pending_password_checks_;
      try {
        finish(std::move(hash));
      } catch (const StorageError& failure) {
        done(error(storage_problem(failure, "creating a room")));
      }
    });
  });
}

ApiReply RoomHub::preview(const std::string& room_code) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "The room \"" + room_code + "\" doesn't exist or has expired."});
  if (!live->record.is_active && live->record.closed_reason == "expired") {
    return error({410, ErrorCode::expired, "The room \"" + room_code + "\" has expired."});
  }
  return {200, room_json(*live)};
}

void RoomHub::join(const Claims& user, const std::string& address, const std::string& room_code,
                   std::optional<std::string> password, ApiCallback done) {
  LiveRoom* live = room(room_code);
  if (!live) return done(error({404, ErrorCode::room_not_found, "The room \"" + room_code + "\" doesn't exist or has expired."}));
  if (auto problem = admission_problem(*live, user, false)) return done(error(*problem));
  auto admit = [this, user, room_code, done]() {
    LiveRoom* now_live = room(room_code);
    if (auto problem = admission_problem(*now_live, user, false)) return done(error(*problem));  // again: time passed
    if (!member(*now_live, user.sub)) {
      Member m;
      m.user_id = user.sub;
      m.peer_id = "p" + random_token(9);
      m.display_name = user.name;
      m.joined_at = now_ms();
      m.detached_at = m.joined_at;
      now_live->members.push_back(m);
      persist_member(*now_live, m, std::nullopt, false);
      touch(*now_live);
    }
    done({200, room_json(*now_live)});
  };
  const auto& hash = live->record.password_hash;
  if (!hash || member(*live, user.sub) || live->record.host_user_id == user.sub) return admit();
  if (!password) return done(error({403, ErrorCode::wrong_password, "This room needs a password."}));
  if (auto problem = take_password_attempt(room_code, address)) return done(error(*problem));
  check_password(*hash, *password, room_code + "|" + address, [this, admit, done](bool ok) {
    if (!ok) return done(error({403, ErrorCode::wrong_password, "That password is not right."}));
    try {
      admit();
    } catch (const StorageError& failure) {
      done(error(storage_problem(failure, "joining a room")));
    }
  });
}

ApiReply RoomHub::leave(const Claims& user, const std::string& room_code) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "No such room."});
  Member* m = member(*live, user.sub);
  if (!m) return error({409, ErrorCode::not_in_room, "You are not in this room."});
  if (auto connection = m->connection) {
    connection->room_code.clear();
    connection->peer_id.clear();
  }
  remove_member(*live, user.sub, false);
  return {200, {{"left", true}}};
}

ApiReply RoomHub::remove_room(const Claims& user, const std::string& room_code) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "No such room."});
  if (auto problem = power_problem(*live, user, authority::Power::end_room)) return error(*problem);
  if (live->record.is_active) end_room(*live, "deleted");
  return {200, {{"deleted", true}}};
}

ApiReply RoomHub::host_action(const Claims& user, const std::string& room_code, srv::HostActionKind action,
                              const std::string& target_user_id) {
  LiveRoom* live = room(room_code);
  if (!live || !live->record.is_active) return error({404, ErrorCode::room_not_found, "No such room."});
  const auto power = action == srv::HostActionKind::mute ? authority::Power::mute : authority::Power::kick;
  if (auto problem = power_problem(*live, user, power)) return error(*problem);  // the role holds it at all?
  if (!member(*live, target_user_id)) return error({409, ErrorCode::not_in_room, "That person is not in this room."});
  if (auto problem = power_problem(*live, user, power, target_user_id)) return error(*problem);
  apply_host_action(*live, user.sub, action, target_user_id);
  return {200, {{"done", true}}};
}

ApiReply RoomHub::user_rooms(const Claims& user) {
  const auto describe = [this](std::vector<RoomRecord> records) {
    json list = json::array();
    for (RoomRecord& r : records) {
      LiveRoom* live = room(r.room_code);  // the live view knows who is in right now
      list.push_back(room_json(*live));
    }
    return list;
  };
  return {200, {{"created", describe(store_.rooms_hosted_by(user.sub))}, {"joined", describe(store_.rooms_joined_by(user.sub))}}};
}

std::optional<std::string> RoomHub::name_in_a_call_with(const std::string& a, const std::string& b) const {
  for (const auto& [code, live] : rooms_) {
    const auto present = [&](const std::string& user_id) {
      return std::find_if(live.members.begin(), live.members.end(), [&](const Member& m) { return m.user_id == user_id && m.announced; });
    };
    if (!live.record.is_active || present(a) == live.members.end()) continue;
    if (const auto other = present(b); other != live.members.end()) return other->display_name;
  }
  return std::nullopt;
}

ApiReply RoomHub::request_friend(const Claims& user, const std::string& target_user_id) {
  if (target_user_id == user.sub) return error({400, ErrorCode::bad_request, "You cannot add yourself as a friend."});
  const auto mine = store_.friendship(user.sub, target_user_id);    // "requested" | "friends"
  const auto theirs = store_.friendship(target_user_id, user.sub);
  if (mine == "friends") return {200, {{"relation", "friends"}}};
  const auto target_name = name_in_a_call_with(user.sub, target_user_id);
  if (!target_name) return error({403, ErrorCode::not_in_room, "You can add people while you are in a call with them."});
  const std::int64_t now = now_ms();
  store_.upsert_user(user.sub, user.name, now);  // a token minted by an embedding site may be its first sight
  if (!store_.user_name(target_user_id)) store_.upsert_user(target_user_id, *target_name, now);
  if (theirs == "requested") {  // they asked first: that is a yes
    store_.make_friends(user.sub, target_user_id, now);
    tell_friends(user, target_user_id);
    return {200, {{"relation", "friends"}}};
  }
  if (mine == "requested") return {200, {{"relation", "outgoing"}}};  // they were told once
  if (store_.friendships_of(user.sub) >= kMaxFriendships) {
    return error({429, ErrorCode::rate_limited, "You have reached " + std::to_string(kMaxFriendships) + " friends and requests."});
  }
  if (const auto wait = friend_requests_.take(user.sub, 1, std::chrono::steady_clock::now())) {
    return error({429, ErrorCode::rate_limited,
                  "You can send " + std::to_string(config_.friend_requests_per_hour) + " friend requests an hour.", wait});
  }
  store_.request_friend(user.sub, target_user_id, now);
  tell_user(target_user_id, srv::FriendUpdate{user.sub, user.name, false});
  return {200, {{"relation", "outgoing"}}};
}

ApiReply RoomHub::accept_friend(const Claims& user, const std::string& from_user_id) {
  if (store_.friendship(from_user_id, user.sub) != "requested" && store_.friendship(user.sub, from_user_id) != "friends") {
    return error({404, ErrorCode::bad_request, "There is no friend request from that person."});
  }
  store_.make_friends(user.sub, from_user_id, now_ms());
  tell_friends(user, from_user_id);
  return {200, {{"relation", "friends"}}};
}

// Both of them, on every socket: a call open in another tab updates its cards too.
void RoomHub::tell_friends(const Claims& user, const std::string& other_user_id) {
  tell_user(other_user_id, srv::FriendUpdate{user.sub, user.name, true});
  tell_user(user.sub, srv::FriendUpdate{other_user_id, store_.user_name(other_user_id).value_or("Someone"), true});
}

// Every open socket of this user, in a room or not.
void RoomHub::tell_user(const std::string& user_id, const protocol::ServerMessage& message) {
  const Frame frame = std::make_shared<const std::string>(protocol::encode(message));
  for (const auto& connection : sockets_of(user_id)) connection->send(frame);
}

// Copied out first: a send may drop a slow reader, which erases it from online_ inside the call.
std::vector<std::shared_ptr<Connection>> RoomHub::sockets_of(const std::string& user_id) const {
  std::vector<std::shared_ptr<Connection>> sockets;
  for (auto [it, end] = online_.equal_range(user_id); it != end; ++it) {
    if (auto connection = it->second.lock()) sockets.push_back(std::move(connection));
  }
  return sockets;
}

ApiReply RoomHub::friends(const Claims& user) {
  json list = json::array();
  for (const FriendRecord& f : store_.friends_of(user.sub)) {
    list.push_back({{"user_id", f.user_id}, {"display_name", f.display_name}, {"relation", f.relation}});
  }
  return {200, {{"friends", std::move(list)}}};
}

// ---------------------------------------------------------------------------------------------
// WebSocket

void RoomHub::connected(const std::shared_ptr<Connection>& connection) {
  ++connection_count_;
  online_.emplace(connection->user_id(), connection);
  connection->ice_issued_ms = now_ms();
  send(connection, srv::Hello{1, connection->ice_issued_ms, ice_servers_for(config_.ice, connection->user_id(), now_ms() / 1000)});
}

void RoomHub::disconnected(const std::shared_ptr<Connection>& connection) {
  --connection_count_;
  for (auto [it, end] = online_.equal_range(connection->user_id()); it != end;) {
    const auto held = it->second.lock();
    it = (!held || held == connection) ? online_.erase(it) : std::next(it);
  }
  detach(connection);
}

// The socket is gone but the member keeps its place for the grace period (see room_hub.h).
void RoomHub::detach(const std::shared_ptr<Connection>& connection) {
  if (connection->room_code.empty()) return;
  LiveRoom* live = room(connection->room_code);
  if (!live) return;
  Member* m = member(*live, connection->user_id());
  if (m && m->connection == connection) {
    m->connection.reset();
    m->detached_at = now_ms();
    if (m->user_id == live->record.host_user_id && m->announced) {
      broadcast(*live, srv::HostAway{live->record.room_code, m->user_id});
    }
  }
}

void RoomHub::send(const std::shared_ptr<Connection>& connection, const protocol::ServerMessage& message) {
  connection->send(std::make_shared<const std::string>(protocol::encode(message)));
}

void RoomHub::broadcast(const LiveRoom& live, const protocol::ServerMessage& message, const std::string& except_user) {
  const Frame frame = std::make_shared<const std::string>(protocol::encode(message));
  for (const Member& m : live.members) {
    // A copy: a send may drop a slow reader, which resets m.connection inside the call.
    if (auto connection = m.connection; connection && m.user_id != except_user) connection->send(frame);
  }
}

void RoomHub::reply_error(const std::shared_ptr<Connection>& connection, ErrorCode code, std::string message,
                          const std::optional<protocol::RequestId>& id, std::optional<int> retry_after) {
  log::refused(*connection, protocol::to_string(code), message);
  send(connection, srv::ErrorReply{code, std::move(message), id, retry_after});
}

void RoomHub::reply_problem(const std::shared_ptr<Connection>& connection, const Problem& problem,
                            const std::optional<protocol::RequestId>& id) {
  reply_error(connection, problem.code, problem.message, id, problem.retry_after);
}

// call:ring reaches friends and people in a room with the caller, nobody else; a call_id is rung once.
void RoomHub::ring(const std::shared_ptr<Connection>& connection, const cli::CallRing& ring,
                   const std::optional<protocol::RequestId>& id) {
  const std::string& caller = connection->user_id();
  if (ring.to_user_id == caller) return reply_error(connection, ErrorCode::bad_request, "You cannot ring yourself.", id);
  if (used_call_ids_.count(ring.call_id)) {
    return reply_error(connection, ErrorCode::bad_request, "call:ring.call_id has been used before: make a new one.", id);
  }
  if (store_.friendship(caller, ring.to_user_id) != "friends" && !name_in_a_call_with(caller, ring.to_user_id)) {
    return reply_error(connection, ErrorCode::unauthorized, "You can ring your friends and people in a room with you.", id);
  }
  const auto targets = sockets_of(ring.to_user_id);
  if (targets.empty()) return reply_error(connection, ErrorCode::not_in_room, "That person is not online.", id);
  used_call_ids_.emplace(ring.call_id, now_ms());
  const bool busy = std::any_of(calls_.begin(), calls_.end(), [&](const auto& entry) {
    return entry.second.accepted && (entry.second.caller == ring.to_user_id || entry.second.callee == ring.to_user_id);
  });
  if (busy) return send(connection, srv::CallBusy{ring.call_id});
  for (const auto& target : targets) send(target, srv::CallIncoming{ring.call_id, caller, connection->claims().name});
  calls_[ring.call_id] = Call{caller, ring.to_user_id, false, now_ms()};
  if (id) send(connection, srv::Ack{*id});
}

// Every request from a socket. A storage failure that escaped the request's own handling fails that
// request alone; the connection, its room and every other room carry on.
void RoomHub::handle(const std::shared_ptr<Connection>& connection, const protocol::ClientMessage& message,
                     const std::optional<protocol::RequestId>& id) {
  try {
    dispatch(connection, message, id);
  } catch (const StorageError& error) {
    reply_problem(connection, storage_problem(error, protocol::type_name(message).data()), id);
  }
}

void RoomHub::dispatch(const std::shared_ptr<Connection>& connection, const protocol::ClientMessage& message,
                       const std::optional<protocol::RequestId>& id) {
  const auto ack = [&] {
    if (id) send(connection, srv::Ack{*id});
  };
  if (const auto* join_message = std::get_if<cli::JoinRoom>(&message)) return ws_join(connection, *join_message, id);
  if (std::holds_alternative<cli::Ping>(message)) return send(connection, srv::Pong{});
  if (const auto* m = std::get_if<cli::CallRing>(&message)) return ring(connection, *m, id);
  const auto call_reply = [&](const std::string& call_id, auto reply, bool from_callee, bool accept) {
    const auto it = calls_.find(call_id);
    if (it == calls_.end()) return reply_error(connection, ErrorCode::not_in_room, "No such call.", id);
    Call& call = it->second;
    if ((from_callee ? call.callee : call.caller) != connection->user_id()) {
      return reply_error(connection, ErrorCode::not_in_room, "That call is not yours.", id);
    }
    const std::string& other = from_callee ? call.caller : call.callee;
    for (const auto& target : sockets_of(other)) send(target, reply);
    if (accept) call.accepted = true; else calls_.erase(it);
    ack();
  };
  if (const auto* m = std::get_if<cli::CallAccept>(&message)) return call_reply(m->call_id, srv::CallAccepted{m->call_id}, true, true);
  if (const auto* m = std::get_if<cli::CallReject>(&message)) return call_reply(m->call_id, srv::CallRejected{m->call_id}, true, false);
  if (const auto* m = std::get_if<cli::CallCancel>(&message)) return call_reply(m->call_id, srv::CallCancelled{m->call_id}, false, false);

  // Everything else acts on the room this connection is in.
  LiveRoom* live = connection->room_code.empty() ? nullptr : room(connection->room_code);
  Member* self = live ? member(*live, connection->user_id()) : nullptr;
  if (!live || !self || self->connection != connection) {
    return reply_error(connection, ErrorCode::not_in_room, "Join a room first.", id);
  }
  const std::string& room_code = live->record.room_code;

  if (std::holds_alternative<cli::LeaveRoom>(message)) {
    connection->room_code.clear();
    connection->peer_id.clear();
    remove_member(*live, self->user_id, false);
    return ack();
  }
  // Signaling goes to one peer of this room, named by its peer id, and nowhere else.
  const auto relay = [&](const std::string& to, const protocol::ServerMessage& relayed) {
    for (const Member& other : live->members) {
      if (other.peer_id == to && other.connection) return send(other.connection, relayed);
    }
    reply_error(connection, ErrorCode::not_in_room, "No such peer in this room.", id);
  };
  if (const auto* m = std::get_if<cli::SignalOffer>(&message)) return relay(m->to, srv::SignalOffer{connection->peer_id, m->sdp, m->offer_id});
  if (const auto* m = std::get_if<cli::SignalAnswer>(&message)) return relay(m->to, srv::SignalAnswer{connection->peer_id, m->sdp, m->offer_id});
  if (const auto* m = std::get_if<cli::SignalIce>(&message)) return relay(m->to, srv::SignalIce{connection->peer_id, m->candidate});
  if (const auto* m = std::get_if<cli::MediaState>(&message)) {
    self->audio = m->audio;
    self->video = m->video;
    self->screen = m->screen;
    broadcast(*live, srv::ParticipantUpdated{room_code, participant(*live, *self)});
    return ack();
  }
  if (const auto* m = std::get_if<cli::ChatSend>(&message)) {
    if (!parse_settings(live->record.settings_json).chat) {
      return reply_error(connection, ErrorCode::not_host, "The host has turned chat off.", id);
    }
    if (auto problem = take_write_bytes(self->user_id, m->text.size())) return reply_problem(connection, *problem, id);
    ChatRecord chat{"m" + random_token(9), room_code, self->user_id, self->display_name, m->text, now_ms(), m->client_msg_id};
    try {
      store_.insert_chat(chat, config_.chat_messages_per_room);
    } catch (const StorageError& error) {
      return reply_problem(connection, storage_problem(error, "saving a chat message"), id);
    }
    live->chat_pages.reset();
    broadcast(*live, srv::ChatMessage{chat.id, chat.from_user_id, chat.display_name, chat.text, chat.sent_at, chat.client_msg_id});
    return ack();
  }
  if (const auto* m = std::get_if<cli::WhiteboardOps>(&message)) return whiteboard_ops(connection, *live, m->ops, id);
  if (const auto* m = std::get_if<cli::WhiteboardCursor>(&message)) {  // transient: relayed, never stored
    return broadcast(*live, srv::WhiteboardCursor{connection->peer_id, m->x, m->y, m->laser}, self->user_id);
  }

  if (std::holds_alternative<cli::ClaimHost>(message)) return claim_host(connection, *live, *self, id);

  // Host and co-host powers: one table decides, for the WebSocket and REST alike.
  const auto allowed = [&](authority::Power power, const std::string& target_user_id = {}) {
    if (auto problem = power_problem(*live, connection->claims(), power)) {  // the role holds it at all?
      reply_problem(connection, *problem, id);
      return false;
    }
    if (!target_user_id.empty() && !member(*live, target_user_id)) {
      reply_error(connection, ErrorCode::not_in_room, "That person is not in this room.", id);
      return false;
    }
    if (auto problem = power_problem(*live, connection->claims(), power, target_user_id)) {
      reply_problem(connection, *problem, id);
      return false;
    }
    return true;
  };
  if (const auto* m = std::get_if<cli::HostMute>(&message)) {
    if (!allowed(authority::Power::mute, m->target_user_id)) return;
    apply_host_action(*live, self->user_id, srv::HostActionKind::mute, m->target_user_id);
    return ack();
  }
  if (const auto* m = std::get_if<cli::HostKick>(&message)) {
    if (!allowed(authority::Power::kick, m->target_user_id)) return;
    apply_host_action(*live, self->user_id, srv::HostActionKind::kick, m->target_user_id);
    return ack();
  }
  if (const auto* m = std::get_if<cli::MakeCohost>(&message)) {
    if (!allowed(authority::Power::make_cohost, m->target_user_id)) return;
    Member* target = member(*live, m->target_user_id);
    target->is_cohost = true;
    persist_member(*live, *target, std::nullopt, false);
    broadcast(*live, srv::ParticipantUpdated{room_code, participant(*live, *target)});
    return ack();
  }
  if (const auto* m = std::get_if<cli::HostTransfer>(&message)) {
    if (!allowed(authority::Power::transfer_host, m->target_user_id)) return;
    Member* target = member(*live, m->target_user_id);
    const std::string previous = live->record.host_user_id;
    live->record.host_user_id = target->user_id;
    touch(*live);
    persist_member(*live, *target, std::nullopt, false);
    persist_member(*live, *self, std::nullopt, false);
    broadcast(*live, srv::HostChanged{room_code, target->user_id, previous});
    return ack();
  }
  if (const auto* m = std::get_if<cli::LockRoom>(&message)) {
    if (!allowed(authority::Power::lock)) return;
    live->record.is_locked = m->locked;
    touch(*live);
    broadcast(*live, srv::SettingsChanged{room_code, live->record.is_locked, parse_settings(live->record.settings_json)});
    return ack();
  }
  if (const auto* m = std::get_if<cli::ChangeSettings>(&message)) {
    if (!allowed(authority::Power::change_settings)) return;
    live->record.settings_json = settings_json(m->settings).dump();
    touch(*live);
    broadcast(*live, srv::SettingsChanged{room_code, live->record.is_locked, m->settings});
    return ack();
  }
  if (std::holds_alternative<cli::EndRoom>(message)) {
    if (!allowed(authority::Power::end_room)) return;
    ack();
    return end_room(*live, "ended_by_host");
  }
  reply_error(connection, ErrorCode::unknown_type, "This server does not handle that message.", id);
}

void RoomHub::ws_join(const std::shared_ptr<Connection>& connection, const cli::JoinRoom& join,
                      const std::optional<protocol::RequestId>& id) {
  LiveRoom* live = room(join.room_code);
  if (!live) return reply_error(connection, ErrorCode::room_not_found, "The room \"" + join.room_code + "\" doesn't exist or has expired.", id);
  if (!connection->room_code.empty() && connection->room_code != join.room_code) {
    return reply_error(connection, ErrorCode::bad_request, "Leave your current room first.", id);
  }
  // A resume token proves this user was admitted as this peer: no password again, lock or not.
  std::optional<std::string> resumed_peer;
  if (join.resume_token) {
    const auto claims = verify_token(*join.resume_token, secret_, now_ms() / 1000);
    if (claims && claims->sub == connection->user_id() && claims->room == join.room_code) resumed_peer = claims->peer;
  }
  if (auto problem = admission_problem(*live, connection->claims(), resumed_peer.has_value())) {
    return reply_error(connection, problem->code, problem->message, id);
  }
  const auto& hash = live->record.password_hash;
  if (!hash || resumed_peer || member(*live, connection->user_id()) || live->record.host_user_id == connection->user_id()) {
    return finish_ws_join(connection, join.room_code, resumed_peer, id);
  }
  if (!join.password) return reply_error(connection, ErrorCode::wrong_password, "This room needs a password.", id);
  if (auto problem = take_password_attempt(join.room_code, connection->address())) return reply_problem(connection, *problem, id);
  std::weak_ptr<Connection> weak = connection;
  check_password(*hash, *join.password, join.room_code + "|" + connection->address(),
                 [this, weak, room_code = join.room_code, id](bool ok) {
                   auto still_open = weak.lock();
                   if (!still_open || !still_open->is_open()) return;
                   if (!ok) return reply_error(still_open, ErrorCode::wrong_password, "That password is not right.", id);
                   try {
                     finish_ws_join(still_open, room_code, std::nullopt, id);
                   } catch (const StorageError& failure) {
                     reply_problem(still_open, storage_problem(failure, "joining a room"), id);
                   }
                 });
}

void RoomHub::finish_ws_join(const std::shared_ptr<Connection>& connection, const std::string& room_code,
                             std::optional<std::string> resumed_peer, const std::optional<protocol::RequestId>& id) {
  LiveRoom* live = room(room_code);
  // Checked again: the room may have filled or closed while a password was being verified.
  if (auto problem = admission_problem(*live, connection->claims(), resumed_peer.has_value())) {
    return reply_error(connection, problem->code, problem->message, id);
  }
  Member* m = member(*live, connection->user_id());
  const bool host_returns = m && !m->connection && m->announced && m->user_id == live->record.host_user_id;
  if (!m) {
    Member fresh;
    fresh.user_id = connection->user_id();
    fresh.peer_id = resumed_peer.value_or("p" + random_token(9));
    fresh.display_name = connection->claims().name;
    fresh.joined_at = now_ms();
    live->members.push_back(fresh);
    m = &live->members.back();
  }
  if (m->connection && m->connection != connection) {
    // The same user from another tab or a socket that has not noticed its drop: the newest wins.
    auto old = m->connection;
    old->room_code.clear();
    old->peer_id.clear();
    send(old, srv::RoomClosed{room_code, "joined_elsewhere"});
  }
  m->connection = connection;
  connection->room_code = room_code;
  connection->peer_id = m->peer_id;
  const bool first_arrival = !m->announced;
  m->announced = true;
  persist_member(*live, *m, std::nullopt, false);
  touch(*live);

  srv::RoomJoined joined;
  joined.self = {m->user_id, m->peer_id, m->display_name, live->record.host_user_id == m->user_id};
  joined.room = {room_code, live->record.room_name, live->record.host_user_id, live->record.max_participants,
                 live->record.is_locked, parse_settings(live->record.settings_json)};
  for (const Member& other : live->members) {
    if (other.announced && other.user_id != m->user_id) joined.participants.push_back(participant(*live, other));
  }
  Claims resume{m->user_id, m->display_name, now_ms() / 1000 + 24 * 3600, room_code, std::nullopt, m->peer_id};
  joined.resume_token = mint_token(resume, secret_);
  send(connection, joined);
  connection->send_history(chat_pages(*live));
  connection->send_history(board_pages(*live));
  if (id) send(connection, srv::Ack{*id});
  if (first_arrival) {
    broadcast(*live, srv::ParticipantJoined{room_code, participant(*live, *m), announced_count(*live)}, m->user_id);
  }
  if (host_returns) {
    broadcast(*live, srv::HostChanged{room_code, m->user_id, m->user_id}, m->user_id);
  } else if (const Member* host = member(*live, live->record.host_user_id); host && host->announced && !host->connection) {
    send(connection, srv::HostAway{room_code, host->user_id});
  }
}

// "Become Host": anyone in the room may take it over while the host is away, so a dropped host does
// not leave the room without powers for the whole grace period. Not before the host has arrived:
// a room waits for the one who made it.
void RoomHub::claim_host(const std::shared_ptr<Connection>& connection, LiveRoom& live, Member& self,
                         const std::optional<protocol::RequestId>& id) {
  const std::string previous = live.record.host_user_id;
  if (previous == self.user_id) {
    if (id) send(connection, srv::Ack{*id});
    return;
  }
  const Member* host = member(live, previous);
  if (!host || !host->announced) {
    return reply_error(connection, ErrorCode::not_host, "The host has not arrived yet.", id);
  }
  if (host->connection) return reply_error(connection, ErrorCode::not_host, "The host is here.", id);
  live.record.host_user_id = self.user_id;
  self.is_cohost = false;
  touch(live);
  persist_member(live, self, std::nullopt, false);
  broadcast(live, srv::HostChanged{live.record.room_code, self.user_id, previous});
  if (id) send(connection, srv::Ack{*id});
}

// Loaded from the store the first time anyone needs it. A read that fails throws (StorageError) and
// leaves the room without a board in memory, so the next request tries again rather than seeing an
// empty board.
whiteboard::Board& RoomHub::board(LiveRoom& live) {
  if (!live.board) {
    whiteboard::Board loaded;
    std::size_t bytes = 0;
    for (const std::string& body : store_.whiteboard(live.record.room_code)) {
      if (auto read = whiteboard::read_element(json::parse(body, nullptr, false)); read.element) {
        loaded.apply(*read.element);
        bytes += body.size();
      }
    }
    live.board = std::move(loaded);
    live.board_bytes = bytes;
  }
  return *live.board;
}

// A batch of whiteboard ops is checked whole before any of it is applied: one bad op and the board
// stays as it was for everyone. New elements must be authored by the sender ("<user_id>:<n>"), and a
// version may only grow by board_version_step at a time, so nobody can write one that nobody can
// ever change again. The batch is stored first and applied in memory only once SQLite has it.
void RoomHub::whiteboard_ops(const std::shared_ptr<Connection>& connection, LiveRoom& live,
                             const std::vector<json>& ops, const std::optional<protocol::RequestId>& id) {
  whiteboard::Board& wb = board(live);
  std::vector<whiteboard::Element> elements;
  elements.reserve(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const std::string where = "wb:ops.ops[" + std::to_string(i) + "]";
    auto read = whiteboard::read_element(ops[i]);
    if (!read.element) return reply_error(connection, ErrorCode::bad_request, where + ": " + read.problem, id);
    const whiteboard::Element* current = wb.find(read.element->id);
    const std::string author = read.element->id.substr(0, read.element->id.rfind(':'));
    if (!current && author != connection->user_id()) {
      return reply_error(connection, ErrorCode::bad_request, where + ": new elements must carry your own user id", id);
    }
    const std::int64_t stored_version = current ? current->version : 0;
    if (read.element->version > stored_version + config_.board_version_step) {
      return reply_error(connection, ErrorCode::bad_request,
                         where + ".version may be at most " + std::to_string(config_.board_version_step) +
                             " above the stored version (" + std::to_string(stored_version) + ")",
                         id);
    }
    elements.push_back(std::move(*read.element));
  }
  // Erasing a stroke of someone else's is ordinary teamwork; wiping several at once is clearing the
  // board, which only the host and co-hosts may do; and erasing them one by one is limited per minute.
  const auto others_erased = std::count_if(elements.begin(), elements.end(), [&](const whiteboard::Element& e) {
    const whiteboard::Element* current = wb.find(e.id);
    return e.deleted && current && !current->deleted && e.id.rfind(connection->user_id() + ":", 0) != 0;
  });
  const bool may_clear = !power_problem(live, connection->claims(), authority::Power::clear_board);
  if (others_erased > 1 && !may_clear) {
    return reply_error(connection, ErrorCode::not_host, "Only the host or a co-host can clear the board.", id);
  }
  if (others_erased > 0 && !may_clear) {
    if (const auto wait = others_erased_.take(connection->user_id(), static_cast<double>(others_erased),
                                              std::chrono::steady_clock::now())) {
      return reply_error(connection, ErrorCode::rate_limited,
                         "You have erased " + std::to_string(config_.board_erase_others_per_minute) +
                             " of other people's drawings this minute: ask the host to clear the board.",
                         id, wait);
    }
  }
  // What would change, decided on a scratch board holding only the touched elements.
  whiteboard::Board scratch;
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<json> accepted;
  std::size_t bytes = live.board_bytes;
  std::size_t count = wb.elements().size();
  for (const whiteboard::Element& element : elements) {
    const whiteboard::Element* current = scratch.find(element.id);
    if (!current) current = wb.find(element.id);
    if (current) scratch.apply(*current);
    if (!scratch.apply(element)) continue;  // older than what the board has: nothing to tell anyone
    json written = whiteboard::write_element(element);
    std::string body = written.dump();
    const auto previous = std::find_if(rows.begin(), rows.end(), [&](const auto& row) { return row.first == element.id; });
    if (previous != rows.end()) {
      bytes -= previous->second.size();
      rows.erase(previous);
    } else if (const whiteboard::Element* stored = wb.find(element.id)) {
      bytes -= whiteboard::write_element(*stored).dump().size();
    } else {
      ++count;
    }
    bytes += body.size();
    rows.emplace_back(element.id, std::move(body));
    accepted.push_back(std::move(written));
  }
  if (rows.empty()) {
    if (id) send(connection, srv::Ack{*id});
    return;
  }
  if (count > config_.board_elements_per_room || bytes > config_.board_bytes_per_room) {
    return reply_error(connection, ErrorCode::quota_exceeded,
                       "This room's whiteboard is full (" + std::to_string(config_.board_elements_per_room) +
                           " elements or " + std::to_string(config_.board_bytes_per_room / 1024) +
                           " KiB): the host can clear it.",
                       id);
  }
  // Erasing (the host's Clear included) makes tombstones, not new drawing: only drawing counts.
  std::size_t written_bytes = 0;
  for (const json& op : accepted) {
    if (!op.value("deleted", false)) written_bytes += op.dump().size();
  }
  if (auto problem = take_write_bytes(connection->user_id(), written_bytes)) return reply_problem(connection, *problem, id);
  try {
    store_.save_whiteboard_elements(live.record.room_code, rows);
  } catch (const StorageError& error) {
    return reply_problem(connection, storage_problem(error, "saving whiteboard ops"), id);
  }
  for (const whiteboard::Element& element : elements) wb.apply(element);
  live.board_bytes = bytes;
  live.board_pages.reset();
  broadcast(live, srv::WhiteboardOps{connection->peer_id, std::move(accepted)}, connection->user_id());
  if (id) send(connection, srv::Ack{*id});
}

// A joiner gets the whole board (tombstones included, so its own replica converges) in pages of at
// most kMaxWhiteboardOps elements and about kHistoryPageBytes, encoded once per change of the board.
const std::vector<Frame>& RoomHub::board_pages(LiveRoom& live) {
  if (!live.board_pages) {
    auto pages = std::make_shared<std::vector<Frame>>();
    std::vector<json> batch;
    std::size_t batch_bytes = 0;
    const auto flush = [&] {
      if (batch.empty()) return;
      pages->push_back(std::make_shared<const std::string>(protocol::encode(srv::WhiteboardOps{"server", std::move(batch)})));
      batch.clear();
      batch_bytes = 0;
    };
    for (const auto& [element_id, element] : board(live).elements()) {
      json written = whiteboard::write_element(element);
      const std::size_t bytes = written.dump().size();
      if (batch.size() == protocol::kMaxWhiteboardOps || batch_bytes + bytes > kHistoryPageBytes) flush();
      batch_bytes += bytes;
      batch.push_back(std::move(written));
    }
    flush();
    live.board_pages = std::move(pages);
  }
  return *live.board_pages;
}

// The newest kChatHistory messages, oldest first, one chat:message frame each (the client already
// de-duplicates them by id, so a resume that sees some again shows each once).
const std::vector<Frame>& RoomHub::chat_pages(LiveRoom& live) {
  if (!live.chat_pages) {
    auto pages = std::make_shared<std::vector<Frame>>();
    try {
      for (const ChatRecord& c : store_.recent_chat(live.record.room_code, kChatHistory)) {
        // Stored before the text rules refused control characters: every client would refuse it.
        if (protocol::check_text(protocol::TextRule::chat_text, c.text)) continue;
        pages->push_back(std::make_shared<const std::string>(
            protocol::encode(srv::ChatMessage{c.id, c.from_user_id, c.display_name, c.text, c.sent_at, c.client_msg_id})));
      }
    } catch (const StorageError& error) {
      log::storage_failed("reading chat history", error.what());
      static const std::vector<Frame> kNothing;
      return kNothing;  // not cached: the next joiner tries again
    }
    live.chat_pages = std::move(pages);
  }
  return *live.chat_pages;
}

void RoomHub::apply_host_action(LiveRoom& live, const std::string& by, srv::HostActionKind action,
                                const std::string& target_user_id) {
  Member* target = member(live, target_user_id);
  if (!target) return;
  if (target->connection) send(target->connection, srv::HostAction{action, target_user_id, by});
  if (action == srv::HostActionKind::mute) {
    target->audio = false;
    persist_member(live, *target, std::nullopt, false);
    broadcast(live, srv::ParticipantUpdated{live.record.room_code, participant(live, *target)});
    return;
  }
  if (auto connection = target->connection) {
    connection->room_code.clear();
    connection->peer_id.clear();
  }
  remove_member(live, target_user_id, /*kicked=*/true);
}

void RoomHub::remove_member(LiveRoom& live, const std::string& user_id, bool kicked) {
  const auto it = std::find_if(live.members.begin(), live.members.end(), [&](const Member& m) { return m.user_id == user_id; });
  if (it == live.members.end()) return;
  const Member gone = *it;
  live.members.erase(it);
  persist_member(live, gone, now_ms(), kicked);
  const std::string& room_code = live.record.room_code;
  if (gone.announced) {
    broadcast(live, srv::ParticipantLeft{room_code, gone.user_id, gone.peer_id, announced_count(live)});
  }
  // Host left: a co-host takes over, else whoever has been here longest; never someone who only
  // reserved a seat over REST and has not come in (nobody has seen them, and they may never come).
  const auto present = std::find_if(live.members.begin(), live.members.end(), [](const Member& m) { return m.announced; });
  if (live.record.host_user_id == gone.user_id && present != live.members.end()) {
    auto next = std::find_if(live.members.begin(), live.members.end(), [](const Member& m) { return m.is_cohost && m.announced; });
    if (next == live.members.end()) next = present;
    live.record.host_user_id = next->user_id;
    persist_member(live, *next, std::nullopt, false);
    broadcast(live, srv::HostChanged{room_code, next->user_id, gone.user_id});
  }
  touch(live);
}

void RoomHub::end_room(LiveRoom& live, const std::string& reason) {
  broadcast(live, srv::RoomClosed{live.record.room_code, reason});
  const std::int64_t now = now_ms();
  for (Member& m : live.members) {
    if (m.connection) {
      m.connection->room_code.clear();
      m.connection->peer_id.clear();
    }
    persist_member(live, m, now, false);
  }
  live.members.clear();
  live.record.is_active = false;
  live.record.closed_reason = reason;
  live.record.current_participants = 0;
  keep("closing a room", [&] { store_.update_room(live.record); });
}

// TURN credentials last --turn-ttl; a socket open for half of that gets fresh ones (ice:servers),
// which its pcs use from their next ICE restart, so a long call never meets an expired credential.
void RoomHub::refresh_ice_credentials(std::int64_t now) {
  if (config_.ice.turn_urls.empty()) return;
  const std::int64_t every = config_.ice_refresh ? config_.ice_refresh->count()
                                                 : std::chrono::duration_cast<std::chrono::milliseconds>(config_.ice.turn_ttl).count() / 2;
  for (const auto& [user_id, weak] : online_) {
    const auto connection = weak.lock();
    if (!connection || !connection->is_open() || now - connection->ice_issued_ms < every) continue;
    connection->ice_issued_ms = now;
    send(connection, srv::IceServers{ice_servers_for(config_.ice, user_id, now / 1000)});
  }
}

void RoomHub::sweep() {
  const std::int64_t now = now_ms();
  refresh_ice_credentials(now);
  for (auto& [code, live] : rooms_) {
    std::vector<std::string> expired;
    for (const Member& m : live.members) {
      const std::int64_t grace = m.announced ? config_.resume_grace.count() : config_.reservation.count();
      if (!m.connection && now - m.detached_at >= grace) expired.push_back(m.user_id);
    }
    for (const std::string& user_id : expired) remove_member(live, user_id, false);
  }
  std::vector<std::string> expired_rooms;
  keep("expiring rooms", [&] { expired_rooms = store_.expire_rooms(now); });
  for (const std::string& code : expired_rooms) {
    if (auto it = rooms_.find(code); it != rooms_.end()) {
      broadcast(it->second, srv::RoomClosed{code, "expired"});
      rooms_.erase(it);
    }
  }
  for (auto it = calls_.begin(); it != calls_.end();) {
    it = (!it->second.accepted && now - it->second.started_at > 60'000) ? calls_.erase(it) : std::next(it);
  }
  for (auto it = used_call_ids_.begin(); it != used_call_ids_.end();) {
    it = now - it->second > kCallIdMemoryMs ? used_call_ids_.erase(it) : std::next(it);
  }
  const auto steady_now = std::chrono::steady_clock::now();
  for (KeyedBuckets* buckets : {&password_attempts_, &guest_sessions_, &friend_requests_, &write_bytes_, &others_erased_}) {
    buckets->forget_idle(steady_now);
  }
  // Inactive rooms with nobody in them need not stay in memory.
  for (auto it = rooms_.begin(); it != rooms_.end();) {
    it = (it->second.members.empty()) ? rooms_.erase(it) : std::next(it);
  }
}

}  // namespace mehfil::server
