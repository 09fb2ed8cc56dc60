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

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;
namespace srv = protocol::server;
namespace cli = protocol::client;

constexpr std::int64_t kCallIdMemoryMs = 3'600'000;    // a call_id may not be rung again for this long
constexpr int kMaxFriendships = 500;  // friends and requests sent, per user

// The settings column holds protocol::settings_to_json; a value that does not read (hand-edited)
// leaves the defaults.
protocol::RoomSettings parse_settings(const std::string& text) {
  protocol::RoomSettings s;
  (void)protocol::settings_from_json(json::parse(text, nullptr, false), s);
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
      board_rules_(authority::BoardLimits{config.board_version_step, config.board_elements_per_room,
                                          config.board_bytes_per_room, config.board_erase_others_per_minute}) {
  // Whoever was in a room when the server stopped (a crash, a deploy) keeps their place for the
  // resume grace, exactly like a dropped socket: the first to reconnect sees the others in its
  // snapshot, so their media links stay up; the sweeper lets go of those who never come back.
  const std::int64_t now = now_ms();
  for (const ParticipantRecord& p : store_.present_participants()) {
    LiveRoom* live = room(p.room_code);
    if (!live) continue;
    authority::Member m;
    m.user_id = p.user_id;
    m.peer_id = p.peer_id;
    m.display_name = p.display_name;
    m.is_cohost = p.is_cohost;
    m.audio = !p.is_muted;
    m.joined_at = p.joined_at;
    live->rules.restore(std::move(m), now);
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
  authority::RoomFacts facts;
  facts.room_code = record->room_code;
  facts.room_name = record->room_name;
  facts.host_user_id = record->host_user_id;
  facts.max_participants = record->max_participants;
  facts.has_password = record->password_hash.has_value();
  facts.is_locked = record->is_locked;
  facts.is_active = record->is_active;
  facts.closed_reason = record->closed_reason;
  facts.settings = parse_settings(record->settings_json);
  const authority::Timing timing{config_.resume_grace.count(), config_.reservation.count()};
  return &rooms_.emplace(room_code, LiveRoom{std::move(*record), authority::RoomAuthority(std::move(facts), timing)})
              .first->second;
}

authority::Actor RoomHub::actor(const Claims& claims) {
  return {claims.sub, claims.name, claims.room, claims.role == "host"};
}

// The one place a rule's refusal gets its HTTP status.
RoomHub::Problem RoomHub::rules_problem(const authority::Problem& problem) {
  const auto status = [](ErrorCode code) -> unsigned {
    switch (code) {
      case ErrorCode::bad_request:
      case ErrorCode::unknown_type: return 400;
      case ErrorCode::too_large: return 413;
      case ErrorCode::rate_limited:
      case ErrorCode::quota_exceeded: return 429;
      case ErrorCode::not_in_room:
      case ErrorCode::room_full:
      case ErrorCode::room_locked: return 409;
      case ErrorCode::not_host:
      case ErrorCode::wrong_password:
      case ErrorCode::unauthorized:
      case ErrorCode::kicked:
      case ErrorCode::chat_disabled:
      case ErrorCode::screenshare_disabled: return 403;
      case ErrorCode::room_not_found:
      case ErrorCode::not_found:
      case ErrorCode::user_offline: return 404;
      case ErrorCode::expired: return 410;
      case ErrorCode::storage_full: return 507;
      case ErrorCode::internal: return 500;
    }
    return 400;
  };
  return Problem{status(problem.code), problem.code, problem.message, problem.retry_after_s};
}

bool RoomHub::was_kicked(const LiveRoom& live, const std::string& user_id) {
  const auto record = store_.find_participant(live.record.room_code, user_id);
  return record && record->is_kicked;
}

void RoomHub::apply(LiveRoom& live, const authority::Outcome& outcome) { apply(live, outcome.effects); }

void RoomHub::apply(LiveRoom& live, std::span<const authority::Effect> effects) {
  const auto socket = [&](authority::ConnId id) -> std::shared_ptr<Connection> {
    const auto it = sockets_.find(id);
    return it == sockets_.end() ? nullptr : it->second.lock();
  };
  for (const authority::Effect& effect : effects) {
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, authority::Deliver>) {
            const Frame frame = std::make_shared<const std::string>(protocol::encode(e.message));
            // Looked up one by one: a send may drop a slow reader, which forgets its socket.
            for (const authority::ConnId to : e.to) {
              if (auto connection = socket(to)) connection->send(frame);
            }
          } else if constexpr (std::is_same_v<T, authority::Welcome>) {
            auto connection = socket(e.to);
            if (!connection) return;
            srv::RoomJoined joined = e.joined;
            Claims resume{joined.self.user_id, joined.self.display_name, now_ms() / 1000 + 24 * 3600,
                          joined.room.room_code, std::nullopt, joined.self.peer_id};
            joined.resume_token = mint_token(resume, secret_);
            send(connection, joined);
            connection->send_history(chat_pages(live));
            connection->send_history(board_pages(live));
          } else if constexpr (std::is_same_v<T, authority::Bind>) {
            if (auto connection = socket(e.conn)) {
              connection->room_code = live.record.room_code;
              connection->peer_id = e.peer_id;
            }
          } else if constexpr (std::is_same_v<T, authority::Unbind>) {
            if (auto connection = socket(e.conn)) {
              connection->room_code.clear();
              connection->peer_id.clear();
            }
          } else if constexpr (std::is_same_v<T, authority::SaveMember>) {
            save_member(live, e);
          } else {
            static_assert(std::is_same_v<T, authority::SaveRoom>);
            save_room(live, e.touched);
          }
        },
        effect);
  }
}

// A refused join may still have let go of stale reservations: the effects are carried out either way.
ApiReply RoomHub::reply_rest(LiveRoom& live, const authority::Outcome& outcome, json ok) {
  apply(live, outcome);
  if (outcome.problem) return error(rules_problem(*outcome.problem));
  return {200, std::move(ok)};
}

void RoomHub::reply_ws(const std::shared_ptr<Connection>& connection, LiveRoom& live, const authority::Outcome& outcome,
                       const std::optional<protocol::RequestId>& id, bool ack) {
  const std::span<const authority::Effect> effects = outcome.effects;
  std::size_t welcome = effects.size();
  for (std::size_t i = 0; i < effects.size(); ++i) {
    if (std::holds_alternative<authority::Welcome>(effects[i])) welcome = i + 1;
  }
  apply(live, effects.first(welcome));
  if (outcome.problem) {
    reply_error(connection, outcome.problem->code, outcome.problem->message, id, outcome.problem->retry_after_s);
  } else if (id && ack) {
    send(connection, srv::Ack{*id});
  }
  apply(live, effects.subspan(welcome));
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

json RoomHub::room_json(const LiveRoom& live) const {
  const RoomRecord& r = live.record;
  const authority::RoomFacts& facts = live.rules.facts();
  std::string host_name;
  if (const authority::Member* host = live.rules.member(facts.host_user_id)) host_name = host->display_name;
  if (host_name.empty()) {
    if (auto host = store_.find_participant(r.room_code, facts.host_user_id)) host_name = host->display_name;
    else host_name = store_.user_name(facts.host_user_id).value_or("");
  }
  // With --public-url the link is whole, ready to paste anywhere; without, it is relative to the
  // page asking, which knows its own origin.
  std::string base = config_.public_url;
  if (!base.empty() && base.back() == '/') base.pop_back();
  return {{"room_code", r.room_code},
          {"room_name", r.room_name},
          {"link", base + "/room/" + r.room_code},
          {"host_user_id", facts.host_user_id},
          {"host_name", host_name},
          {"is_public", r.is_public},
          {"is_locked", facts.is_locked},
          {"is_active", facts.is_active},
          {"has_password", facts.has_password},
          {"max_participants", facts.max_participants},
          {"participant_count", static_cast<int>(live.rules.members().size())},
          {"settings", protocol::settings_to_json(facts.settings)},
          {"created_at", r.created_at},
          {"expires_at", r.expires_at}};
}
// The record follows the rules' facts; `touched`: the room was used, so its idle expiry starts over.
void RoomHub::save_room(LiveRoom& live, bool touched) {
  const authority::RoomFacts& facts = live.rules.facts();
  RoomRecord& r = live.record;
  r.host_user_id = facts.host_user_id;
  r.is_locked = facts.is_locked;
  r.is_active = facts.is_active;
  r.closed_reason = facts.closed_reason;
  r.settings_json = protocol::settings_to_json(facts.settings).dump();
  r.current_participants = facts.is_active ? static_cast<int>(live.rules.members().size()) : 0;
  if (touched) {
    r.expires_at = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(config_.room_idle_lifetime).count();
  }
  keep(facts.is_active ? "updating a room" : "closing a room", [&] { store_.update_room(r); });
}
void RoomHub::save_member(const LiveRoom& live, const authority::SaveMember& row) {
  const authority::Member& m = row.member;
  keep("saving a participant", [&] {
    ParticipantRecord p;
    if (auto existing = store_.find_participant(live.record.room_code, m.user_id)) p = *existing;
    p.room_code = live.record.room_code;
    p.user_id = m.user_id;
    p.display_name = m.display_name;
    p.peer_id = m.announced ? m.peer_id : "";  // only a peer the others know of is worth resuming
    if (!row.left_at) p.joined_at = m.joined_at;
    p.left_at = row.left_at;
    p.is_host = row.is_host;
    p.is_cohost = m.is_cohost;
    p.is_muted = !m.audio;
    p.is_kicked = p.is_kicked || row.kicked;
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
    r.settings_json = protocol::settings_to_json(request.settings).dump();
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

ApiReply RoomHub::preview(const Claims& user, const std::string& room_code) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "The room \"" + room_code + "\" doesn't exist or has expired."});
  if (live->rules.phase() == authority::Phase::expired) {
    return error({410, ErrorCode::expired, "The room \"" + room_code + "\" has expired."});
  }
  json body = room_json(*live);
  const authority::JoinRequest request{actor(user), 0, {}, std::nullopt, was_kicked(*live, user.sub), false, false};
  const authority::Outcome verdict = live->rules.admission(request, now_ms());
  body["admission"] = !verdict.problem ? "ok"
                      : verdict.problem->code == ErrorCode::wrong_password ? "password"
                                                                            : std::string(protocol::to_string(verdict.problem->code));
  return {200, std::move(body)};
}
void RoomHub::join(const Claims& user, const std::string& address, const std::string& room_code,
                   std::optional<std::string> password, ApiCallback done) {
  LiveRoom* live = room(room_code);
  if (!live) return done(error({404, ErrorCode::room_not_found, "The room \"" + room_code + "\" doesn't exist or has expired."}));
  authority::JoinRequest request{actor(user), 0, "p" + random_token(9), std::nullopt, was_kicked(*live, user.sub),
                                 password.has_value(), false};
  const auto answer = [this](LiveRoom& in, const authority::Outcome& outcome) {
    ApiReply reply = reply_rest(in, outcome, {});
    return reply.status == 200 ? ApiReply{200, room_json(in)} : reply;
  };
  const authority::Outcome outcome = live->rules.join(request, now_ms());
  if (!outcome.needs_password) return done(answer(*live, outcome));
  apply(*live, outcome);  // stale reservations it let go of
  if (auto problem = take_password_attempt(room_code, address)) return done(error(*problem));
  check_password(*live->record.password_hash, *password, room_code + "|" + address,
                 [this, room_code, request, answer, done](bool ok) mutable {
                   if (!ok) return done(error({403, ErrorCode::wrong_password, "That password is not right."}));
                   try {
                     LiveRoom* now_live = room(room_code);  // every rule again: time has passed
                     request.password_checked = true;
                     request.was_kicked = was_kicked(*now_live, request.actor.user_id);
                     done(answer(*now_live, now_live->rules.join(request, now_ms())));
                   } catch (const StorageError& failure) {
                     done(error(storage_problem(failure, "joining a room")));
                   }
                 });
}ApiReply RoomHub::leave(const Claims& user, const std::string& room_code) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "No such room."});
  return reply_rest(*live, live->rules.leave(user.sub, now_ms()), {{"left", true}});
}
ApiReply RoomHub::remove_room(const Claims& user, const std::string& room_code) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "No such room."});
  return reply_rest(*live, live->rules.delete_room(actor(user), now_ms()), {{"deleted", true}});
}ApiReply RoomHub::host_action(const Claims& user, const std::string& room_code, srv::HostActionKind action,
                              const std::string& target_user_id) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "No such room."});
  const auto power = action == srv::HostActionKind::mute ? authority::Power::mute : authority::Power::kick;
  return reply_rest(*live, live->rules.use_power(actor(user), power, target_user_id, now_ms()), {{"done", true}});
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
    const authority::Member* first = live.rules.member(a);
    const authority::Member* second = live.rules.member(b);
    if (live.rules.facts().is_active && first && first->announced && second && second->announced) return second->display_name;
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
    return error({404, ErrorCode::not_found, "There is no friend request from that person."});
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
  sockets_.emplace(connection->id(), connection);
  connection->ice_issued_ms = now_ms();
  send(connection, srv::Hello{1, connection->ice_issued_ms, ice_servers_for(config_.ice, connection->user_id(), now_ms() / 1000)});
}
void RoomHub::disconnected(const std::shared_ptr<Connection>& connection) {
  --connection_count_;
  for (auto [it, end] = online_.equal_range(connection->user_id()); it != end;) {
    const auto held = it->second.lock();
    it = (!held || held == connection) ? online_.erase(it) : std::next(it);
  }
  sockets_.erase(connection->id());
  // The socket is gone but the member keeps its place for the grace period (room_authority.h).
  if (connection->room_code.empty()) return;
  if (LiveRoom* live = room(connection->room_code)) apply(*live, live->rules.socket_closed(connection->id(), now_ms()));
}
void RoomHub::send(const std::shared_ptr<Connection>& connection, const protocol::ServerMessage& message) {
  connection->send(std::make_shared<const std::string>(protocol::encode(message)));
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
  if (targets.empty()) return reply_error(connection, ErrorCode::user_offline, "That person is not online.", id);
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

// Every message type has its branch: adding one to protocol::ClientMessage fails to compile here
// until it is handled (the room's own messages go to its rules, which list theirs the same way).
void RoomHub::dispatch(const std::shared_ptr<Connection>& connection, const protocol::ClientMessage& message,
                       const std::optional<protocol::RequestId>& id) {
  const auto ack = [&] {
    if (id) send(connection, srv::Ack{*id});
  };
  const auto call_reply = [&](const std::string& call_id, auto reply, bool from_callee, bool accept) {
    const auto it = calls_.find(call_id);
    if (it == calls_.end()) return reply_error(connection, ErrorCode::not_found, "No such call.", id);
    Call& call = it->second;
    if ((from_callee ? call.callee : call.caller) != connection->user_id()) {
      return reply_error(connection, ErrorCode::not_found, "That call is not yours.", id);
    }
    const std::string& other = from_callee ? call.caller : call.callee;
    for (const auto& target : sockets_of(other)) send(target, reply);
    if (accept) call.accepted = true; else calls_.erase(it);
    ack();
  };
  // The room this socket is in, if it is in one as the member on this socket.
  LiveRoom* live = connection->room_code.empty() ? nullptr : room(connection->room_code);
  const authority::Member* self = live ? live->rules.member_on(connection->id()) : nullptr;
  // Signals and cursor moves are relayed, not requests: refused with their id, never acked.
  const bool relayed = std::holds_alternative<cli::SignalOffer>(message) || std::holds_alternative<cli::SignalAnswer>(message) ||
                       std::holds_alternative<cli::SignalIce>(message) || std::holds_alternative<cli::WhiteboardCursor>(message);
  const auto room_message = [&] {
    if (!live) return reply_error(connection, ErrorCode::not_in_room, "Join a room first.", id);
    reply_ws(connection, *live, live->rules.message(connection->id(), actor(connection->claims()), message, now_ms()), id,
             !relayed);
  };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, cli::JoinRoom>) {
          ws_join(connection, m, id);
        } else if constexpr (std::is_same_v<T, cli::Ping>) {
          send(connection, srv::Pong{});
        } else if constexpr (std::is_same_v<T, cli::CallRing>) {
          ring(connection, m, id);
        } else if constexpr (std::is_same_v<T, cli::CallAccept>) {
          call_reply(m.call_id, srv::CallAccepted{m.call_id}, true, true);
        } else if constexpr (std::is_same_v<T, cli::CallReject>) {
          call_reply(m.call_id, srv::CallRejected{m.call_id}, true, false);
        } else if constexpr (std::is_same_v<T, cli::CallCancel>) {
          call_reply(m.call_id, srv::CallCancelled{m.call_id}, false, false);
        } else if constexpr (std::is_same_v<T, cli::ChatSend>) {
          // The rules say whether this member may chat; then it is stored, and only then told.
          const authority::Outcome allowed = live ? live->rules.message(connection->id(), actor(connection->claims()), message, now_ms())
                                                  : authority::Outcome{authority::Problem{ErrorCode::not_in_room, "Join a room first."}};
          if (allowed.problem) return reply_error(connection, allowed.problem->code, allowed.problem->message, id);
          if (auto problem = take_write_bytes(self->user_id, m.text.size())) return reply_problem(connection, *problem, id);
          ChatRecord chat{"m" + random_token(9), live->record.room_code, self->user_id, self->display_name, m.text, now_ms(), m.client_msg_id};
          try {
            store_.insert_chat(chat, config_.chat_messages_per_room);
          } catch (const StorageError& error) {
            return reply_problem(connection, storage_problem(error, "saving a chat message"), id);
          }
          live->chat_pages.reset();
          apply(*live, live->rules.tell_everyone(
                           srv::ChatMessage{chat.id, chat.from_user_id, chat.display_name, chat.text, chat.sent_at, chat.client_msg_id}));
          ack();
        } else if constexpr (std::is_same_v<T, cli::WhiteboardOps>) {
          if (!live || !self) return reply_error(connection, ErrorCode::not_in_room, "Join a room first.", id);
          whiteboard_ops(connection, *live, m.ops, id);
        } else {
          room_message();
        }
      },
      message);
}
void RoomHub::ws_join(const std::shared_ptr<Connection>& connection, const cli::JoinRoom& join,
                      const std::optional<protocol::RequestId>& id) {
  LiveRoom* live = room(join.room_code);
  if (!live) return reply_error(connection, ErrorCode::room_not_found, "The room \"" + join.room_code + "\" doesn't exist or has expired.", id);
  if (!connection->room_code.empty() && connection->room_code != join.room_code) {
    return reply_error(connection, ErrorCode::bad_request, "Leave your current room first.", id);
  }
  // A resume token proves this user was admitted as this peer: no password again, lock or not.
  authority::JoinRequest request{actor(connection->claims()), connection->id(), "p" + random_token(9), std::nullopt,
                                 was_kicked(*live, connection->user_id()), join.password.has_value(), false};
  if (join.resume_token) {
    const auto claims = verify_token(*join.resume_token, secret_, now_ms() / 1000);
    if (claims && claims->sub == connection->user_id() && claims->room == join.room_code) request.resumed_peer = claims->peer;
  }
  const authority::Outcome outcome = live->rules.join(request, now_ms());
  if (!outcome.needs_password) return reply_ws(connection, *live, outcome, id);
  apply(*live, outcome);  // stale reservations it let go of
  if (auto problem = take_password_attempt(join.room_code, connection->address())) return reply_problem(connection, *problem, id);
  std::weak_ptr<Connection> weak = connection;
  check_password(*live->record.password_hash, *join.password, join.room_code + "|" + connection->address(),
                 [this, weak, room_code = join.room_code, request, id](bool ok) mutable {
                   auto still_open = weak.lock();
                   if (!still_open || !still_open->is_open()) return;
                   if (!ok) return reply_error(still_open, ErrorCode::wrong_password, "That password is not right.", id);
                   try {
                     LiveRoom* now_live = room(room_code);  // every rule again: the room may have filled meanwhile
                     request.password_checked = true;
                     request.was_kicked = was_kicked(*now_live, request.actor.user_id);
                     reply_ws(still_open, *now_live, now_live->rules.join(request, now_ms()), id);
                   } catch (const StorageError& failure) {
                     reply_problem(still_open, storage_problem(failure, "joining a room"), id);
                   }
                 });
}

// TURN credentials last --turn-ttl; a socket open for half of that gets fresh ones (ice:servers),
// which its pcs use from their next ICE restart, so a long call never meets an expired credential.
void RoomHub::refresh_ice_credentials(std::int64_t now) {
  if (config_.ice.turn_urls.empty()) return;
  const std::int64_t every = config_.ice_refresh ? config_.ice_refresh->count()
                                                 : std::chrono::duration_cast<std::chrono::milliseconds>(config_.ice.turn_ttl).count() / 2;
  // Copied out first: a send may drop a slow reader, which erases it from online_ inside the call.
  std::vector<std::shared_ptr<Connection>> due;
  for (const auto& [user_id, weak] : online_) {
    auto connection = weak.lock();
    if (connection && connection->is_open() && now - connection->ice_issued_ms >= every) due.push_back(std::move(connection));
  }
  for (const auto& connection : due) {
    connection->ice_issued_ms = now;
    send(connection, srv::IceServers{ice_servers_for(config_.ice, connection->user_id(), now / 1000)});
  }
}

void RoomHub::sweep() {
  const std::int64_t now = now_ms();
  refresh_ice_credentials(now);
  for (auto& [code, live] : rooms_) apply(live, live.rules.tick(now));
  std::vector<std::string> expired_rooms;
  keep("expiring rooms", [&] { expired_rooms = store_.expire_rooms(now); });
  for (const std::string& code : expired_rooms) {
    if (auto it = rooms_.find(code); it != rooms_.end()) {
      apply(it->second, it->second.rules.expire(now));
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
  for (KeyedBuckets* buckets : {&password_attempts_, &guest_sessions_, &friend_requests_, &write_bytes_}) {
    buckets->forget_idle(steady_now);
  }
  board_rules_.forget_idle(now);
  // Inactive rooms with nobody in them need not stay in memory.
  for (auto it = rooms_.begin(); it != rooms_.end();) {
    it = it->second.rules.members().empty() ? rooms_.erase(it) : std::next(it);
  }
}

}  // namespace mehfil::server
