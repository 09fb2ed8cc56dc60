// The rules of rooms (room_hub.h).
#include "room_hub.h"

#include <algorithm>
#include <chrono>

#include <boost/asio/post.hpp>

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

constexpr std::int64_t kReservationMs = 60'000;  // a REST join holds a place this long for its socket
constexpr int kChatHistory = 50;
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
    : store_(store), config_(config), io_(io), hashing_(hashing), secret_(std::move(secret)) {
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
          {{"error", {{"code", std::string(protocol::to_string(problem.code))}, {"message", problem.message}}}}};
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

bool RoomHub::may_manage(const LiveRoom& live, const Claims& user) const {
  if (live.record.host_user_id == user.sub) return true;
  if (user.role == "host" && user.room == live.record.room_code) return true;  // minted by an embedding site
  const auto it = std::find_if(live.members.begin(), live.members.end(),
                               [&](const Member& m) { return m.user_id == user.sub; });
  return it != live.members.end() && it->is_cohost;
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
  return {{"room_code", r.room_code},
          {"room_name", r.room_name},
          {"link", "/room/" + r.room_code},
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
  store_.update_room(live.record);
}

void RoomHub::persist_member(const LiveRoom& live, const Member& m, std::optional<std::int64_t> left_at, bool kicked) {
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
  boost::asio::post(hashing_, [this, password = *request.password, finish]() {
    auto hash = hash_password(password);
    boost::asio::post(io_, [finish, hash = std::move(hash)]() mutable {
      finish(std::move(hash));
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

void RoomHub::join(const Claims& user, const std::string& room_code, std::optional<std::string> password,
                   ApiCallback done) {
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
  boost::asio::post(hashing_, [this, hash = *hash, password = *password, admit, done]() {
    const bool ok = password_matches(hash, password);
    boost::asio::post(io_, [this, ok, admit, done]() {
      if (!ok) return done(error({403, ErrorCode::wrong_password, "That password is not right."}));
      admit();
    });
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
  if (live->record.host_user_id != user.sub) return error({403, ErrorCode::not_host, "Only the host can delete this room."});
  if (live->record.is_active) end_room(*live, "deleted");
  return {200, {{"deleted", true}}};
}

ApiReply RoomHub::host_action(const Claims& user, const std::string& room_code, srv::HostActionKind action,
                              const std::string& target_user_id) {
  LiveRoom* live = room(room_code);
  if (!live || !live->record.is_active) return error({404, ErrorCode::room_not_found, "No such room."});
  if (!may_manage(*live, user)) return error({403, ErrorCode::not_host, "Only the host or a co-host can do that."});
  if (!member(*live, target_user_id)) return error({409, ErrorCode::not_in_room, "That person is not in this room."});
  if (target_user_id == live->record.host_user_id && user.sub != target_user_id) {
    return error({403, ErrorCode::not_host, "Nobody can mute or remove the host."});
  }
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
  send(connection, srv::Hello{1, now_ms()});
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
                          const std::optional<protocol::RequestId>& id) {
  send(connection, srv::ErrorReply{code, std::move(message), id});
}

void RoomHub::handle(const std::shared_ptr<Connection>& connection, const protocol::ClientMessage& message,
                     const std::optional<protocol::RequestId>& id) {
  const auto ack = [&] {
    if (id) send(connection, srv::Ack{*id});
  };
  if (const auto* join_message = std::get_if<cli::JoinRoom>(&message)) return ws_join(connection, *join_message, id);
  if (std::holds_alternative<cli::Ping>(message)) return send(connection, srv::Pong{});
  if (const auto* ring = std::get_if<cli::CallRing>(&message)) {
    bool reached = false;
    for (const auto& target : sockets_of(ring->to_user_id)) {
      send(target, srv::CallIncoming{ring->call_id, connection->user_id(), connection->claims().name});
      reached = true;
    }
    if (!reached) return reply_error(connection, ErrorCode::not_in_room, "That person is not online.", id);
    const bool busy = std::any_of(calls_.begin(), calls_.end(), [&](const auto& entry) {
      return entry.second.accepted && (entry.second.caller == ring->to_user_id || entry.second.callee == ring->to_user_id);
    });
    if (busy) return send(connection, srv::CallBusy{ring->call_id});
    calls_[ring->call_id] = Call{connection->user_id(), ring->to_user_id, false, now_ms()};
    return ack();
  }
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
  if (const auto* m = std::get_if<cli::SignalOffer>(&message)) return relay(m->to, srv::SignalOffer{connection->peer_id, m->sdp});
  if (const auto* m = std::get_if<cli::SignalAnswer>(&message)) return relay(m->to, srv::SignalAnswer{connection->peer_id, m->sdp});
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
    ChatRecord chat{"m" + random_token(9), room_code, self->user_id, self->display_name, m->text, now_ms(), m->client_msg_id};
    store_.insert_chat(chat);
    broadcast(*live, srv::ChatMessage{chat.id, chat.from_user_id, chat.display_name, chat.text, chat.sent_at, chat.client_msg_id});
    return ack();
  }
  if (const auto* m = std::get_if<cli::WhiteboardOps>(&message)) return whiteboard_ops(connection, *live, m->ops, id);
  if (const auto* m = std::get_if<cli::WhiteboardCursor>(&message)) {  // transient: relayed, never stored
    return broadcast(*live, srv::WhiteboardCursor{connection->peer_id, m->x, m->y, m->laser}, self->user_id);
  }

  if (std::holds_alternative<cli::ClaimHost>(message)) return claim_host(connection, *live, *self, id);

  // Host and co-host actions.
  if (!may_manage(*live, connection->claims())) {
    return reply_error(connection, ErrorCode::not_host, "Only the host or a co-host can do that.", id);
  }
  const auto target_of = [&](const std::string& target_user_id) -> Member* {
    Member* target = member(*live, target_user_id);
    if (!target) reply_error(connection, ErrorCode::not_in_room, "That person is not in this room.", id);
    return target;
  };
  if (const auto* m = std::get_if<cli::HostMute>(&message)) {
    if (!target_of(m->target_user_id)) return;
    apply_host_action(*live, self->user_id, srv::HostActionKind::mute, m->target_user_id);
    return ack();
  }
  if (const auto* m = std::get_if<cli::HostKick>(&message)) {
    if (!target_of(m->target_user_id)) return;
    if (m->target_user_id == live->record.host_user_id) {
      return reply_error(connection, ErrorCode::not_host, "Nobody can remove the host.", id);
    }
    apply_host_action(*live, self->user_id, srv::HostActionKind::kick, m->target_user_id);
    return ack();
  }
  if (const auto* m = std::get_if<cli::MakeCohost>(&message)) {
    Member* target = target_of(m->target_user_id);
    if (!target) return;
    target->is_cohost = true;
    persist_member(*live, *target, std::nullopt, false);
    broadcast(*live, srv::ParticipantUpdated{room_code, participant(*live, *target)});
    return ack();
  }
  if (const auto* m = std::get_if<cli::HostTransfer>(&message)) {
    if (live->record.host_user_id != self->user_id) {
      return reply_error(connection, ErrorCode::not_host, "Only the host can hand over the room.", id);
    }
    Member* target = target_of(m->target_user_id);
    if (!target) return;
    const std::string previous = live->record.host_user_id;
    live->record.host_user_id = target->user_id;
    touch(*live);
    persist_member(*live, *target, std::nullopt, false);
    persist_member(*live, *self, std::nullopt, false);
    broadcast(*live, srv::HostChanged{room_code, target->user_id, previous});
    return ack();
  }
  if (const auto* m = std::get_if<cli::LockRoom>(&message)) {
    live->record.is_locked = m->locked;
    touch(*live);
    broadcast(*live, srv::SettingsChanged{room_code, live->record.is_locked, parse_settings(live->record.settings_json)});
    return ack();
  }
  if (const auto* m = std::get_if<cli::ChangeSettings>(&message)) {
    live->record.settings_json = settings_json(m->settings).dump();
    touch(*live);
    broadcast(*live, srv::SettingsChanged{room_code, live->record.is_locked, m->settings});
    return ack();
  }
  if (std::holds_alternative<cli::EndRoom>(message)) {
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
  std::weak_ptr<Connection> weak = connection;
  boost::asio::post(hashing_, [this, hash = *hash, password = *join.password, weak, room_code = join.room_code, id]() {
    const bool ok = password_matches(hash, password);
    boost::asio::post(io_, [this, ok, weak, room_code, id]() {
      auto still_open = weak.lock();
      if (!still_open || !still_open->is_open()) return;
      if (!ok) return reply_error(still_open, ErrorCode::wrong_password, "That password is not right.", id);
      finish_ws_join(still_open, room_code, std::nullopt, id);
    });
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
  for (const ChatRecord& c : store_.recent_chat(room_code, kChatHistory)) {
    joined.chat.push_back({c.id, c.from_user_id, c.display_name, c.text, c.sent_at, c.client_msg_id});
  }
  Claims resume{m->user_id, m->display_name, now_ms() / 1000 + 24 * 3600, room_code, std::nullopt, m->peer_id};
  joined.resume_token = mint_token(resume, secret_);
  send(connection, joined);
  send_board(connection, *live);
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

whiteboard::Board& RoomHub::board(LiveRoom& live) {
  if (!live.board) {
    live.board.emplace();
    for (const std::string& body : store_.whiteboard(live.record.room_code)) {
      if (auto read = whiteboard::read_element(json::parse(body, nullptr, false)); read.element) live.board->apply(*read.element);
    }
  }
  return *live.board;
}

// A batch of whiteboard ops is checked whole before any of it is applied: one bad op and the board
// stays as it was for everyone. New elements must be authored by the sender ("<user_id>:<n>").
void RoomHub::whiteboard_ops(const std::shared_ptr<Connection>& connection, LiveRoom& live,
                             const std::vector<json>& ops, const std::optional<protocol::RequestId>& id) {
  whiteboard::Board& wb = board(live);
  std::vector<whiteboard::Element> elements;
  elements.reserve(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    auto read = whiteboard::read_element(ops[i]);
    if (!read.element) {
      return reply_error(connection, ErrorCode::bad_request, "wb:ops.ops[" + std::to_string(i) + "]: " + read.problem, id);
    }
    const std::string author = read.element->id.substr(0, read.element->id.rfind(':'));
    if (!wb.find(read.element->id) && author != connection->user_id()) {
      return reply_error(connection, ErrorCode::bad_request,
                         "wb:ops.ops[" + std::to_string(i) + "]: new elements must carry your own user id", id);
    }
    elements.push_back(std::move(*read.element));
  }
  // Erasing a stroke of someone else's is ordinary teamwork; wiping several at once is clearing the
  // board, which only the host and co-hosts may do.
  const auto others_erased = std::count_if(elements.begin(), elements.end(), [&](const whiteboard::Element& e) {
    const whiteboard::Element* current = wb.find(e.id);
    return e.deleted && current && !current->deleted && e.id.rfind(connection->user_id() + ":", 0) != 0;
  });
  if (others_erased > 1 && !may_manage(live, connection->claims())) {
    return reply_error(connection, ErrorCode::not_host, "Only the host can clear the board.", id);
  }
  std::vector<json> accepted;
  std::vector<std::pair<std::string, std::string>> rows;
  for (const whiteboard::Element& element : elements) {
    if (!wb.apply(element)) continue;  // older than what the board has: nothing to tell anyone
    json written = whiteboard::write_element(element);
    rows.emplace_back(element.id, written.dump());
    accepted.push_back(std::move(written));
  }
  if (!rows.empty()) {
    store_.save_whiteboard_elements(live.record.room_code, rows);
    broadcast(live, srv::WhiteboardOps{connection->peer_id, std::move(accepted)}, connection->user_id());
  }
  if (id) send(connection, srv::Ack{*id});
}

// A joiner gets the whole board (tombstones included, so its own replica converges) in batches.
void RoomHub::send_board(const std::shared_ptr<Connection>& connection, LiveRoom& live) {
  const auto& elements = board(live).elements();
  std::vector<json> batch;
  for (const auto& [element_id, element] : elements) {
    batch.push_back(whiteboard::write_element(element));
    if (batch.size() == protocol::kMaxWhiteboardOps) {
      send(connection, srv::WhiteboardOps{"server", std::move(batch)});
      batch.clear();
    }
  }
  if (!batch.empty()) send(connection, srv::WhiteboardOps{"server", std::move(batch)});
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
  // Host left: a co-host takes over, else whoever has been here longest.
  if (live.record.host_user_id == gone.user_id && !live.members.empty()) {
    auto next = std::find_if(live.members.begin(), live.members.end(), [](const Member& m) { return m.is_cohost; });
    if (next == live.members.end()) next = live.members.begin();
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
  store_.update_room(live.record);
}

void RoomHub::sweep() {
  const std::int64_t now = now_ms();
  for (auto& [code, live] : rooms_) {
    std::vector<std::string> expired;
    for (const Member& m : live.members) {
      const std::int64_t grace = m.announced ? config_.resume_grace.count() : kReservationMs;
      if (!m.connection && now - m.detached_at >= grace) expired.push_back(m.user_id);
    }
    for (const std::string& user_id : expired) remove_member(live, user_id, false);
  }
  for (const std::string& code : store_.expire_rooms(now)) {
    if (auto it = rooms_.find(code); it != rooms_.end()) {
      broadcast(it->second, srv::RoomClosed{code, "expired"});
      rooms_.erase(it);
    }
  }
  for (auto it = calls_.begin(); it != calls_.end();) {
    it = (!it->second.accepted && now - it->second.started_at > 60'000) ? calls_.erase(it) : std::next(it);
  }
  // Inactive rooms with nobody in them need not stay in memory.
  for (auto it = rooms_.begin(); it != rooms_.end();) {
    it = (it->second.members.empty()) ? rooms_.erase(it) : std::next(it);
  }
}

}  // namespace mehfil::server
