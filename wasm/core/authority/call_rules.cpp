// The 1:1 call rules (the table is in call_rules.h).
#include "authority/call_rules.h"

#include <algorithm>

namespace mehfil::authority {
namespace {

using protocol::ErrorCode;
namespace srv = protocol::server;

CallOutcome refused(ErrorCode code, std::string message) { return {Problem{code, std::move(message)}, {}}; }

void tell(CallOutcome& outcome, std::vector<ConnId> to, protocol::ServerMessage message) {
  std::erase(to, ConnId{0});
  if (!to.empty()) outcome.deliveries.push_back(Deliver{std::move(to), std::move(message)});
}

}  // namespace

bool CallRules::involved_other_than_glare(const std::string& user_id, const std::string& other) const {
  return std::any_of(calls_.begin(), calls_.end(), [&](const auto& entry) {
    const LiveCall& call = entry.second;
    const bool mine = call.caller == user_id || call.callee == user_id;
    // A ring between the very two people (either way) is glare, which the clients settle.
    const bool between_them = (call.caller == other && call.callee == user_id) || (call.caller == user_id && call.callee == other);
    const bool glare = !call.connected && between_them;
    return mine && !glare;
  });
}

CallRules::Calls::iterator CallRules::end_call(Calls::iterator it, CallOutcome& outcome, const char* end, std::int64_t now) {
  const LiveCall& call = it->second;
  if (!call.room_code.empty()) outcome.ended_rooms.push_back(call.room_code);
  outcome.ended.push_back(EndedCall{it->first, call.caller, call.callee, call.video, call.rung_at,
                                    call.connected ? std::optional(call.answered_at) : std::nullopt, now,
                                    call.connected ? "hung_up" : end});
  return calls_.erase(it);
}

CallOutcome CallRules::ring(const Caller& caller, const protocol::client::CallRing& ring, const Callee& callee,
                            std::int64_t now) {
  if (ring.to_user_id == caller.user_id) return refused(ErrorCode::bad_request, "You cannot ring yourself.");
  if (used_.count(ring.call_id)) return refused(ErrorCode::bad_request, "call:ring.call_id has been used before: make a new one.");
  if (!callee.may_ring) return refused(ErrorCode::unauthorized, "You can ring your friends and people in a room with you.");
  if (callee.sockets.empty()) {
    if (!involved_other_than_glare(caller.user_id, ring.to_user_id)) {  // a ring that was tried: for the history
      used_.emplace(ring.call_id, now);
      CallOutcome outcome = refused(ErrorCode::user_offline, "That person is not online.");
      outcome.ended.push_back(EndedCall{ring.call_id, caller.user_id, ring.to_user_id, ring.video, now, std::nullopt, now, "offline"});
      return outcome;
    }
    return refused(ErrorCode::user_offline, "That person is not online.");
  }
  const bool ringing_them_already = std::any_of(calls_.begin(), calls_.end(), [&](const auto& entry) {
    return entry.second.caller == caller.user_id && entry.second.callee == ring.to_user_id;
  });
  if (ringing_them_already || involved_other_than_glare(caller.user_id, ring.to_user_id)) {
    return refused(ErrorCode::bad_request, "You are already in a call: hang up first.");
  }
  used_.emplace(ring.call_id, now);
  CallOutcome outcome;
  if (involved_other_than_glare(ring.to_user_id, caller.user_id)) {
    tell(outcome, {caller.conn}, srv::CallBusy{ring.call_id});
    outcome.ended.push_back(EndedCall{ring.call_id, caller.user_id, ring.to_user_id, ring.video, now, std::nullopt, now, "busy"});
    return outcome;
  }
  calls_[ring.call_id] = LiveCall{caller.user_id, caller.display_name, caller.conn, ring.to_user_id, callee.sockets,
                                  0, false, now, ring.video, callee.room_code};
  // One tab waits in the call's room while it rings, the first: two waiting tabs of one user would
  // push each other out of the room (the newest socket wins a member's place).
  LiveCall& call = calls_[ring.call_id];
  call.waiting_conn = callee.sockets.front();
  tell(outcome, {call.waiting_conn}, srv::CallIncoming{ring.call_id, caller.user_id, caller.display_name, ring.video, callee.room_code});
  tell(outcome, std::vector<ConnId>(callee.sockets.begin() + 1, callee.sockets.end()),
       srv::CallIncoming{ring.call_id, caller.user_id, caller.display_name, ring.video});
  tell(outcome, {caller.conn}, srv::CallRinging{ring.call_id, callee.room_code});
  outcome.started_room = callee.room_code;
  return outcome;
}

CallRules::Calls::iterator CallRules::find_for(const std::string& call_id, const Caller& who, CallOutcome& outcome) {
  const auto it = calls_.find(call_id);
  const auto ends_with = [&](const LiveCall& call) {
    if (call.connected) return who.conn == call.caller_conn || who.conn == call.callee_conn;
    return who.conn == call.caller_conn || std::find(call.rung.begin(), call.rung.end(), who.conn) != call.rung.end();
  };
  if (it == calls_.end() || (it->second.caller != who.user_id && it->second.callee != who.user_id) || !ends_with(it->second)) {
    outcome.problem = Problem{ErrorCode::not_found, "No such call (it may have ended)."};
    return calls_.end();
  }
  return it;
}

// The callee's tab answers: the caller hears which way, and the callee's other tabs stop ringing.
CallOutcome CallRules::answer(const Caller& who, const std::string& call_id, bool accepted, std::int64_t now) {
  CallOutcome outcome;
  const auto it = find_for(call_id, who, outcome);
  if (it == calls_.end()) return outcome;
  LiveCall& call = it->second;
  if (call.connected || who.user_id != call.callee) return refused(ErrorCode::not_found, "That call is not ringing for you.");
  std::erase(call.rung, who.conn);
  if (accepted) {
    tell(outcome, {call.caller_conn, who.conn}, srv::CallAccepted{call_id, call.room_code});
  } else {
    tell(outcome, {call.caller_conn}, srv::CallRejected{call_id});
  }
  tell(outcome, std::move(call.rung), srv::CallCancelled{call_id, true});
  call.rung.clear();
  if (!accepted) {
    end_call(it, outcome, "declined", now);
    return outcome;
  }
  call.connected = true;
  call.callee_conn = who.conn;
  call.answered_at = now;
  outcome.answered = AnsweredCall{call.room_code, who.conn == call.waiting_conn};
  return outcome;
}

bool CallRules::rings_in(const std::string& room_code) const {
  return std::any_of(calls_.begin(), calls_.end(),
                     [&](const auto& entry) { return !entry.second.connected && entry.second.room_code == room_code; });
}

CallOutcome CallRules::accept(const Caller& who, const protocol::client::CallAccept& accept, std::int64_t now) {
  return answer(who, accept.call_id, true, now);
}

CallOutcome CallRules::reject(const Caller& who, const protocol::client::CallReject& reject, std::int64_t now) {
  return answer(who, reject.call_id, false, now);
}

CallOutcome CallRules::cancel(const Caller& who, const protocol::client::CallCancel& cancel, std::int64_t now) {
  CallOutcome outcome;
  const auto it = find_for(cancel.call_id, who, outcome);
  if (it == calls_.end()) return outcome;
  LiveCall& call = it->second;
  if (call.connected) {
    tell(outcome, {who.conn == call.caller_conn ? call.callee_conn : call.caller_conn}, srv::CallCancelled{cancel.call_id});
  } else if (who.conn == call.caller_conn) {
    tell(outcome, std::move(call.rung), srv::CallCancelled{cancel.call_id});
  } else {
    return refused(ErrorCode::not_found, "Only the caller can cancel a ringing call; decline it instead.");
  }
  end_call(it, outcome, "cancelled", now);
  return outcome;
}

CallOutcome CallRules::socket_opened(const Caller& who) {
  CallOutcome outcome;
  for (auto& [id, call] : calls_) {
    if (call.connected || call.callee != who.user_id) continue;
    call.rung.push_back(who.conn);
    tell(outcome, {who.conn}, srv::CallIncoming{id, call.caller, call.caller_name, call.video});
  }
  return outcome;
}

CallOutcome CallRules::socket_closed(const Caller& who, std::int64_t now) {
  CallOutcome outcome;
  for (auto it = calls_.begin(); it != calls_.end();) {
    LiveCall& call = it->second;
    const char* ends = nullptr;
    if (call.connected && (who.conn == call.caller_conn || who.conn == call.callee_conn)) {
      tell(outcome, {who.conn == call.caller_conn ? call.callee_conn : call.caller_conn}, srv::CallCancelled{it->first});
      ends = "hung_up";
    } else if (!call.connected && who.conn == call.caller_conn) {
      tell(outcome, call.rung, srv::CallCancelled{it->first});
      ends = "cancelled";
    } else if (!call.connected && std::erase(call.rung, who.conn) && call.rung.empty()) {
      tell(outcome, {call.caller_conn}, srv::CallTimeout{it->first});  // nobody is left to answer
      ends = "no_answer";
    }
    it = ends ? end_call(it, outcome, ends, now) : std::next(it);
  }
  return outcome;
}

CallOutcome CallRules::tick(std::int64_t now) {
  CallOutcome outcome;
  for (auto it = calls_.begin(); it != calls_.end();) {
    LiveCall& call = it->second;
    if (call.connected || now - call.rung_at < kRingMs) {
      ++it;
      continue;
    }
    std::vector<ConnId> to = call.rung;
    to.push_back(call.caller_conn);
    tell(outcome, std::move(to), srv::CallTimeout{it->first});
    it = end_call(it, outcome, "no_answer", now);
  }
  std::erase_if(used_, [&](const auto& entry) { return now - entry.second > kIdMemoryMs; });
  return outcome;
}

CallOutcome CallRules::room_grew(const std::string& room_code, std::int64_t now) {
  CallOutcome outcome;
  const auto it = std::find_if(calls_.begin(), calls_.end(), [&](const auto& entry) { return entry.second.room_code == room_code; });
  if (it == calls_.end()) return outcome;
  LiveCall& call = it->second;
  tell(outcome, {call.caller_conn, call.connected ? call.callee_conn : 0}, srv::CallMoved{it->first, room_code});
  if (!call.connected) tell(outcome, call.rung, srv::CallCancelled{it->first});
  call.room_code.clear();  // the room goes on: end_call must not end it
  end_call(it, outcome, "cancelled", now);
  return outcome;
}

bool CallRules::in_call(const std::string& user_id) const {
  return std::any_of(calls_.begin(), calls_.end(),
                     [&](const auto& entry) { return entry.second.caller == user_id || entry.second.callee == user_id; });
}

std::optional<std::string> CallRules::connected_call_of(const std::string& user_id) const {
  for (const auto& [id, call] : calls_) {
    if (call.connected && (call.caller == user_id || call.callee == user_id)) return id;
  }
  return std::nullopt;
}

std::optional<std::pair<ConnId, ConnId>> CallRules::connected_ends(const std::string& call_id) const {
  const auto it = calls_.find(call_id);
  if (it == calls_.end() || !it->second.connected) return std::nullopt;
  return std::pair{it->second.caller_conn, it->second.callee_conn};
}

std::size_t CallRules::connected_calls() const {
  return static_cast<std::size_t>(std::count_if(calls_.begin(), calls_.end(), [](const auto& entry) { return entry.second.connected; }));
}

}  // namespace mehfil::authority
