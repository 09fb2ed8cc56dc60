// CallRules: the server's rules for 1:1 calls (call:ring and what follows), pure. Who may ring whom,
// who is busy, which of a person's open tabs ring and which stop, when a ring runs out, and what a
// socket closing does to a call. It exists for the same reason as RoomAuthority: the real server
// (server-stub/room_people.cpp) and the simulation run these very rules, and the hub only carries
// out the deliveries.
//
// A call is between two users; the caller rings from one socket, the callee's phone rings on every
// socket they have open, and one of those answers. Each user is in at most one call at a time
// (ringing or connected), with one exception: glare, two people ringing each other at once. Both
// rings go through; the clients settle it (room/call.h: the smaller call id wins), so it ends as one
// call.
//
//   state      event                                  → state       deliveries
//   -          ring, allowed, callee free             → ringing     call:incoming to every callee socket, with
//                                                                   {room_code} to the first of them (it may wait
//                                                                   in the room); call:ringing {room_code} to the
//                                                                   caller
//   -          ring, callee in another call           → -           call:busy to the caller
//   ringing    a callee socket opens                  → ringing     call:incoming to it as well
//   ringing    accept from a rung callee socket       → connected   call:accepted {room_code} to the caller and
//                                                                   that socket; call:cancelled {elsewhere} to
//                                                                   the callee's other sockets; `answered` for
//                                                                   the room (RoomAuthority::call_answered)
//   ringing    reject from a rung callee socket       → -           call:rejected to the caller;
//                                                                   call:cancelled {elsewhere} to the callee's
//                                                                   other sockets
//   ringing    cancel from the caller                 → -           call:cancelled to every rung socket
//   ringing    kRingMs passed (tick)                  → -           call:timeout to the caller and every rung socket
//   ringing    the caller's socket closes             → -           call:cancelled to every rung socket
//   ringing    the last rung socket closes            → -           call:timeout to the caller
//   connected  cancel (hang up) from either end       → -           call:cancelled to the other end
//   connected  either end's socket closes             → -           call:cancelled to the other end
//   any        its room grew (room:grow)              → -           call:moved to the caller and a connected
//                                                                   callee, call:cancelled to rung tabs;
//                                                                   the room is NOT ended
//
// The call's media meets in a room the shell makes when a ring goes through (`started_room`): a
// private room for the two of them (RoomFacts::call_between), and the same PeerLink as any room
// connects them. The caller goes in while it rings. So does the callee's first ringing tab, held
// back (Participant::ringing): its link to the caller connects while it rings, with no media, so
// answering costs a replaceTrack and a key frame instead of a join, a negotiation and ICE. Once
// answered (`answered`) the room lets it go (RoomAuthority::call_answered); an answer from another
// tab lets the waiting tab's place go and that tab joins as usual. Every row above that
// ends a call (→ -) lists its room in `ended_rooms`, and the shell ends that room too.
//
// Every call that ends is in `ended` (EndedCall) for the call history, and so are the rings that
// met a busy or offline callee (the second refusal below still tells the history it happened).
//
// Refusals (a Problem; nothing changes):
//   bad_request   ringing yourself; a call id rung before (ids are remembered kIdMemoryMs);
//                 ringing while already in a call (other than answering a glare)
//   unauthorized  the callee is neither a friend nor in a room with the caller (the shell says which)
//   user_offline  the callee has no socket open
//   not_found     accept, reject or cancel of a call that is not ringing or connected, or not yours
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "authority/room_authority.h"
#include "protocol/messages.h"

namespace mehfil::authority {

inline constexpr std::int64_t kRingMs = 30'000;
inline constexpr std::int64_t kIdMemoryMs = 3'600'000;

// Someone on one of their sockets.
struct Caller {
  std::string user_id;
  std::string display_name;
  ConnId conn = 0;
};

// What the shell knows about the callee when a ring comes: whether the caller may ring them (a
// friend, or someone in a room with the caller) and which sockets they have open now.
struct Callee {
  bool may_ring = false;
  std::vector<ConnId> sockets;
  std::string room_code;  // a fresh room code the call's room will have, if the ring goes through
};

// A call that is over, for the call history: who rang whom, when, whether it was answered, how it
// ended. end: "declined", "no_answer", "busy", "offline", "cancelled" (by the caller, or the
// caller's tab closed, while it rang), "hung_up" (after it was answered).
struct EndedCall {
  std::string call_id;
  std::string caller;
  std::string callee;
  bool video = false;
  std::int64_t rung_at = 0;
  std::optional<std::int64_t> answered_at;
  std::int64_t ended_at = 0;
  std::string end;
};

// A ring was answered: its room stops holding the callee back. `in_waiting_tab`: the tab that waits
// in the room answered (else that tab's place is let go, and the answering tab joins).
struct AnsweredCall {
  std::string room_code;
  bool in_waiting_tab = false;
};

struct CallOutcome {
  std::optional<Problem> problem;
  std::optional<AnsweredCall> answered;
  std::vector<Deliver> deliveries;
  std::optional<std::string> started_room;  // make this call's room (its code came in with the Callee)
  std::vector<std::string> ended_rooms;     // the rooms of the calls that ended: end them too
  std::vector<EndedCall> ended;             // for the history: every call that ended, busy and offline rings too
};

class CallRules {
 public:
  CallOutcome ring(const Caller& caller, const protocol::client::CallRing& ring, const Callee& callee, std::int64_t now);
  CallOutcome accept(const Caller& who, const protocol::client::CallAccept& accept, std::int64_t now);
  CallOutcome reject(const Caller& who, const protocol::client::CallReject& reject, std::int64_t now);
  // Cancelling a ringing call, or hanging up a connected one (there is no other hang-up message).
  CallOutcome cancel(const Caller& who, const protocol::client::CallCancel& cancel, std::int64_t now);
  CallOutcome socket_opened(const Caller& who);
  CallOutcome socket_closed(const Caller& who, std::int64_t now);
  CallOutcome tick(std::int64_t now);
  // The call's room grew into an ordinary room (room:grow): the call is over as a call and its room
  // goes on. Both ends hear call:moved (a callee still ringing hears call:cancelled).
  CallOutcome room_grew(const std::string& room_code, std::int64_t now);

  // Whether a call still rings whose room this is (its callee is held back there).
  bool rings_in(const std::string& room_code) const;
  // "In a call" for presence: ringing or connected, either end.
  bool in_call(const std::string& user_id) const;
  // For tests and the simulation's invariants: this user's connected call; a connected call's two
  // sockets (caller's, callee's); how many calls are held, and how many of them are connected.
  std::optional<std::string> connected_call_of(const std::string& user_id) const;
  std::optional<std::pair<ConnId, ConnId>> connected_ends(const std::string& call_id) const;
  std::size_t calls() const { return calls_.size(); }
  std::size_t connected_calls() const;

 private:
  struct LiveCall {
    std::string caller;
    std::string caller_name;
    ConnId caller_conn = 0;
    std::string callee;
    std::vector<ConnId> rung;  // the callee's sockets that ring (while ringing)
    ConnId callee_conn = 0;    // the one that answered (once connected)
    bool connected = false;
    std::int64_t rung_at = 0;
    bool video = false;
    std::string room_code;
    std::int64_t answered_at = 0;
    ConnId waiting_conn = 0;  // the rung socket told the room to wait in
  };
  using Calls = std::map<std::string, LiveCall>;

  CallOutcome answer(const Caller& who, const std::string& call_id, bool accepted, std::int64_t now);
  Calls::iterator find_for(const std::string& call_id, const Caller& who, CallOutcome& outcome);
  bool involved_other_than_glare(const std::string& user_id, const std::string& other) const;
  Calls::iterator end_call(Calls::iterator it, CallOutcome& outcome, const char* end, std::int64_t now);

  Calls calls_;                                 // call id -> the call, while ringing or connected
  std::map<std::string, std::int64_t> used_;    // call id -> when it was rung
};

}  // namespace mehfil::authority
