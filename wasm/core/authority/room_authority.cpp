// The server's rules for one room (room_authority.h).
#include "authority/room_authority.h"

#include <algorithm>
#include <type_traits>

namespace mehfil::authority {
namespace {

namespace srv = protocol::server;
namespace cli = protocol::client;
using protocol::ErrorCode;

Problem problem(ErrorCode code, std::string message) { return {code, std::move(message)}; }

Problem refusal_problem(const Refusal& refusal) { return {refusal.code, std::string(refusal.message)}; }

}  // namespace

std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::waiting: return "waiting";
    case Phase::active: return "active";
    case Phase::ended: return "ended";
    case Phase::expired: return "expired";
  }
  return "?";
}

RoomAuthority::RoomAuthority(RoomFacts facts, Timing timing) : facts_(std::move(facts)), timing_(timing) {}

void RoomAuthority::restore(Member member, std::int64_t now) {
  if (find(member.user_id)) return;
  member.conn = 0;
  member.detached_at = now;
  member.announced = true;
  members_.push_back(std::move(member));
}

// ---------------------------------------------------------------------------------------------
// looking people up

Member* RoomAuthority::find(const std::string& user_id) {
  const auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.user_id == user_id; });
  return it == members_.end() ? nullptr : &*it;
}

const Member* RoomAuthority::member(const std::string& user_id) const {
  return const_cast<RoomAuthority*>(this)->find(user_id);
}

const Member* RoomAuthority::member_on(ConnId conn) const {
  if (conn == 0) return nullptr;
  const auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.conn == conn; });
  return it == members_.end() ? nullptr : &*it;
}

// A 1:1 call has no host: two people in it are equals, and nobody mutes or removes the other.
Role RoomAuthority::role_of(const std::string& user_id) const {
  if (!facts_.call_between.empty()) return Role{};
  const Member* m = member(user_id);
  return Role{facts_.host_user_id == user_id, m && m->is_cohost};
}

Role RoomAuthority::role_of(const Actor& actor) const {
  Role role = role_of(actor.user_id);
  // A token an embedding site minted with role "host" for this room makes its user a co-host.
  if (actor.token_says_host && actor.token_room == facts_.room_code) role.is_cohost = true;
  return role;
}

protocol::Participant RoomAuthority::participant(const Member& m) const {
  const bool ringing = facts_.call_ringing && facts_.call_between.size() == 2 && m.user_id == facts_.call_between[1];
  return {m.user_id, m.peer_id, m.display_name, role_of(m.user_id).is_host, m.is_cohost, m.audio, m.video, m.screen, ringing,
          m.hand_raised_at};
}

int RoomAuthority::announced_count() const {
  return static_cast<int>(std::count_if(members_.begin(), members_.end(), [](const Member& m) { return m.announced; }));
}

bool RoomAuthority::listed_publicly(bool is_public) const {
  return is_public && facts_.is_active && !facts_.is_locked && hosted() && !facts_.meeting && announced_count() > 0;
}

std::optional<Problem> RoomAuthority::may_share_file(const std::string& user_id) const {
  const Member* m = member(user_id);
  if (!facts_.is_active || !m || !m->announced) return Problem{ErrorCode::not_in_room, "Join the room to share a file in its chat.", std::nullopt};
  if (!facts_.settings.chat) return Problem{ErrorCode::chat_disabled, "The host has turned chat off.", std::nullopt};
  return std::nullopt;
}

std::optional<Problem> RoomAuthority::may_fetch_file(const std::string& user_id) const {
  const Member* m = member(user_id);
  if (!facts_.is_active || !m || !m->announced) return Problem{ErrorCode::not_member, "Files in a room's chat are for the people in the room.", std::nullopt};
  return std::nullopt;
}

Phase RoomAuthority::phase() const {
  if (!facts_.is_active) return facts_.closed_reason == "expired" ? Phase::expired : Phase::ended;
  return announced_count() > 0 ? Phase::active : Phase::waiting;
}

// ---------------------------------------------------------------------------------------------
// effects

void RoomAuthority::broadcast(protocol::ServerMessage message, std::vector<Effect>& out, const std::string& except_user) const {
  Deliver deliver{{}, std::move(message)};
  for (const Member& m : members_) {
    if (m.conn != 0 && m.user_id != except_user) deliver.to.push_back(m.conn);
  }
  if (!deliver.to.empty()) out.push_back(std::move(deliver));
}

void RoomAuthority::save(const Member& m, std::vector<Effect>& out, std::optional<std::int64_t> left_at, bool kicked) const {
  out.push_back(SaveMember{m, facts_.host_user_id == m.user_id, left_at, kicked});
}

Outcome RoomAuthority::tell_everyone(protocol::ServerMessage message, const std::string& except_user) const {
  Outcome outcome;
  broadcast(std::move(message), outcome.effects, except_user);
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// coming in

bool RoomAuthority::stale(const Member& m, std::int64_t now) const {
  return !m.announced && m.conn == 0 && now - m.detached_at >= timing_.reservation_ms;
}

// Why this join may not come in, the password aside. A reservation whose socket never came counts
// as a free place (join gives it up first), so it never keeps anyone out.
std::optional<Problem> RoomAuthority::admission_problem(const JoinRequest& request, std::int64_t now) const {
  if (!facts_.is_active) {
    if (facts_.closed_reason == "expired") return problem(ErrorCode::expired, "This room has expired.");
    return problem(ErrorCode::room_not_found, "This room has ended.");
  }
  if (facts_.meeting && now >= facts_.meeting->ends_at) return problem(ErrorCode::expired, "This meeting is over.");
  if (facts_.meeting && now < facts_.meeting->opens_at) {
    Problem early = problem(ErrorCode::meeting_not_open, "This meeting has not opened yet.");
    early.retry_after_s = static_cast<int>((facts_.meeting->opens_at - now + 999) / 1000);
    return early;
  }
  const Actor& actor = request.actor;
  if (actor.token_room && *actor.token_room != facts_.room_code) {
    return problem(ErrorCode::unauthorized, "This token is for another room.");
  }
  if (request.was_kicked) return problem(ErrorCode::kicked, "The host removed you from this room.");
  if (!facts_.call_between.empty() &&
      std::find(facts_.call_between.begin(), facts_.call_between.end(), actor.user_id) == facts_.call_between.end()) {
    return problem(ErrorCode::not_invited, "This is a call between two other people.");
  }
  const Member* place = member(actor.user_id);
  if (place && !stale(*place, now)) return std::nullopt;  // already has a place
  if (facts_.is_locked && !request.resumed_peer && facts_.host_user_id != actor.user_id) {
    return problem(ErrorCode::room_locked, "The host has locked this room.");
  }
  const int taken = taken_places(now);
  if (taken >= facts_.max_participants) {
    return problem(ErrorCode::room_full, "This room is full (" + std::to_string(taken) + "/" +
                                             std::to_string(facts_.max_participants) + ").");
  }
  return std::nullopt;
}

int RoomAuthority::taken_places(std::int64_t now) const {
  return static_cast<int>(std::count_if(members_.begin(), members_.end(), [&](const Member& m) { return !stale(m, now); }));
}

// Who waits at the door instead of coming in (room_authority.h: the waiting room).
bool RoomAuthority::must_knock(const JoinRequest& request, std::int64_t now) const {
  if (!facts_.settings.waiting_room || !hosted()) return false;
  const Actor& actor = request.actor;
  if (facts_.host_user_id == actor.user_id || request.resumed_peer) return false;
  if (actor.token_says_host && actor.token_room == facts_.room_code) return false;
  if (const Member* place = member(actor.user_id); place && !stale(*place, now)) return false;
  return std::find(admitted_.begin(), admitted_.end(), actor.user_id) == admitted_.end();
}

Outcome RoomAuthority::admission(const JoinRequest& request, std::int64_t now) const {
  Outcome outcome;
  outcome.problem = admission_problem(request, now);
  if (outcome.problem) return outcome;
  // A resume token proves this user was admitted as this peer; a place or being the host does too.
  const Member* place = member(request.actor.user_id);
  const bool admitted_before = request.resumed_peer || (place && !stale(*place, now)) ||
                               facts_.host_user_id == request.actor.user_id || request.invited;
  if (facts_.has_password && !admitted_before && !request.password_checked) {
    if (!request.password_given) outcome.problem = problem(ErrorCode::wrong_password, "This room needs a password.");
    else outcome.needs_password = true;
  }
  if (outcome.problem || outcome.needs_password || !must_knock(request, now)) return outcome;
  // The waiting room, once every other rule has let them through.
  const std::string& user_id = request.actor.user_id;
  for (const auto& [closed_to, until] : door_closed_) {
    if (closed_to == user_id && now < until) {
      outcome.problem = problem(ErrorCode::rate_limited, "Wait a moment before knocking again.");
      outcome.problem->retry_after_s = static_cast<int>((until - now + 999) / 1000);
      return outcome;
    }
  }
  const bool waiting = std::any_of(knocking_.begin(), knocking_.end(), [&](const Knock& k) { return k.user_id == user_id; });
  if (!waiting && knocking_.size() >= kMaxKnocking) {
    outcome.problem = problem(ErrorCode::waiting_room_full, "Too many people are waiting to come in: try again later.");
    return outcome;
  }
  outcome.knocks = true;
  return outcome;
}

Outcome RoomAuthority::join(const JoinRequest& request, std::int64_t now) {
  now_ = now;
  Outcome outcome;
  if (facts_.is_active) {
    std::vector<std::string> stale_ids;
    for (const Member& m : members_) {
      if (stale(m, now)) stale_ids.push_back(m.user_id);
    }
    for (const std::string& user_id : stale_ids) remove(user_id, false, outcome.effects);
  }
  Outcome verdict = admission(request, now);
  if (verdict.problem || verdict.needs_password || verdict.knocks) {
    verdict.effects = std::move(outcome.effects);
    if (verdict.knocks && request.conn != 0) knock(request, verdict.effects);
    return verdict;
  }
  const Actor& actor = request.actor;
  Member* m = find(actor.user_id);
  if (!m) {
    Member fresh;
    fresh.user_id = actor.user_id;
    fresh.peer_id = request.resumed_peer.value_or(request.fresh_peer_id);
    fresh.display_name = actor.display_name;
    fresh.joined_at = now;
    fresh.detached_at = now;
    members_.push_back(std::move(fresh));
    m = &members_.back();
    if (request.conn == 0) save(*m, outcome.effects);
  }
  // A site's host token for this room is a co-host here, shown as one (its page then answers the door).
  if (hosted() && actor.token_says_host && actor.token_room == facts_.room_code && !role_of(m->user_id).is_host) m->is_cohost = true;
  // Come in another way (a second tab with a resume token): no longer at the door.
  if (const auto at = std::find_if(knocking_.begin(), knocking_.end(), [&](const Knock& k) { return k.user_id == m->user_id; });
      at != knocking_.end()) {
    if (at->conn != request.conn) {
      outcome.effects.push_back(Deliver{{at->conn}, srv::RoomClosed{facts_.room_code, "joined_elsewhere"}});
      outcome.effects.push_back(Unbind{at->conn});
    }
    drop_knock(static_cast<std::size_t>(at - knocking_.begin()), outcome.effects);
  }
  if (request.conn != 0) welcome(request.conn, *m, outcome.effects);
  outcome.effects.push_back(SaveRoom{});
  return outcome;
}

// The member is on this socket now: they get the room, the others hear of them (the first time),
// and they hear whether the host is away.
void RoomAuthority::welcome(ConnId conn, Member& m, std::vector<Effect>& out) {
  const bool host_returns = m.conn == 0 && m.announced && m.user_id == facts_.host_user_id;
  if (m.conn != 0 && m.conn != conn) {
    // The same user from another tab, or a socket that has not noticed its drop: the newest wins.
    out.push_back(Unbind{m.conn});
    out.push_back(Deliver{{m.conn}, srv::RoomClosed{facts_.room_code, "joined_elsewhere"}});
  }
  m.conn = conn;
  const bool first_arrival = !m.announced;
  m.announced = true;
  out.push_back(Bind{conn, m.peer_id});
  save(m, out);

  srv::RoomJoined joined;
  joined.self = {m.user_id, m.peer_id, m.display_name, role_of(m.user_id).is_host, m.hand_raised_at};
  joined.room = {facts_.room_code, facts_.room_name, facts_.host_user_id, facts_.max_participants, facts_.is_locked,
                 facts_.settings, !facts_.call_between.empty()};
  for (const Member& other : members_) {
    if (other.announced && other.user_id != m.user_id) joined.participants.push_back(participant(other));
  }
  // "Record automatically": the host's arrival starts it, recorded in the host's browser.
  // Their arrival only: a host whose socket came back (or who stopped it by hand) is not recorded again.
  const bool starts_recording = facts_.settings.record_automatically && first_arrival && facts_.recording.state == "off" &&
                                hosted() && role_of(m.user_id).is_host;
  if (starts_recording) facts_.recording = {facts_.room_code + "-" + std::to_string(now_), "recording", m.user_id, now_};
  if (facts_.recording.state != "off") joined.recording = recording_state();
  out.push_back(Welcome{conn, std::move(joined)});
  // The room's code: the last run's output, and the run going on now, as the others saw them.
  if (runs_.last()) out.push_back(Deliver{{conn}, *runs_.last()});
  if (auto going = runs_.running(now_)) out.push_back(Deliver{{conn}, std::move(*going)});
  if (facts_.meeting && facts_.meeting->warned) {
    out.push_back(Deliver{{conn}, srv::RoomEnding{facts_.room_code, facts_.meeting->ends_at, "meeting_over"}});
  }
  if (starts_recording) {
    broadcast(recording_state(), out, m.user_id);
    out.push_back(SaveRecording{facts_.recording});
  }
  if (first_arrival) broadcast(srv::ParticipantJoined{facts_.room_code, participant(m), announced_count()}, out, m.user_id);
  if (!hosted()) return;  // a 1:1 call: nobody is host, nobody is told of one
  tell_knocks(out, /*only_if_any=*/true);  // a host or co-host arriving finds who waits
  if (host_returns) {
    broadcast(srv::HostChanged{facts_.room_code, m.user_id, m.user_id}, out, m.user_id);
  } else if (const Member* host = member(facts_.host_user_id); host && host->announced && host->conn == 0) {
    out.push_back(Deliver{{conn}, srv::HostAway{facts_.room_code, host->user_id}});
  }
}

// ---------------------------------------------------------------------------------------------
// going out

void RoomAuthority::remove(const std::string& user_id, bool kicked, std::vector<Effect>& out) {
  const auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.user_id == user_id; });
  if (it == members_.end()) return;
  const Member gone = *it;
  members_.erase(it);
  save(gone, out, now_, kicked);
  if (gone.conn != 0) out.push_back(Unbind{gone.conn});
  if (gone.announced) broadcast(srv::ParticipantLeft{facts_.room_code, gone.user_id, gone.peer_id, announced_count()}, out);
  // The host left: a co-host takes over, else whoever has been here longest; never someone who only
  // reserved a place over REST and has not come in (nobody has seen them, and they may never come).
  // A host who never came in hands over nothing: when the maker's own reservation runs out (or is
  // given up) before their socket comes, the room waits for them as it did before they reserved.
  const auto present = std::find_if(members_.begin(), members_.end(), [](const Member& m) { return m.announced; });
  if (hosted() && facts_.host_user_id == gone.user_id && gone.announced && present != members_.end()) {
    auto next = std::find_if(members_.begin(), members_.end(), [](const Member& m) { return m.is_cohost && m.announced; });
    if (next == members_.end()) next = present;
    facts_.host_user_id = next->user_id;
    save(*next, out);
    broadcast(srv::HostChanged{facts_.room_code, next->user_id, gone.user_id}, out);
    tell_knocks(out, /*only_if_any=*/true);  // the queue goes to the new host
  }
  recorder_gone(gone.user_id, true, out);
  if (auto abandoned = runs_.runner_gone(gone.peer_id)) broadcast(std::move(*abandoned), out);
  out.push_back(SaveRoom{});
}

srv::RecordingState RoomAuthority::recording_state() const {
  const Recording& r = facts_.recording;
  return {facts_.room_code, r.id, r.state, r.recorder_user_id, r.started_at, r.height};
}

void RoomAuthority::recorder_gone(const std::string& user_id, bool stop_if_nobody, std::vector<Effect>& out) {
  Recording& r = facts_.recording;
  if (r.state == "off" || r.recorder_user_id != user_id) return;
  const Member* next = nullptr;
  for (const Member& m : members_) {
    const Role role = role_of(m.user_id);
    if (m.user_id == user_id || m.conn == 0 || !(role.is_host || role.is_cohost)) continue;
    if (!next || role.is_host) next = &m;
  }
  if (next) {
    r.recorder_user_id = next->user_id;
  } else if (stop_if_nobody) {
    r.state = "off";
  } else {
    return;
  }
  broadcast(recording_state(), out);
  out.push_back(SaveRecording{r});
}

void RoomAuthority::end(const std::string& reason, std::vector<Effect>& out) {
  broadcast(srv::RoomClosed{facts_.room_code, reason}, out);
  for (const Knock& k : knocking_) {  // those at the door hear it too
    out.push_back(Deliver{{k.conn}, srv::RoomClosed{facts_.room_code, reason}});
    out.push_back(Unbind{k.conn});
  }
  knocking_.clear();
  for (const Member& m : members_) {
    if (m.conn != 0) out.push_back(Unbind{m.conn});
    save(m, out, now_);
  }
  members_.clear();
  if (facts_.recording.state != "off") {  // the recording ends with the room
    facts_.recording.state = "off";
    out.push_back(SaveRecording{facts_.recording});
  }
  facts_.is_active = false;
  facts_.closed_reason = reason;
  out.push_back(SaveRoom{false});
}

Outcome RoomAuthority::call_answered(bool in_waiting_tab, std::int64_t now) {
  now_ = now;
  Outcome outcome;
  if (!facts_.call_ringing) return outcome;
  facts_.call_ringing = false;
  const Member* callee = facts_.call_between.size() == 2 ? member(facts_.call_between[1]) : nullptr;
  if (!callee) return outcome;
  if (!in_waiting_tab) {
    if (callee->conn != 0) outcome.effects.push_back(Deliver{{callee->conn}, srv::RoomClosed{facts_.room_code, "joined_elsewhere"}});
    remove(callee->user_id, false, outcome.effects);  // the tab that answered joins afresh
  } else if (callee->announced) {
    broadcast(srv::ParticipantUpdated{facts_.room_code, participant(*callee)}, outcome.effects);
  }
  return outcome;
}

Outcome RoomAuthority::call_ended(std::int64_t now) {
  now_ = now;
  Outcome outcome;
  if (!facts_.call_between.empty() && facts_.is_active) end("call_ended", outcome.effects);
  return outcome;
}

Outcome RoomAuthority::leave(const std::string& user_id, std::int64_t now) {
  now_ = now;
  Outcome outcome;
  if (!member(user_id)) {
    outcome.problem = problem(ErrorCode::not_in_room, "You are not in this room.");
    return outcome;
  }
  remove(user_id, false, outcome.effects);
  return outcome;
}

Outcome RoomAuthority::socket_closed(ConnId conn, std::int64_t now) {
  now_ = now;
  Outcome outcome;
  for (std::size_t i = 0; i < knocking_.size(); ++i) {
    if (knocking_[i].conn == conn) {  // a knocker closed the tab: gone from the queue
      drop_knock(i, outcome.effects);
      return outcome;
    }
  }
  Member* m = const_cast<Member*>(member_on(conn));
  if (!m) return outcome;
  m->conn = 0;
  m->detached_at = now;
  if (hosted() && m->user_id == facts_.host_user_id && m->announced) {
    broadcast(srv::HostAway{facts_.room_code, m->user_id}, outcome.effects);
  }
  recorder_gone(m->user_id, false, outcome.effects);
  return outcome;
}

Outcome RoomAuthority::tick(std::int64_t now) {
  now_ = now;
  Outcome outcome;
  std::vector<std::string> expired;
  for (const Member& m : members_) {
    const std::int64_t grace = m.announced ? timing_.resume_grace_ms : timing_.reservation_ms;
    if (m.conn == 0 && now - m.detached_at >= grace) expired.push_back(m.user_id);
  }
  for (const std::string& user_id : expired) remove(user_id, false, outcome.effects);
  if (facts_.meeting && facts_.is_active) {
    MeetingTimes& meeting = *facts_.meeting;
    if (now >= meeting.ends_at) {
      end("meeting_over", outcome.effects);
    } else if (!meeting.warned && now >= meeting.ends_at - kMeetingWarningMs) {
      meeting.warned = true;
      broadcast(srv::RoomEnding{facts_.room_code, meeting.ends_at, "meeting_over"}, outcome.effects);
    }
  }
  return outcome;
}

Outcome RoomAuthority::expire(std::int64_t now) {
  now_ = now;
  Outcome outcome;
  if (facts_.is_active) end("expired", outcome.effects);
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// powers

std::optional<Problem> RoomAuthority::power_problem(const Actor& actor, Power power, const std::string& target_user_id) const {
  // First whether the role holds the power at all, then whether there is such a target, then on whom.
  if (const auto refusal = check_power(role_of(actor), power)) return refusal_problem(*refusal);
  if (!acts_on_someone(power)) return std::nullopt;
  if (!member(target_user_id)) return problem(ErrorCode::not_in_room, "That person is not in this room.");
  if (const auto refusal = check_power(role_of(actor), power, role_of(target_user_id), target_user_id == actor.user_id)) {
    return refusal_problem(*refusal);
  }
  return std::nullopt;
}

void RoomAuthority::apply_power(const Actor& actor, Power power, const std::string& target_user_id, std::vector<Effect>& out) {
  Member* target = acts_on_someone(power) ? find(target_user_id) : nullptr;
  switch (power) {
    case Power::mute:
      return mute_member(*target, actor, out);
    case Power::kick:
      if (target->conn != 0) out.push_back(Deliver{{target->conn}, srv::HostAction{srv::HostActionKind::kick, target_user_id, actor.user_id}});
      return remove(target_user_id, true, out);
    case Power::make_cohost:
      target->is_cohost = true;
      save(*target, out);
      broadcast(srv::ParticipantUpdated{facts_.room_code, participant(*target)}, out);
      return tell_knocks(out, /*only_if_any=*/true);
    case Power::transfer_host: {
      const std::string previous = facts_.host_user_id;
      facts_.host_user_id = target->user_id;
      out.push_back(SaveRoom{});
      save(*target, out);
      if (const Member* before = member(previous)) save(*before, out);
      broadcast(srv::HostChanged{facts_.room_code, target->user_id, previous}, out);
      return tell_knocks(out, /*only_if_any=*/true);
    }
    case Power::lock:
    case Power::change_settings:
      out.push_back(SaveRoom{});
      return broadcast(srv::SettingsChanged{facts_.room_code, facts_.is_locked, facts_.settings}, out);
    case Power::end_room:
      return end("ended_by_host", out);
    case Power::clear_board:
      return;  // the board's shell clears it; nothing to change here
    case Power::mute_all:
      // Everyone the mute power reaches, but the one who asks, and only microphones that are on.
      for (Member& m : members_) {
        const bool reached = !check_power(role_of(actor), Power::mute, role_of(m.user_id), false);
        if (m.user_id != actor.user_id && m.announced && m.audio && reached) mute_member(m, actor, out);
      }
      return;
    case Power::lower_hand:
      return set_hand(*target, false, out);
    case Power::admit:
      return;  // admit() and room:deny carry it out
  }
}

Outcome RoomAuthority::use_power(const Actor& actor, Power power, const std::string& target_user_id, std::int64_t now) {
  now_ = now;
  Outcome outcome;
  if (!facts_.is_active) {
    outcome.problem = problem(ErrorCode::room_not_found, "No such room.");
  } else if (auto refused = power_problem(actor, power, target_user_id)) {
    outcome.problem = std::move(refused);
  } else {
    apply_power(actor, power, target_user_id, outcome.effects);
  }
  return outcome;
}

Outcome RoomAuthority::delete_room(const Actor& actor, std::int64_t now) {
  now_ = now;
  Outcome outcome;
  if (const auto refusal = check_power(role_of(actor), Power::end_room)) {
    outcome.problem = refusal_problem(*refusal);
  } else if (facts_.is_active) {
    end("deleted", outcome.effects);
  }
  return outcome;
}

void RoomAuthority::set_hand(Member& m, bool raised, std::vector<Effect>& out) {
  if (raised == m.hand_raised_at.has_value()) return;  // up already, or down already: nothing to tell
  if (raised) last_hand_at_ = std::max(now_, last_hand_at_ + 1);  // two hands in one millisecond still have an order
  m.hand_raised_at = raised ? std::optional<std::int64_t>(last_hand_at_) : std::nullopt;
  broadcast(srv::ParticipantUpdated{facts_.room_code, participant(m)}, out);
}

void RoomAuthority::mute_member(Member& m, const Actor& by, std::vector<Effect>& out) {
  if (m.conn != 0) out.push_back(Deliver{{m.conn}, srv::HostAction{srv::HostActionKind::mute, m.user_id, by.user_id}});
  m.audio = false;
  save(m, out);
  broadcast(srv::ParticipantUpdated{facts_.room_code, participant(m)}, out);
}

// "Become Host": anyone in the room may take it over while the host is away, so a dropped host does
// not leave the room without powers for the whole grace period.
void RoomAuthority::claim_host(Member& self, Outcome& outcome) {
  if (!hosted()) {
    outcome.problem = problem(ErrorCode::not_host, "A call has no host.");
    return;
  }
  const std::string previous = facts_.host_user_id;
  if (previous == self.user_id) return;
  const Member* host = member(previous);
  if (!host || !host->announced) {
    outcome.problem = problem(ErrorCode::not_host, "The host has not arrived yet.");
    return;
  }
  if (host->conn != 0) {
    outcome.problem = problem(ErrorCode::not_host, "The host is here.");
    return;
  }
  facts_.host_user_id = self.user_id;
  self.is_cohost = false;
  outcome.effects.push_back(SaveRoom{});
  save(self, outcome.effects);
  broadcast(srv::HostChanged{facts_.room_code, self.user_id, previous}, outcome.effects);
  tell_knocks(outcome.effects, /*only_if_any=*/true);
}

// ---------------------------------------------------------------------------------------------
// the waiting room

std::vector<ConnId> RoomAuthority::managers() const {
  std::vector<ConnId> conns;
  for (const Member& m : members_) {
    const Role role = role_of(m.user_id);
    if (m.conn != 0 && (role.is_host || role.is_cohost)) conns.push_back(m.conn);
  }
  return conns;
}

void RoomAuthority::tell_knocks(std::vector<Effect>& out, bool only_if_any) const {
  if (only_if_any && knocking_.empty()) return;
  srv::Knock knock{facts_.room_code, {}};
  for (const Knock& k : knocking_) knock.waiting.push_back({k.user_id, k.display_name, k.knocked_at});
  if (auto to = managers(); !to.empty()) out.push_back(Deliver{std::move(to), std::move(knock)});
}

void RoomAuthority::knock(const JoinRequest& request, std::vector<Effect>& out) {
  const Actor& actor = request.actor;
  auto it = std::find_if(knocking_.begin(), knocking_.end(), [&](const Knock& k) { return k.user_id == actor.user_id; });
  if (it == knocking_.end()) {
    knocking_.push_back({actor.user_id, actor.display_name, request.fresh_peer_id, request.conn, now_});
  } else if (it->conn != request.conn) {  // the same person from another tab: the newest waits, in the same place
    out.push_back(Deliver{{it->conn}, srv::RoomClosed{facts_.room_code, "joined_elsewhere"}});
    out.push_back(Unbind{it->conn});
    it->conn = request.conn;
  } else {  // knocking again on the same socket: the hosts know already
    out.push_back(Deliver{{request.conn}, srv::Waiting{facts_.room_code, facts_.room_name}});
    return;
  }
  out.push_back(Bind{request.conn, {}});
  out.push_back(Deliver{{request.conn}, srv::Waiting{facts_.room_code, facts_.room_name}});
  tell_knocks(out);
}

void RoomAuthority::close_door_to(const std::string& user_id, std::int64_t until) {
  std::erase_if(door_closed_, [&](const auto& entry) { return entry.first == user_id || entry.second <= now_; });
  door_closed_.emplace_back(user_id, until);
}

void RoomAuthority::drop_knock(std::size_t index, std::vector<Effect>& out) {
  knocking_.erase(knocking_.begin() + static_cast<std::ptrdiff_t>(index));
  tell_knocks(out);
}

std::optional<Problem> RoomAuthority::admit(const std::optional<std::string>& user_id, std::vector<Effect>& out) {
  const auto named = [&](const Knock& k) { return !user_id || k.user_id == *user_id; };
  if (user_id && std::none_of(knocking_.begin(), knocking_.end(), named)) {
    return problem(ErrorCode::not_found, "That person is not waiting to come in.");
  }
  bool any = false;
  bool full = false;
  for (std::size_t i = 0; i < knocking_.size();) {
    if (!named(knocking_[i])) {
      ++i;
      continue;
    }
    if (taken_places(now_) >= facts_.max_participants) {
      full = true;
      break;
    }
    const Knock in = knocking_[i];
    knocking_.erase(knocking_.begin() + static_cast<std::ptrdiff_t>(i));
    if (member(in.user_id)) continue;  // came in another way meanwhile
    if (admitted_.size() >= kMaxAdmitted) admitted_.erase(admitted_.begin());
    admitted_.push_back(in.user_id);
    Member fresh;
    fresh.user_id = in.user_id;
    fresh.peer_id = in.peer_id;
    fresh.display_name = in.display_name;
    fresh.joined_at = now_;
    fresh.detached_at = now_;
    members_.push_back(std::move(fresh));
    welcome(in.conn, members_.back(), out);
    any = true;
  }
  if (full && !any) {
    return problem(ErrorCode::room_full, "This room is full (" + std::to_string(facts_.max_participants) + "/" +
                                             std::to_string(facts_.max_participants) + "): nobody else can come in.");
  }
  if (any) {
    out.push_back(SaveRoom{});
    tell_knocks(out);
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// messages from members

Outcome RoomAuthority::message(ConnId conn, const Actor& actor, const protocol::ClientMessage& message, std::int64_t now) {
  now_ = now;
  Outcome outcome;
  Member* self = const_cast<Member*>(member_on(conn));
  if (!self || self->user_id != actor.user_id) {
    // A knocker may only go away from the door.
    const auto at = std::find_if(knocking_.begin(), knocking_.end(), [&](const Knock& k) { return k.conn == conn; });
    if (at != knocking_.end() && std::holds_alternative<cli::LeaveRoom>(message)) {
      outcome.effects.push_back(Unbind{conn});
      close_door_to(at->user_id, now + kKnockAfterLeavingMs);  // leaving and knocking in a loop rings no bell
      drop_knock(static_cast<std::size_t>(at - knocking_.begin()), outcome.effects);
      return outcome;
    }
    outcome.problem = problem(ErrorCode::not_in_room, "Join a room first.");
    return outcome;
  }
  auto& out = outcome.effects;
  const auto refuse = [&](ErrorCode code, std::string text) { outcome.problem = problem(code, std::move(text)); };
  const auto power = [&](Power p, const std::string& target = {}) {
    if (auto refused = power_problem(actor, p, target)) return void(outcome.problem = std::move(refused));
    apply_power(actor, p, target, out);
  };
  // Signaling goes to one peer of this room, named by its peer id, and nowhere else.
  const auto relay = [&](const std::string& to, protocol::ServerMessage relayed) {
    for (const Member& other : members_) {
      if (other.peer_id == to && other.conn != 0) return out.push_back(Deliver{{other.conn}, std::move(relayed)});
    }
    refuse(ErrorCode::not_in_room, "No such peer in this room.");
  };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, cli::LeaveRoom>) {
          remove(self->user_id, false, out);
        } else if constexpr (std::is_same_v<T, cli::SignalOffer>) {
          relay(m.to, srv::SignalOffer{self->peer_id, m.sdp, m.offer_id});
        } else if constexpr (std::is_same_v<T, cli::SignalAnswer>) {
          relay(m.to, srv::SignalAnswer{self->peer_id, m.sdp, m.offer_id});
        } else if constexpr (std::is_same_v<T, cli::SignalIce>) {
          relay(m.to, srv::SignalIce{self->peer_id, m.candidate});
        } else if constexpr (std::is_same_v<T, cli::MediaState>) {
          // A share already going may go on after the switch is turned off; a new one may not start.
          const bool starts_share = m.screen && !self->screen;
          if (const auto refusal = check_screen_share(role_of(actor), facts_.settings.screenshare); refusal && starts_share) {
            return void(outcome.problem = refusal_problem(*refusal));
          }
          self->audio = m.audio;
          self->video = m.video;
          self->screen = m.screen;
          broadcast(srv::ParticipantUpdated{facts_.room_code, participant(*self)}, out);
        } else if constexpr (std::is_same_v<T, cli::ChatSend>) {
          // Allowed: the shell stores it, then tells everyone (tell_everyone).
          if (!facts_.settings.chat) refuse(ErrorCode::chat_disabled, "The host has turned chat off.");
        } else if constexpr (std::is_same_v<T, cli::WhiteboardOps>) {
          // A member may draw; the shell checks the ops against the board and its quotas.
        } else if constexpr (std::is_same_v<T, cli::WhiteboardCursor>) {  // transient: relayed, never stored
          broadcast(srv::WhiteboardCursor{self->peer_id, m.x, m.y, m.laser}, out, self->user_id);
        } else if constexpr (std::is_same_v<T, cli::CodeUpdate>) {
          // A member may edit the code; the shell checks the room's quota (code_rules.h), stores, tells.
        } else if constexpr (std::is_same_v<T, cli::CodeCursor>) {  // transient: relayed, never stored
          broadcast(srv::CodeCursor{self->peer_id, m.state}, out, self->user_id);
        } else if constexpr (std::is_same_v<T, cli::CodeRun>) {
          auto started = runs_.start({self->user_id, self->peer_id, self->display_name, role_of(actor)},
                                     facts_.settings.code_run_hosts_only, m, now);
          if (auto* refused = std::get_if<Problem>(&started)) return void(outcome.problem = std::move(*refused));
          broadcast(std::get<srv::CodeRunning>(std::move(started)), out);
        } else if constexpr (std::is_same_v<T, cli::CodeOutput>) {
          auto ended = runs_.finish(self->peer_id, m);
          if (auto* refused = std::get_if<Problem>(&ended)) return void(outcome.problem = std::move(*refused));
          broadcast(std::get<srv::CodeOutput>(std::move(ended)), out);
        } else if constexpr (std::is_same_v<T, cli::ClaimHost>) {
          claim_host(*self, outcome);
        } else if constexpr (std::is_same_v<T, cli::HostMute>) {
          power(Power::mute, m.target_user_id);
        } else if constexpr (std::is_same_v<T, cli::HostKick>) {
          power(Power::kick, m.target_user_id);
        } else if constexpr (std::is_same_v<T, cli::MakeCohost>) {
          power(Power::make_cohost, m.target_user_id);
        } else if constexpr (std::is_same_v<T, cli::HostTransfer>) {
          power(Power::transfer_host, m.target_user_id);
        } else if constexpr (std::is_same_v<T, cli::LockRoom>) {
          if (auto refused = power_problem(actor, Power::lock, {})) return void(outcome.problem = std::move(refused));
          facts_.is_locked = m.locked;
          apply_power(actor, Power::lock, {}, out);
        } else if constexpr (std::is_same_v<T, cli::ChangeSettings>) {
          if (auto refused = power_problem(actor, Power::change_settings, {})) return void(outcome.problem = std::move(refused));
          const bool door_opens = facts_.settings.waiting_room && !m.settings.waiting_room;
          facts_.settings = m.settings;
          apply_power(actor, Power::change_settings, {}, out);
          if (door_opens && !facts_.is_locked) admit(std::nullopt, out);  // the door is open: everyone who fits comes in
        } else if constexpr (std::is_same_v<T, cli::EndRoom>) {
          power(Power::end_room);
        } else if constexpr (std::is_same_v<T, cli::StartRecording> || std::is_same_v<T, cli::PauseRecording> ||
                             std::is_same_v<T, cli::ResumeRecording> || std::is_same_v<T, cli::StopRecording>) {
          if (const auto refusal = check_recording(role_of(actor))) return void(outcome.problem = refusal_problem(*refusal));
          Recording& r = facts_.recording;
          if constexpr (std::is_same_v<T, cli::StartRecording>) {
            if (r.state != "off") return refuse(ErrorCode::bad_request, "The room is being recorded already.");
            const int height = m.height.value_or(720);
            if (height != 720 && height != 1080) return refuse(ErrorCode::bad_request, "A recording is 720 or 1080 lines high.");
            r = {facts_.room_code + "-" + std::to_string(now), "recording", self->user_id, now, height};
          } else if constexpr (std::is_same_v<T, cli::PauseRecording>) {
            if (r.state != "recording") return refuse(ErrorCode::bad_request, "Nothing is being recorded.");
            r.state = "paused";
          } else if constexpr (std::is_same_v<T, cli::ResumeRecording>) {
            if (r.state != "paused") return refuse(ErrorCode::bad_request, "The recording is not paused.");
            r.state = "recording";
          } else {
            if (r.state == "off") return refuse(ErrorCode::bad_request, "Nothing is being recorded.");
            r.state = "off";
          }
          broadcast(recording_state(), out);
          out.push_back(SaveRecording{r});
        } else if constexpr (std::is_same_v<T, cli::RaiseHand>) {
          if (m.target_user_id && *m.target_user_id != self->user_id) {
            if (m.raised) return refuse(ErrorCode::bad_request, "You can raise only your own hand.");
            return power(Power::lower_hand, *m.target_user_id);
          }
          if (m.raised == self->hand_raised_at.has_value()) return;  // as it is already: nothing to count or tell
          if (auto limited = self->hand_changes.take(now, kHandChangesPerWindow, kHandWindowMs, "hand changes")) {
            return void(outcome.problem = std::move(limited));
          }
          set_hand(*self, m.raised, out);
        } else if constexpr (std::is_same_v<T, cli::SendReaction>) {
          if (auto limited = self->reactions.take(now, kReactionsPerWindow, kReactionWindowMs, "reactions")) {
            return void(outcome.problem = std::move(limited));
          }
          broadcast(srv::Reaction{facts_.room_code, self->user_id, self->peer_id, m.emoji}, out);
        } else if constexpr (std::is_same_v<T, cli::Report>) {
          const Member* target = member(m.target_user_id);
          if (!target || !target->announced || target->user_id == self->user_id) {
            return void(outcome.problem = Problem{ErrorCode::not_reportable, "Only someone else who is in the room can be reported.", std::nullopt});
          }
          if (report_windows_.size() >= 1000 && !report_windows_.count(self->user_id)) report_windows_.clear();  // bounded
          if (auto limited = report_windows_[self->user_id].take(now, kReportsPerWindow, kReportWindowMs, "reports")) {
            return void(outcome.problem = std::move(limited));
          }
          out.push_back(SaveReport{self->user_id, self->display_name, target->user_id, target->display_name, m.reason,
                                   m.note.value_or(""), m.message_id});
          std::vector<ConnId> hosts;
          for (const ConnId manager : managers()) {
            if (manager != target->conn) hosts.push_back(manager);
          }
          if (!hosts.empty()) {
            out.push_back(Deliver{std::move(hosts), srv::Reported{facts_.room_code, target->user_id, target->display_name, m.reason}});
          }
          out.push_back(Deliver{{self->conn}, srv::ReportTaken{facts_.room_code, target->user_id}});
        } else if constexpr (std::is_same_v<T, cli::MuteAll>) {
          power(Power::mute_all);
        } else if constexpr (std::is_same_v<T, cli::Admit>) {
          if (auto refused = power_problem(actor, Power::admit, {})) return void(outcome.problem = std::move(refused));
          outcome.problem = admit(m.target_user_id, out);
        } else if constexpr (std::is_same_v<T, cli::Deny>) {
          if (auto refused = power_problem(actor, Power::admit, {})) return void(outcome.problem = std::move(refused));
          const auto at = std::find_if(knocking_.begin(), knocking_.end(), [&](const Knock& k) { return k.user_id == m.target_user_id; });
          if (at == knocking_.end()) return refuse(ErrorCode::not_found, "That person is not waiting to come in.");
          out.push_back(Deliver{{at->conn}, srv::ErrorReply{ErrorCode::knock_denied, "The host did not let you in.", std::nullopt}});
          out.push_back(Unbind{at->conn});
          const std::string denied = at->user_id;
          drop_knock(static_cast<std::size_t>(at - knocking_.begin()), out);
          close_door_to(denied, now + kKnockAgainMs);
        } else if constexpr (std::is_same_v<T, cli::GrowRoom>) {
          // "Add people": either of the two opens the call's room up; they host it from now on.
          if (hosted()) return refuse(ErrorCode::bad_request, "This room is open to more people already.");
          facts_.call_between.clear();
          facts_.max_participants = kGrownRoomSize;
          facts_.host_user_id = self->user_id;
          broadcast(srv::RoomGrown{facts_.room_code, self->user_id, facts_.max_participants}, out);
          out.push_back(SaveRoom{});
        } else {
          // room:join, ping, invites and the call:* messages: the shell answers them (room:invite
          // through invite(), which needs to know who the sender's friends are).
          static_assert(std::is_same_v<T, cli::JoinRoom> || std::is_same_v<T, cli::Ping> || std::is_same_v<T, cli::CallRing> ||
                        std::is_same_v<T, cli::CallAccept> || std::is_same_v<T, cli::CallReject> ||
                        std::is_same_v<T, cli::CallCancel> || std::is_same_v<T, cli::InviteFriends> ||
                        std::is_same_v<T, cli::DismissInvite>);
          refuse(ErrorCode::unknown_type, "This server does not handle that message.");
        }
      },
      message);
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// invites

Outcome RoomAuthority::invite(ConnId conn, const Actor& actor, const cli::InviteFriends& invite,
                              const InviteFacts& facts, std::int64_t now) {
  now_ = now;
  Outcome outcome;
  const Member* self = member_on(conn);
  if (!self || self->user_id != actor.user_id) {
    outcome.problem = problem(ErrorCode::not_in_room, "Join a room first.");
    return outcome;
  }
  const auto refuse = [&](ErrorCode code, std::string text) {
    outcome.problem = problem(code, std::move(text));
    return outcome;
  };
  if (!hosted()) return refuse(ErrorCode::bad_request, "A 1:1 call takes nobody else: use Add people first.");
  if (facts_.is_locked) return refuse(ErrorCode::room_locked, "The host has locked this room.");
  if (invite.friends.empty()) return refuse(ErrorCode::bad_request, "Choose at least one friend to invite.");
  SendInvites send{self->user_id, self->display_name, {}};
  for (const cli::Invitee& invitee : invite.friends) {
    if (invitee.user_id == self->user_id) return refuse(ErrorCode::bad_request, "You are here already.");
    const auto named = [&](const std::vector<std::string>& list) {
      return std::find(list.begin(), list.end(), invitee.user_id) != list.end();
    };
    if (!named(facts.friends)) return refuse(ErrorCode::not_friends, "You can invite your friends only.");
    if (named(facts.kicked)) return refuse(ErrorCode::kicked, "The host removed someone you chose from this room.");
    const Member* here = member(invitee.user_id);
    const bool listed = std::find(send.to_user_ids.begin(), send.to_user_ids.end(), invitee.user_id) != send.to_user_ids.end();
    if ((here && here->announced) || listed) continue;
    send.to_user_ids.push_back(invitee.user_id);
  }
  if (send.to_user_ids.empty()) return refuse(ErrorCode::bad_request, "Everyone you chose is here already.");
  if (taken_places(now) >= facts_.max_participants) return refuse(ErrorCode::room_full, "This room is full: nobody else can come in.");
  srv::InvitesSent told;
  for (const std::string& user_id : send.to_user_ids) told.friends.push_back({user_id});
  outcome.effects.push_back(std::move(send));
  outcome.effects.push_back(Deliver{{conn}, std::move(told)});
  return outcome;
}

}  // namespace mehfil::authority
