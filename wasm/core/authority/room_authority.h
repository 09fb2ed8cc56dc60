// RoomAuthority: the server's rules for one room, pure. Who may come in (closed, kicked, locked,
// full, password), who is in and on which socket, who is host when the host leaves or drops, who
// may use which power (permissions.h), where a signal may go, and when a dropped member's place
// runs out. It exists so that the real server and the simulation run the same rules: RoomHub
// (server-stub/room_hub.cpp) and the simulation's server (tests/sim/sim_server.cpp) are shells that
// own the sockets, the store, the clock and the randomness, and carry out what this class returns.
//
// Events in, effects out. Every method takes what happened (a join, a socket closing, a message
// from a member, the time) and returns an Outcome: a Problem (the request is refused, nothing
// changed) or a list of effects, in the order the shell must carry them out:
//   Deliver      a server message to some sockets (ConnId is the shell's name for a socket)
//   Welcome      room:joined to a socket that just joined; the shell adds the resume token (it holds
//                the signing key) and the room's history, then its ack
//   Bind/Unbind  a socket is now this member's / is in no room any more
//   SaveMember   a member's row changed (left_at set when they left; kicked when removed)
//   SaveRoom     the room's facts or head count changed (`touched`: it was used, so it lives on)
//   SendInvites  invite these friends (room:invite): the shell stores each invite and tells every
//                socket of theirs (invite:received)
//
// The room's life (DESIGN's server-side state machine), as phase():
//   waiting (nobody here) <-> active (someone here) -> ended (by the host, or deleted)
//                                                   -> expired (idle too long; the store decides)
// A member whose socket drops keeps its place for `resume_grace_ms`: a client that resumes with its
// token is the same peer, and the others' media never stops. A REST join reserves a place for
// `reservation_ms` until its socket comes; nobody is told of a reservation. When the host leaves,
// the first co-host in join order takes over, else whoever has been here longest (never a mere
// reservation). While the host's socket is away anyone here may claim the room (room:claim-host),
// but not before the host has first arrived: a room waits for the one who made it. That holds when
// the host's own REST reservation runs out before their socket comes too: the place is let go, the
// role is not (only a host who came in and then left or dropped past the grace is succeeded).
// A 1:1 call's room (`call_between`) lets in its two people only (`not_invited` for anyone else),
// has no host (both are equals: no host powers, nobody shown as host), and ends when the call does
// (`call_ended`). Either of them may open it up (room:grow, "Add people"): it becomes an ordinary
// room of kGrownRoomSize with them inside, hosted by the one who opened it, and the call is over as
// a call (call_rules.h: room_grew) while the room goes on.
//
// Recording (recording:start, :pause, :resume, :stop) is the host's and co-hosts' (check_recording):
//   off --start--> recording --pause--> paused --resume--> recording;  recording|paused --stop--> off
// Each change is room:recording to everyone, and a joiner finds it in room:joined. With the room
// setting record_automatically, the host's arrival (while nothing is recorded) starts a recording,
// recorded by the host. The one who
// starts it records; when their socket goes, another host or co-host who is here takes it over, and
// when their place goes with nobody to take over, the recording stops. Another of the same (start
// while recording, pause while paused...) is bad_request.
//
// The waiting room (settings.waiting_room): a joiner who passed every other check (closed, kicked,
// lock, full, password: those come first) knocks instead of coming in, unless they are the host, a
// site's host token for this room, someone with a place here already (a reload, a resume), or
// someone let in before. A knocker is on a socket but no member: they hear room:waiting, and every
// host and co-host here hears room:knock with the whole queue whenever it changes (and on arriving,
// or on becoming one, while someone waits: the host leaving hands the queue to the next; a site's
// host token makes its member a co-host, so its page answers the door too). Power::admit
// lets one in (room:admit {target_user_id}) or everyone who fits (room:admit without one), each
// welcomed like any joiner; room:deny turns one away with the error knock_denied, and they may not
// knock again for kKnockAgainMs (rate_limited). A knocker whose socket closes, or who leaves, is gone
// from the queue; one who leaves may knock again after kKnockAfterLeavingMs, so leaving and knocking
// in a loop cannot ring the hosts' bell (a closed socket may knock again at once: that is a
// reconnect); knocking again on the same socket tells nobody. A room's end tells
// the door room:closed; turning the waiting room off lets everyone who fits in unless the room is
// locked (the rest stay for the hosts to answer). Someone who comes in another way (a second tab
// with a resume token) leaves the queue. At most kMaxKnocking wait (waiting_room_full). A REST join
// that would knock reserves nothing (Outcome::knocks): knocking is on a socket.
//
// Hands and reactions (gestures.h): a member raises and lowers their own hand (room:raise-hand),
// and the host and co-hosts lower anyone's (Power::lower_hand); each change is
// room:participant-updated to everyone, hand_raised_at giving the order hands went up. A reaction
// (room:reaction) goes to everyone, the sender too, and is kept nowhere. "Mute all"
// (room:mute-all, Power::mute_all) mutes everyone whose microphone is on but the one who asks and
// the host: each hears room:host-action mute, everyone room:participant-updated.
//
// Reports (room:report): any member may report another member who is here now (not_reportable for
// anyone else, or oneself), kReportsPerWindow at most (gestures.h); the shell stores it (SaveReport)
// and the hosts and co-hosts here, but the one reported, hear room:reported without the reporter's
// name.
//
// Invites (room:invite, "Invite from Friends List"): anyone in an open room may invite their
// friends (the shell says which of the named people are), while the room is not locked and has a
// free place; people already here are left out, and people the host removed may not be invited. An invited friend comes in without the password
// (JoinRequest::invited: the shell holds the invite until they join or dismiss it); a lock, a kick
// and a full room still keep them out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "authority/code_runs.h"
#include "authority/gestures.h"
#include "authority/permissions.h"
#include "authority/problem.h"
#include "protocol/messages.h"

namespace mehfil::authority {

using ConnId = std::uint64_t;  // 0 is "no socket"

// How long places are kept; the server's --resume-grace-ms and --reservation-ms default to these.
inline constexpr int kGrownRoomSize = 10;  // a 1:1 call's room after "Add people"
inline constexpr std::size_t kMaxKnocking = 50;         // people waiting at one room's door
inline constexpr std::int64_t kKnockAgainMs = 30'000;   // after a deny, before the same person knocks again
inline constexpr std::int64_t kKnockAfterLeavingMs = 5'000;  // after leaving the door
inline constexpr std::size_t kMaxAdmitted = 1000;       // people remembered as let in (the oldest are forgotten)

struct Timing {
  std::int64_t resume_grace_ms = 30'000;
  std::int64_t reservation_ms = 15'000;
};

// What the store keeps about a room and these rules read or change.
// The room's recording (room:recording): which one, whether it runs, and whose browser records it.
// Kept with the live room; a server restart ends it (what was uploaded stays).
struct Recording {
  std::string id;               // "<room code>-<ms it started>"
  std::string state = "off";    // "recording", "paused", "off"
  std::string recorder_user_id;
  std::int64_t started_at = 0;
  int height = 720;             // 720 (1280×720) or 1080 (1920×1080), for every segment
};

// A meeting a booking site made (POST /api/meetings): its room lets nobody in before `opens_at`
// (meeting_not_open, with retry_after) or from `ends_at` on (expired), tells everyone kMeetingWarningMs before `ends_at` that it is
// ending (room:ending), and ends at `ends_at` ("meeting_over"). The times are ms since the epoch; the
// server works them out from the booking (start minus early-join minutes, end plus grace).
inline constexpr std::int64_t kMeetingWarningMs = 5 * 60 * 1000;
struct MeetingTimes {
  std::int64_t opens_at = 0;
  std::int64_t ends_at = 0;
  bool warned = false;  // room:ending was sent
};

struct RoomFacts {
  std::string room_code;
  std::string room_name;
  std::string host_user_id;
  int max_participants = 10;
  bool has_password = false;
  bool is_locked = false;
  bool is_active = true;
  std::string closed_reason;  // when not active: "expired", "ended_by_host", "deleted", "call_ended"
  protocol::RoomSettings settings;
  // A 1:1 call's room (call_rules.h): only these two people may come in, and the call ending ends
  // the room. Empty for every other room.
  std::vector<std::string> call_between;
  // ... and while the callee's phone rings (call_rules.h): the callee (call_between[1]) may wait in
  // the room, shown to the caller as Participant::ringing, until call_answered.
  bool call_ringing = false;
  Recording recording;
  std::optional<MeetingTimes> meeting;  // a booked meeting's window; none for other rooms
};

struct Member {
  std::string user_id;
  std::string peer_id;
  std::string display_name;
  bool is_cohost = false;
  bool audio = false;
  bool video = false;
  bool screen = false;
  std::int64_t joined_at = 0;
  ConnId conn = 0;               // 0 while reserved (REST join) or dropped
  std::int64_t detached_at = 0;  // when the socket went (or the reservation was made)
  bool announced = false;        // the others were told (room:participant-joined)
  // Raised hands and reactions (gestures.h): live only, never saved.
  std::optional<std::int64_t> hand_raised_at;
  UseWindow reactions;
  UseWindow hand_changes;
};

// Who is asking: a user as their token names them.
struct Actor {
  std::string user_id;
  std::string display_name;
  std::optional<std::string> token_room;  // a token an embedding site limited to one room
  bool token_says_host = false;           // ... and minted with role "host": a co-host there
};


struct Deliver {
  std::vector<ConnId> to;
  protocol::ServerMessage message;
};
struct Welcome {
  ConnId to = 0;
  protocol::server::RoomJoined joined;  // resume_token left empty for the shell
};
struct Bind {
  ConnId conn = 0;
  std::string peer_id;
};
struct Unbind {
  ConnId conn = 0;
};
struct SaveMember {
  Member member;
  bool is_host = false;
  std::optional<std::int64_t> left_at;
  bool kicked = false;
};
struct SaveRoom {
  bool touched = true;
};
struct SendInvites {
  std::string from_user_id;
  std::string from_display_name;
  std::vector<std::string> to_user_ids;
};
// The recording changed (started, paused, resumed, handed over, stopped): the shell keeps its row
// (authority/recording_rules.h says what happens to its bytes).
struct SaveRecording {
  Recording recording;
};
// A report of a member by another (room:report): the shell stores it with the room's last chat
// lines for the operator (mehfil-server reports, GET /api/admin/reports).
struct SaveReport {
  std::string reporter_user_id;
  std::string reporter_name;
  std::string target_user_id;
  std::string target_name;
  std::string reason;
  std::string note;
  std::optional<std::string> message_id;
};
using Effect = std::variant<Deliver, Welcome, Bind, Unbind, SaveMember, SaveRoom, SendInvites, SaveRecording, SaveReport>;

struct Outcome {
  std::optional<Problem> problem;
  std::vector<Effect> effects;
  bool needs_password = false;  // join: admitted once the shell has checked the password
  bool knocks = false;          // join: this person waits for a host to let them in (the waiting room)
};

// Someone at the door of a room with the waiting room on: on a socket, not a member yet.
struct Knock {
  std::string user_id;
  std::string display_name;
  std::string peer_id;  // theirs once let in
  ConnId conn = 0;
  std::int64_t knocked_at = 0;
};

// What the store knows about the people a room:invite names.
struct InviteFacts {
  std::vector<std::string> friends;  // those who are the sender's friends
  std::vector<std::string> kicked;   // those the host removed from this room
};

// A join, by REST (conn 0: reserve a place) or by a socket.
struct JoinRequest {
  Actor actor;
  ConnId conn = 0;
  std::string fresh_peer_id;                // the shell's random id, used if the member is new
  std::optional<std::string> resumed_peer;  // a valid resume token's peer: admitted before
  bool was_kicked = false;                  // the store remembers a kick from this room
  bool password_given = false;
  bool password_checked = false;            // the shell verified the given password
  bool invited = false;                     // the shell holds an invite of this user to this room
};

enum class Phase { waiting, active, ended, expired };
std::string_view to_string(Phase phase);

class RoomAuthority {
 public:
  explicit RoomAuthority(RoomFacts facts, Timing timing = {});
  // A member the store says was in when the server stopped: they keep their place for the grace
  // from `now`, exactly like a dropped socket, so the first to come back still sees the others.
  void restore(Member member, std::int64_t now);

  // Admission, then a place: a reservation (REST) or the member on this socket, welcomed.
  Outcome join(const JoinRequest& request, std::int64_t now);
  // What this join would meet now, changing nothing: a problem, `needs_password`, or neither. The
  // room page asks it (through GET /api/rooms/CODE) before it opens the camera, so a stranger sees
  // "full" at once while someone who already has a place (a reload) goes straight back in.
  Outcome admission(const JoinRequest& request, std::int64_t now) const;
  // Leaving on purpose (room:leave, REST leave).
  Outcome leave(const std::string& user_id, std::int64_t now);
  // The socket is gone; the member keeps their place for the grace.
  Outcome socket_closed(ConnId conn, std::int64_t now);
  // A room message from the socket `conn` of `actor` (not join, ping or calls).
  Outcome message(ConnId conn, const Actor& actor, const protocol::ClientMessage& message, std::int64_t now);
  // room:invite from the socket `conn` of `actor`, with what the shell's store knows of the people named.
  Outcome invite(ConnId conn, const Actor& actor, const protocol::client::InviteFriends& invite, const InviteFacts& facts,
                 std::int64_t now);
  // A host power used over REST (mute, kick) or deleting the room (end_room).
  Outcome use_power(const Actor& actor, Power power, const std::string& target_user_id, std::int64_t now);
  // Deleting the room over REST: the end_room power, with the reason "deleted"; an ended room
  // stays ended (deleting it again is no error for the one who may).
  Outcome delete_room(const Actor& actor, std::int64_t now);
  // The time: places past their grace or reservation are given up.
  Outcome tick(std::int64_t now);
  // The store expired the room (idle too long).
  Outcome expire(std::int64_t now);
  // The 1:1 call this room was made for was answered: the callee is held back no more, and everyone
  // hears it (room:participant-updated, ringing false). `in_waiting_tab`: answered on the tab that
  // waits here; if another tab answered, the waiting one's place is let go (room:participant-left)
  // and the answering tab joins as a newcomer, so no link is left negotiated with a tab that is gone.
  Outcome call_answered(bool in_waiting_tab, std::int64_t now);
  // The 1:1 call this room was made for ended (hung up, declined, cancelled, no answer): a call's
  // room ends with it, with the reason "call_ended". Any other room carries on.
  Outcome call_ended(std::int64_t now);
  // A message for everyone here but `except_user`, e.g. a chat message or board ops once stored.
  Outcome tell_everyone(protocol::ServerMessage message, const std::string& except_user = {}) const;

  const RoomFacts& facts() const { return facts_; }
  const std::vector<Member>& members() const { return members_; }  // join order
  const std::vector<Knock>& knocking() const { return knocking_; }  // the waiting room, in knock order
  const Member* member(const std::string& user_id) const;
  // The member on this socket, if that socket is theirs now.
  const Member* member_on(ConnId conn) const;
  Role role_of(const Actor& actor) const;
  Role role_of(const std::string& user_id) const;
  protocol::Participant participant(const Member& member) const;
  int announced_count() const;
  Phase phase() const;
  // Whether this room shows in the public Live rooms list (GET /api/rooms): made public by its maker
  // (`is_public`, the store's), open and not locked, someone in it, and neither a 1:1 call's room nor
  // a booked meeting's.
  bool listed_publicly(bool is_public) const;
  // Files in chat (chat_files.h): `user_id` may share one now when they are in the room and chat is
  // on (not_in_room, chat_disabled), and may fetch the room's files while they are in it
  // (not_member): a file is for the people in the room, like the chat it came in.
  std::optional<Problem> may_share_file(const std::string& user_id) const;
  std::optional<Problem> may_fetch_file(const std::string& user_id) const;

 private:
  Member* find(const std::string& user_id);
  bool hosted() const { return facts_.call_between.empty(); }  // every room but a 1:1 call's
  bool stale(const Member& member, std::int64_t now) const;  // a reservation whose socket never came
  std::optional<Problem> admission_problem(const JoinRequest& request, std::int64_t now) const;
  std::optional<Problem> power_problem(const Actor& actor, Power power, const std::string& target_user_id) const;
  void welcome(ConnId conn, Member& member, std::vector<Effect>& out);
  void remove(const std::string& user_id, bool kicked, std::vector<Effect>& out);
  void end(const std::string& reason, std::vector<Effect>& out);
  // The recorder's socket or place went: another host or co-host here records; with nobody, the
  // recording stops if `stop_if_nobody` (their place went), else waits for them.
  void recorder_gone(const std::string& user_id, bool stop_if_nobody, std::vector<Effect>& out);
  protocol::server::RecordingState recording_state() const;
  void apply_power(const Actor& actor, Power power, const std::string& target_user_id, std::vector<Effect>& out);
  void claim_host(Member& self, Outcome& outcome);
  void set_hand(Member& member, bool raised, std::vector<Effect>& out);  // tells everyone when it changed
  void mute_member(Member& member, const Actor& by, std::vector<Effect>& out);
  bool must_knock(const JoinRequest& request, std::int64_t now) const;
  void knock(const JoinRequest& request, std::vector<Effect>& out);
  // Lets the knocker(s) in: one named, or with no name everyone who fits; a problem when the one
  // named is not waiting or the room is full.
  std::optional<Problem> admit(const std::optional<std::string>& user_id, std::vector<Effect>& out);
  void drop_knock(std::size_t index, std::vector<Effect>& out);  // gone from the queue (closed, left)
  std::vector<ConnId> managers() const;                          // host and co-hosts on a socket
  void tell_knocks(std::vector<Effect>& out, bool only_if_any = false) const;
  int taken_places(std::int64_t now) const;
  void broadcast(protocol::ServerMessage message, std::vector<Effect>& out, const std::string& except_user = {}) const;
  void save(const Member& member, std::vector<Effect>& out, std::optional<std::int64_t> left_at = std::nullopt,
            bool kicked = false) const;

  RoomFacts facts_;
  Timing timing_;
  std::vector<Member> members_;
  CodeRuns runs_;  // running the room's code (code_runs.h)
  std::vector<Knock> knocking_;                        // the waiting room, in knock order
  std::vector<std::string> admitted_;                  // let in from it once: a reload does not knock again
  // Each reporter's last reports, by user id: leaving and coming back does not start the budget over.
  std::map<std::string, UseWindow> report_windows_;
  std::vector<std::pair<std::string, std::int64_t>> door_closed_;  // who may not knock until when (denied, left)
  void close_door_to(const std::string& user_id, std::int64_t until);
  std::int64_t last_hand_at_ = 0;  // hands go up at distinct times, so every page orders them alike
  std::int64_t now_ = 0;  // the time of the event being handled
};

}  // namespace mehfil::authority
