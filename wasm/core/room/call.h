// Call: one 1:1 call's ringing, from either end, as a state machine.
//
// The caller rings (call:ring), the callee's phone rings (call:incoming), and it ends one of the ways
// people expect: accepted, rejected, cancelled by the caller, busy (the callee is already in a call:
// a second incoming call is refused at once), or nobody answered within kRingTimeoutMs (both ends
// keep their own timer, kOwnRingTimerMs, so a lost call:timeout still ends the ringing). A connected
// call's room can grow into an ordinary room ("Add people", room:grow on the room's socket); the
// server then says call:moved and the call ends as moved_to_room, with both still in the room.
//
// The protocol has no hang-up message, so hanging up a connected call sends call:cancel with its id.
// The media meets in the call's own room (authority/call_rules.h): the caller learns its code from
// call:ringing and goes in while it rings, the callee from call:accepted; CallUpdate carries it, and
// the app joins that room with the ordinary room machinery (RoomClient, PeerLink). One of the
// callee's ringing tabs learns the room already from call:incoming and waits in it, held back, so
// that answering only has to start the media (authority/call_rules.h).
//
//   state      event                          → state      commands
//   idle|ended PlaceCall                      → calling    SendMessage(call:ring), ScheduleTimer(32 s)
//   idle|ended call:incoming                  → ringing    ScheduleTimer(32 s)
//   calling    call:ringing                   → calling    (the callee's phone rings; the room to wait in)
//   calling    call:accepted                  → connected
//   connected  call:accepted                  → connected  (the answering end learns the call's room)
//   calling    call:rejected                  → ended(rejected)
//   calling    call:busy                      → ended(busy)
//   calling    call:timeout | 32 s (Tick)     → ended(no_answer)   SendMessage(call:cancel) on our own timer
//   calling    CancelCall                     → ended(cancelled)   SendMessage(call:cancel)
//   ringing    AcceptCall                     → connected          SendMessage(call:accept)
//   ringing    PlaceCall to the one ringing us → connected         SendMessage(call:accept) (one call, not two)
//   ringing    RejectCall                     → ended(rejected)    SendMessage(call:reject)
//   ringing    call:cancelled                 → ended(cancelled), or ended(elsewhere) when another tab answered
//   ringing    call:timeout | 32 s (Tick)     → ended(missed)
//   connected  HangUp                         → ended(hung_up)     SendMessage(call:cancel)
//   connected  call:cancelled                 → ended(hung_up)
//   connected  call:moved                     → ended(moved_to_room)  (its room grew: both stay in it)
//   calling X  call:incoming from X, smaller id → connected        SendMessage(call:cancel ours, call:accept theirs) (glare)
//   calling X  call:incoming from X, larger id  → (unchanged)      (glare: X answers ours)
//   not idle   call:incoming (another id)     → (unchanged)        SendMessage(call:reject) (busy)
//   calling    CallRefused(user_offline)      → ended(offline)     (the ring reached nobody)
//   calling    CallRefused(other)             → ended(refused)     (not a friend, already in a call...)
//   connected  CallRefused                    → ended(cancelled)   (our answer came after the call ended)
// Messages naming another call id are ignored; intents that make no sense return Rejected.
// Every transition also returns CallUpdate so the UI can redraw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/messages.h"
#include "room/commands.h"
#include "room/peer_types.h"

namespace mehfil::room {

inline constexpr std::int64_t kRingTimeoutMs = 30'000;
// Our own timer only stands in for a call:timeout that never came, so it waits a little longer than
// the server (authority::kRingMs): a ring that runs out is "no answer" in both people's call
// history, never a cancel that won the race by a few milliseconds.
inline constexpr std::int64_t kOwnRingTimerMs = kRingTimeoutMs + 2'000;

enum class CallState { idle, calling, ringing, connected, ended };
enum class CallEnd { none, rejected, cancelled, busy, no_answer, missed, hung_up, moved_to_room, offline, refused, elsewhere };
std::string_view to_string(CallState state);
std::string_view to_string(CallEnd reason);

// intents
struct PlaceCall {
  std::string to_user_id;
  std::string call_id;  // made by the caller (the core has no randomness of its own)
  bool video = false;
  std::string to_display_name;  // for the screens ("Calling Bilal…"); the callee learns ours from the server
};
struct AcceptCall {};
struct RejectCall {};
struct CancelCall {};
struct HangUp {};
struct CallServerMessage {
  protocol::ServerMessage message;  // call:* (others are ignored)
};
// The server refused a request about call `call_id` (the glue matches the error's ref to the
// request it sent). Only a refused ring or answer of the current call changes anything.
struct CallRefused {
  std::string call_id;
  protocol::ErrorCode code = protocol::ErrorCode::bad_request;
};
using CallEvent = std::variant<PlaceCall, AcceptCall, RejectCall, CancelCall, HangUp, CallServerMessage, CallRefused, Tick>;

struct CallUpdate {
  CallState state = CallState::idle;
  CallEnd reason = CallEnd::none;
  std::string peer_user_id;
  bool video = false;
  std::string call_id;
  std::string peer_display_name;
  std::string room_code;       // the call's room, once the server has named it
  bool remote_ringing = false;  // calling: the callee's phone rings now ("Ringing…", not "Calling…")
};
using CallCommand = std::variant<SendMessage, ScheduleTimer, CallUpdate, Rejected>;

class Call {
 public:
  std::vector<CallCommand> handle(const CallEvent& event, std::int64_t now_ms);

  CallState state() const { return state_; }
  CallEnd end_reason() const { return reason_; }
  const std::string& call_id() const { return call_id_; }
  const std::string& peer_user_id() const { return peer_; }
  bool video() const { return video_; }
  const std::string& room_code() const { return room_code_; }

 private:
  using Out = std::vector<CallCommand>;
  void to(CallState state, CallEnd reason, Out& out);
  void on_server(const protocol::ServerMessage& message, Out& out);
  void start_ring_timer(std::int64_t now_ms, Out& out);
  void begin(std::string call_id, std::string peer, std::string peer_name, bool video);

  CallState state_ = CallState::idle;
  CallEnd reason_ = CallEnd::none;
  std::string call_id_;
  std::string peer_;
  std::string peer_name_;
  std::string room_code_;
  bool remote_ringing_ = false;
  bool video_ = false;
  std::optional<std::int64_t> ring_deadline_;
};

}  // namespace mehfil::room
