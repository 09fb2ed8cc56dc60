// The rules of rooms (room_hub.h).
#include "room_hub.h"

#include <algorithm>
#include <chrono>

#include <boost/asio/post.hpp>

#include "api_fields.h"
#include "chat_files.h"
#include "log.h"
#include "passwords.h"
#include "protocol/codec.h"
#include "protocol/validation.h"
#include "recordings.h"
#include "reports.h"
#include "room_codes.h"
#include "tokens.h"
#include "wall_clock.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;


// The settings column holds protocol::settings_to_json; a value that does not read (hand-edited)
// leaves the defaults.
protocol::RoomSettings parse_settings(const std::string& text) {
  protocol::RoomSettings s;
  (void)protocol::settings_from_json(json::parse(text, nullptr, false), s);
  return s;
}

}  // namespace

RoomHub::RoomHub(Store& store, const ServerConfig& config, boost::asio::io_context& io,
                 boost::asio::thread_pool& hashing, Recordings& recordings, ChatFiles& files, std::string secret)
    : store_(store),
      config_(config),
      io_(io),
      hashing_(hashing),
      recordings_(recordings),
      files_(files),
      secret_(std::move(secret)),
      password_attempts_(config.password_attempts_per_room_per_address, std::chrono::minutes(10)),
      guest_sessions_(config.guest_sessions_per_address_per_minute, std::chrono::minutes(1)),
      friend_requests_(config.friend_requests_per_hour, std::chrono::hours(1)),
      invites_(config.invites_per_hour, std::chrono::hours(1)),
      write_bytes_(static_cast<double>(config.user_write_bytes_per_minute), std::chrono::minutes(1)),
      board_rules_(authority::BoardLimits{config.board_version_step, config.board_elements_per_room,
                                          config.board_bytes_per_room, config.board_erase_others_per_minute}),
      code_limits_{config.code_bytes_per_room, config.code_updates_per_room, config.code_compact_after} {
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
    if (live->record.meeting_opens_at) live->present.insert(p.user_id);  // the site heard them come in
  }
}

std::int64_t RoomHub::now_ms() const { return wall_clock_ms(); }

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
  facts.call_between = record->call_between;
  facts.call_ringing = calls_.rings_in(room_code);
  if (record->meeting_opens_at && record->meeting_ends_at) {
    facts.meeting = authority::MeetingTimes{*record->meeting_opens_at, *record->meeting_ends_at};
  }
  const authority::Timing timing{config_.resume_grace.count(), config_.reservation.count()};
  LiveRoom& live = rooms_.emplace(room_code, LiveRoom{std::move(*record), authority::RoomAuthority(std::move(facts), timing)})
                       .first->second;
  live.end_told = !live.rules.facts().is_active;  // its end was told when it happened
  return &live;
}

authority::Actor RoomHub::actor(const Claims& claims) {
  return {claims.sub, claims.name, claims.room, claims.role == "host"};
}

RoomHub::Problem RoomHub::rules_problem(const authority::Problem& problem) {
  return Problem{api::http_status(problem.code), problem.code, problem.message, problem.retry_after_s};
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
            connection->send_history(code_pages(live));
            invites_used(joined.self.user_id, live.record.room_code);
          } else if constexpr (std::is_same_v<T, authority::Bind>) {
            if (auto connection = socket(e.conn)) {
              connection->room_code = live.record.room_code;
              connection->peer_id = e.peer_id;
              refresh_presence(connection->user_id());
            }
          } else if constexpr (std::is_same_v<T, authority::Unbind>) {
            if (auto connection = socket(e.conn)) {
              connection->room_code.clear();
              connection->peer_id.clear();
              refresh_presence(connection->user_id());
            }
          } else if constexpr (std::is_same_v<T, authority::SaveMember>) {
            save_member(live, e);
          } else if constexpr (std::is_same_v<T, authority::SendInvites>) {
            send_invites(live, e);
          } else if constexpr (std::is_same_v<T, authority::SaveRecording>) {
            recordings_.saved(live.record.room_code, e.recording);
          } else if constexpr (std::is_same_v<T, authority::SaveReport>) {
            // room_socket.cpp stores a report before anyone is told, and takes it out of the effects.
            keep("saving a report", [&] { store_.insert_report(report_record(store_, live.record.room_code, e, now_ms())); });
          } else {
            static_assert(std::is_same_v<T, authority::SaveRoom>);
            save_room(live, e.touched);
          }
        },
        effect);
  }
  if (meeting_watcher_ && live.record.meeting_opens_at) tell_meeting_watcher(live, effects);
}

// Comings and goings as the store saved them: a member saved in the room who was not present came
// in; one saved with left_at went. A socket coming back is neither.
void RoomHub::tell_meeting_watcher(LiveRoom& live, std::span<const authority::Effect> effects) {
  const std::string& code = live.record.room_code;
  for (const authority::Effect& effect : effects) {
    const auto* saved = std::get_if<authority::SaveMember>(&effect);
    if (!saved || !saved->member.announced) continue;
    const authority::Member& m = saved->member;
    if (saved->left_at && live.present.erase(m.user_id) > 0) {
      meeting_watcher_({RoomEvent::Kind::left, code, m.user_id, m.display_name, {}, *saved->left_at});
    } else if (!saved->left_at && live.present.insert(m.user_id).second) {
      meeting_watcher_({RoomEvent::Kind::joined, code, m.user_id, m.display_name, {}, now_ms()});
    }
  }
  if (!live.rules.facts().is_active && !live.end_told) {
    live.end_told = true;
    meeting_watcher_({RoomEvent::Kind::ended, code, {}, {}, live.rules.facts().closed_reason, now_ms()});
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

void RoomHub::keep(const char* what, const std::function<void()>& write) {
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
          {"topic", r.topic},
          {"is_locked", facts.is_locked},
          {"is_active", facts.is_active},
          {"has_password", facts.has_password},
          {"max_participants", facts.max_participants},
          {"participant_count", static_cast<int>(live.rules.members().size())},
          {"settings", protocol::settings_to_json(facts.settings)},
          {"recording", facts.recording.state},  // a joiner is told before they come in
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
  r.max_participants = facts.max_participants;  // a call's room that grew (room:grow)
  r.call_between = facts.call_between;
  r.current_participants = facts.is_active ? static_cast<int>(live.rules.members().size()) : 0;
  if (touched) {
    r.expires_at = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(config_.room_idle_lifetime).count();
    if (r.meeting_ends_at) r.expires_at = std::max(r.expires_at, *r.meeting_ends_at + 3'600'000);  // not before its end
  }
  keep(facts.is_active ? "updating a room" : "closing a room", [&] { store_.update_room(r); });
  if (!facts.is_active) {
    withdraw_invites(r.room_code);
    keep("removing an ended room's files", [&] { files_.remove_room(r.room_code); });
  }
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
    if (!row.left_at || p.joined_at == 0) p.joined_at = m.joined_at;  // a first write that is the leave: its join too
    p.left_at = row.left_at;
    p.is_host = row.is_host;
    p.is_cohost = m.is_cohost;
    p.is_muted = !m.audio;
    p.is_kicked = p.is_kicked || row.kicked;
    store_.upsert_participant(p);
  });
  if (row.kicked) withdraw_invites(live.record.room_code, m.user_id);  // theirs no longer let anyone in
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
  // Booked meetings past their end that nobody is in (or that no one ever joined) are loaded, so
  // their rules end them below as they would a full room.
  keep("finding meetings to end", [&] {
    for (const std::string& code : store_.meeting_rooms_ending(now)) room(code);
  });
  for (auto& [code, live] : rooms_) apply(live, live.rules.tick(now));
  std::vector<std::string> expired_rooms;
  keep("expiring rooms", [&] { expired_rooms = store_.expire_rooms(now); });
  for (const std::string& code : expired_rooms) {
    if (auto it = rooms_.find(code); it != rooms_.end()) {
      apply(it->second, it->second.rules.expire(now));
      rooms_.erase(it);
    }
    keep("removing an expired room's files", [&] { files_.remove_room(code); });
  }
  files_.sweep();
  carry_out(calls_.tick(now), nullptr, std::nullopt);
  keep("deleting old recordings", [&] { recordings_.sweep(now); });
  const auto steady_now = std::chrono::steady_clock::now();
  for (KeyedBuckets* buckets : {&password_attempts_, &guest_sessions_, &friend_requests_, &invites_, &write_bytes_}) {
    buckets->forget_idle(steady_now);
  }
  board_rules_.forget_idle(now);
  // Rooms with nobody in them, and nobody waiting at their door, need not stay in memory.
  for (auto it = rooms_.begin(); it != rooms_.end();) {
    const bool idle = it->second.rules.members().empty() && it->second.rules.knocking().empty();
    it = idle ? rooms_.erase(it) : std::next(it);
  }
}

}  // namespace mehfil::server
