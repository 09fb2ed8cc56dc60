// Call's transitions (the table is in call.h).
#include "room/call.h"

namespace mehfil::room {

namespace server = protocol::server;
namespace client = protocol::client;

std::string_view to_string(CallState state) {
  switch (state) {
    case CallState::idle: return "idle";
    case CallState::calling: return "calling";
    case CallState::ringing: return "ringing";
    case CallState::connected: return "connected";
    case CallState::ended: return "ended";
  }
  return "?";
}

std::string_view to_string(CallEnd reason) {
  switch (reason) {
    case CallEnd::none: return "none";
    case CallEnd::rejected: return "rejected";
    case CallEnd::cancelled: return "cancelled";
    case CallEnd::busy: return "busy";
    case CallEnd::no_answer: return "no_answer";
    case CallEnd::missed: return "missed";
    case CallEnd::hung_up: return "hung_up";
    case CallEnd::moved_to_room: return "moved_to_room";
    case CallEnd::offline: return "offline";
    case CallEnd::refused: return "refused";
    case CallEnd::elsewhere: return "elsewhere";
  }
  return "?";
}

void Call::to(CallState state, CallEnd reason, Out& out) {
  state_ = state;
  reason_ = reason;
  if (state != CallState::calling && state != CallState::ringing) ring_deadline_.reset();
  out.push_back(CallUpdate{state_, reason_, peer_, video_, call_id_, peer_name_, room_code_, remote_ringing_});
}

void Call::begin(std::string call_id, std::string peer, std::string peer_name, bool video) {
  call_id_ = std::move(call_id);
  peer_ = std::move(peer);
  peer_name_ = std::move(peer_name);
  video_ = video;
  room_code_.clear();
  remote_ringing_ = false;
}

void Call::start_ring_timer(std::int64_t now_ms, Out& out) {
  ring_deadline_ = now_ms + kOwnRingTimerMs;
  out.push_back(ScheduleTimer{"call:ring", *ring_deadline_});
}

void Call::on_server(const protocol::ServerMessage& message, Out& out) {
  const bool free = state_ == CallState::idle || state_ == CallState::ended;
  if (const auto* incoming = std::get_if<server::CallIncoming>(&message)) {
    if (!free) {
      if (incoming->call_id == call_id_) return;
      // Glare: the person we ring rings us at the same moment. Both ends see both rings and settle
      // it alike: the call with the smaller id is the call. The end whose call loses cancels it and
      // answers the other; the end whose call wins waits for that answer.
      if (state_ == CallState::calling && incoming->from_user_id == peer_) {
        if (incoming->call_id > call_id_) return;
        out.push_back(SendMessage{client::CallCancel{call_id_}});
        call_id_ = incoming->call_id;
        room_code_.clear();  // ours ends with our call; theirs comes with call:accepted
        out.push_back(SendMessage{client::CallAccept{call_id_}});
        return to(CallState::connected, CallEnd::none, out);
      }
      out.push_back(SendMessage{client::CallReject{incoming->call_id}});
      return;
    }
    begin(incoming->call_id, incoming->from_user_id, incoming->display_name, incoming->video);
    room_code_ = incoming->room_code.value_or("");  // this tab may wait in the call's room while it rings
    return to(CallState::ringing, CallEnd::none, out);
  }
  auto mine = [&](const std::string& id) { return !free && id == call_id_; };
  if (const auto* ringing = std::get_if<server::CallRinging>(&message)) {
    if (!mine(ringing->call_id) || state_ != CallState::calling) return;
    room_code_ = ringing->room_code;
    remote_ringing_ = true;
    to(CallState::calling, CallEnd::none, out);
  } else if (const auto* moved = std::get_if<server::CallMoved>(&message)) {
    if (mine(moved->call_id) && (state_ == CallState::connected || state_ == CallState::calling)) {
      to(CallState::ended, CallEnd::moved_to_room, out);
    }
  } else if (const auto* accepted = std::get_if<server::CallAccepted>(&message)) {
    if (!mine(accepted->call_id) || (state_ != CallState::calling && state_ != CallState::connected)) return;
    room_code_ = accepted->room_code;
    to(CallState::connected, CallEnd::none, out);
  } else if (const auto* rejected = std::get_if<server::CallRejected>(&message)) {
    if (mine(rejected->call_id) && state_ == CallState::calling) to(CallState::ended, CallEnd::rejected, out);
  } else if (const auto* busy = std::get_if<server::CallBusy>(&message)) {
    if (mine(busy->call_id) && state_ == CallState::calling) to(CallState::ended, CallEnd::busy, out);
  } else if (const auto* cancelled = std::get_if<server::CallCancelled>(&message)) {
    if (!mine(cancelled->call_id)) return;
    if (state_ == CallState::ringing) to(CallState::ended, cancelled->elsewhere ? CallEnd::elsewhere : CallEnd::cancelled, out);
    if (state_ == CallState::connected) to(CallState::ended, CallEnd::hung_up, out);
  } else if (const auto* timeout = std::get_if<server::CallTimeout>(&message)) {
    if (!mine(timeout->call_id)) return;
    if (state_ == CallState::calling) to(CallState::ended, CallEnd::no_answer, out);
    if (state_ == CallState::ringing) to(CallState::ended, CallEnd::missed, out);
  }
}

std::vector<CallCommand> Call::handle(const CallEvent& event, std::int64_t now_ms) {
  Out out;
  const bool free = state_ == CallState::idle || state_ == CallState::ended;
  auto reject = [&](const char* why) { out.push_back(Rejected{std::string(why) + " (call " + std::string(to_string(state_)) + ")"}); };

  if (const auto* place = std::get_if<PlaceCall>(&event)) {
    if (state_ == CallState::ringing && place->to_user_id == peer_) {
      // Ringing someone who is ringing us answers them: one call, not two crossing rings.
      out.push_back(SendMessage{client::CallAccept{call_id_}});
      to(CallState::connected, CallEnd::none, out);
    } else if (!free) {
      reject("already in a call");
    } else if (place->to_user_id.empty() || place->call_id.empty()) {
      reject("a call needs a callee and an id");
    } else {
      begin(place->call_id, place->to_user_id, place->to_display_name, place->video);
      out.push_back(SendMessage{client::CallRing{peer_, call_id_, video_}});
      to(CallState::calling, CallEnd::none, out);
      start_ring_timer(now_ms, out);
    }
  } else if (std::holds_alternative<AcceptCall>(event)) {
    if (state_ != CallState::ringing) {
      reject("nothing to accept");
      return out;
    }
    out.push_back(SendMessage{client::CallAccept{call_id_}});
    to(CallState::connected, CallEnd::none, out);
  } else if (std::holds_alternative<RejectCall>(event)) {
    if (state_ != CallState::ringing) {
      reject("nothing to reject");
      return out;
    }
    out.push_back(SendMessage{client::CallReject{call_id_}});
    to(CallState::ended, CallEnd::rejected, out);
  } else if (std::holds_alternative<CancelCall>(event)) {
    if (state_ != CallState::calling) {
      reject("nothing to cancel");
      return out;
    }
    out.push_back(SendMessage{client::CallCancel{call_id_}});
    to(CallState::ended, CallEnd::cancelled, out);
  } else if (std::holds_alternative<HangUp>(event)) {
    if (state_ != CallState::connected) {
      reject("no call to hang up");
      return out;
    }
    out.push_back(SendMessage{client::CallCancel{call_id_}});
    to(CallState::ended, CallEnd::hung_up, out);
  } else if (const auto* message = std::get_if<CallServerMessage>(&event)) {
    const bool was_ringing = state_ == CallState::ringing;
    on_server(message->message, out);
    if (!was_ringing && state_ == CallState::ringing) start_ring_timer(now_ms, out);
  } else if (const auto* refused = std::get_if<CallRefused>(&event)) {
    if (refused->call_id != call_id_) return out;
    if (state_ == CallState::calling) {
      to(CallState::ended, refused->code == protocol::ErrorCode::user_offline ? CallEnd::offline : CallEnd::refused, out);
    } else if (state_ == CallState::connected) {
      to(CallState::ended, CallEnd::cancelled, out);
    }
  } else if (std::holds_alternative<Tick>(event)) {
    if (ring_deadline_ && now_ms >= *ring_deadline_) {
      if (state_ == CallState::calling) {
        out.push_back(SendMessage{client::CallCancel{call_id_}});
        to(CallState::ended, CallEnd::no_answer, out);
      } else if (state_ == CallState::ringing) {
        to(CallState::ended, CallEnd::missed, out);
      }
    }
  }
  return out;
}

}  // namespace mehfil::room
