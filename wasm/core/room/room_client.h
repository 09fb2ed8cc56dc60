// RoomClient: the browser side of one room, as a state machine: events in, commands out.
//
// It consumes user intents (join, leave, mute, host actions, chat), the room's WebSocket going up
// and down, the server's typed messages (protocol/messages.h) and every peer connection's events; it
// returns commands for js-glue (or the simulation) to carry out: send this client message, open or
// close the socket, the per-peer WebRTC commands of its PeerLinks, show a toast or a screen, apply
// the participant list, schedule a timer. It owns one PeerLink per other participant.
//
// The server is the authority on who is in the room and who is host; this class mirrors it. The one
// thing it does on its own is survive a dropped WebSocket: media keeps flowing over the peer links
// while it reconnects (reconnect_backoff.h) and rejoins with the resume_token from room:joined. The
// new room:joined snapshot is then reconciled with the links it has: peers gone in the meantime are
// closed (no ghosts), peers still there keep their link (no duplicates, resynced in case signals
// were lost), new ones get a link. If the server gave us a new peer id, every link is rebuilt.
//
//   state            event                                   → state            commands
//   idle             StartPreview                            → previewing       ShowScreen(preview)
//   idle|previewing  Join                                    → joining          OpenSocket
//   left|closed|failed Join                                  → joining          OpenSocket
//   joining          SocketOpened                            → joining          SendMessage(room:join)
//   joining          SocketClosed                            → joining          ScheduleTimer(backoff)
//   joining          Tick past the backoff                   → joining          OpenSocket
//   joining          room:joined, host present               → in_room          ApplyParticipants, links
//   joining          room:joined, no host yet                → waiting          ApplyParticipants
//   joining          error wrong_password                    → password_needed  ShowScreen(password, code, message)
//   joining          error room_not_found|full|locked|expired → failed         ShowScreen(code, message), CloseSocket
//   joining          error without a screen (not rate_limited) → failed        ReportError, CloseSocket
//   password_needed  SubmitPassword                          → joining          SendMessage(room:join) or OpenSocket
//   joining          room:waiting (the waiting room)         → knocking         ShowScreen(waiting_room, reason = the room's name)
//   knocking         room:joined (let in)                    → in_room          as any join
//   knocking         error knock_denied                      → failed           ShowScreen(knock_denied), CloseSocket
//   knocking         SocketClosed                            → joining          ScheduleTimer(backoff): it knocks again
//   knocking         Leave                                   → left             SendMessage(room:leave), CloseSocket
//   in_room          room:knock (the host, a co-host)        → in_room          ApplyKnocks{waiting, arrived}
//   in_room          HostIntent admit / deny                 → in_room          SendMessage(room:admit / room:deny)
//   waiting          room:host-changed                       → in_room          links
//   in_room|waiting  SocketClosed                            → reconnecting     ShowToast, ScheduleTimer(backoff)
//   reconnecting     Tick past the backoff                   → reconnecting     OpenSocket
//   reconnecting     SocketOpened                            → reconnecting     SendMessage(room:join + resume_token)
//   reconnecting     SocketClosed                            → reconnecting     next backoff
//   reconnecting     SocketClosed, tries used up             → failed           close links, ShowScreen(connection_lost)
//   reconnecting     Reconnect                               → reconnecting     OpenSocket now (tries start over)
//   failed (gave up) Reconnect                               → reconnecting     OpenSocket (with the resume token)
//   reconnecting     room:joined                             → in_room          reconcile links, ApplyParticipants
//   reconnecting     error room_not_found|expired            → failed           ShowScreen, close links
//   in_room          room:participant-joined/left/updated    → in_room          links, ApplyParticipants{joined|left|updated}, bitrate caps
//   in_room          a participant `ringing` (a 1:1 callee   → in_room          their link opens and HoldMedia{held}; they are
//                    whose phone rings, waiting in the room)                    in no ApplyParticipants list until updated to
//                                                                               not ringing: then `joined`, and HoldMedia{!held}
//   in_room          room:host-changed                       → in_room          ShowToast(you_are_host) when it names us
//   in_room          room:host-away naming our host          → in_room          (host_away() until room:host-changed)
//   in_room          ClaimHost while the host is away        → in_room          SendMessage(room:claim-host)
//   waiting|in_room  GrowRoom in a 1:1 call's room           → (unchanged)      SendMessage(room:grow)
//   any              room:grown                              → (unchanged)      the room is an ordinary one now
//   waiting|in_room  InviteFriends in an open room           → (unchanged)      SendMessage(room:invite)
//   in_room          room:invites-sent                       → in_room          ShowToast(invites_sent, how many)
//   waiting|in_room  Record{action}, host or co-host         → (unchanged)      SendMessage(recording:<action>)
//   any              room:recording, or room:joined's        → (unchanged)      recording() is it; ShowToast(recording,
//                                                                               its state) when it is news (a rejoin
//                                                                               finding the same one goes on quietly)
//   in_room...       friend:update                           → (unchanged)      FriendChanged, ShowToast(friend_request | now_friends)
//   in_room          room:host-action kick naming us         → kicked           close links, CloseSocket, ShowScreen(kicked, by)
//   in_room          room:host-action mute naming us         → in_room          MuteMicrophone, ShowToast
//   in_room          RaiseHand / SendReaction                → in_room          SendMessage(room:raise-hand / room:reaction)
//   in_room...       room:reaction                           → (unchanged)      ShowReaction
//   in_room          ReportMember                            → in_room          SendMessage(room:report)
//   in_room...       room:reported (hosts)                   → (unchanged)      ShowReported
//   in_room...       room:report-taken (the reporter)        → (unchanged)      ShowToast(report_sent, their user id)
//   in_room...       room:participant-updated naming us      → (unchanged)      self() takes our role and hand
//   in_room...       room:closed                             → closed           close links, CloseSocket, ShowScreen(reason)
//   in_room|waiting  error                                   → (unchanged)      ShowToast(refused), ReportError
//   in_room          SendBoardOps / SendBoardCursor          → in_room          SendMessage(wb:ops / wb:cursor)
//   in_room...       wb:ops / wb:cursor from someone         → (unchanged)      BoardOps / BoardCursor
//   in_room          SendCodeUpdate / SendCodeCursor         → in_room          SendMessage(code:update / code:cursor)
//   in_room...       code:update / code:cursor from someone  → (unchanged)      CodeUpdates / CodeCursor
//   in_room          SendCodeRun / SendCodeOutput            → in_room          SendMessage(code:run / code:output)
//   in_room...       code:running / code:output              → (unchanged)      CodeRunStarted{mine: it names our peer} /
//                                                                               CodeRunEnded
//   in_room...       code:compact                            → (unchanged)      CompactCode
//   in_room...       Leave                                   → left             SendMessage(room:leave), close links, CloseSocket
//   in_room...       chat:message not seen before            → (unchanged)      AppendChat
//   any              an event that makes no sense here       → (unchanged)      Rejected{reason}
// Signals (signal:offer/answer/ice) go to the sender's PeerLink; from a peer we do not know they are dropped.
// Chat history is no part of room:joined: the server sends it as chat:message frames after it, and
// again after every resume, so messages are told apart by id (chat_seen_, kept until the next Join)
// and each is appended once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "protocol/messages.h"
#include "room/commands.h"
#include "room/host_rules.h"
#include "room/peer_link.h"
#include "room/peer_types.h"
#include "room/screens.h"

namespace mehfil::room {

enum class RoomState { idle, previewing, joining, password_needed, knocking, waiting, in_room, reconnecting, left, kicked, closed, failed };
std::string_view to_string(RoomState state);

// ---------------------------------------------------------------------------------------------
// events

// user intents
struct StartPreview {};
struct Join {
  std::string room_code;
  std::string display_name;
  std::optional<std::string> password;
  // An embedder's own STUN/TURN servers (Mehfil.create's iceServers): used instead of the ones the
  // server hands out in hello.
  std::optional<std::vector<protocol::IceServer>> ice_servers;
  bool relay_only = false;  // iceTransportPolicy "relay": every link uses TURN relay candidates only
};
struct SubmitPassword {
  std::string password;
};
struct Leave {};
struct SetOwnMedia {  // what this user now sends
  bool audio = false;
  bool video = false;
  bool screen = false;
};
struct HostIntent {  // a host or co-host action from the UI
  HostActionKind action = HostActionKind::mute;
  std::string target_user_id;             // mute, kick, make_cohost, transfer, lower_hand, deny; admit (empty: all)
  bool locked = false;                    // lock
  protocol::RoomSettings settings;        // settings
};
struct ClaimHost {};  // "Become Host": only while the host is away
struct RaiseHand {    // the hand button (or H): our own hand up or down
  bool raised = false;
};
struct SendReaction {  // one of protocol::kReactions, over our tile for everyone
  std::string emoji;
};
// "Report" on a card or a chat message: someone else here, why (protocol::kReportReasons), a note.
struct ReportMember {
  std::string target_user_id;
  std::string reason;
  std::string note;
  std::optional<std::string> message_id;
};
struct GrowRoom {};   // "Add people": a 1:1 call's room opens up into an ordinary room
struct Record {  // the host's recording controls
  enum class Action { start, pause, resume, stop } action = Action::start;
  int height = 720;  // start: 720 or 1080
};
struct InviteFriends {  // "Send Invites" in the Invite dialog
  std::vector<std::string> user_ids;
};
struct Reconnect {};  // "Reconnect": try now, while reconnecting or after giving up
struct SendChat {
  std::string text;
  std::string client_msg_id;
};
// The shared whiteboard's traffic goes through the core like chat: a batch of this user's ops
// (opaque here; wasm/core/whiteboard and the server's rules give them meaning), or their pointer.
struct SendBoardOps {
  std::vector<nlohmann::json> ops;
};
struct SendBoardCursor {
  int x = 0;
  int y = 0;
  bool laser = false;
};
// The shared code editor's traffic, the same way: one Yjs update (base64, opaque here), or this
// user's cursor (a Yjs awareness update, base64).
struct SendCodeUpdate {
  std::string update;
};
struct SendCodeCursor {
  std::string state;
};
// Run a file of the room's code (the room's rules decide: authority/code_runs.h), and the end of
// our run, once RunCode said it is ours to run.
struct SendCodeRun {
  std::string file;
  std::string language;
};
struct SendCodeOutput {
  std::string run_id;
  protocol::RunResult result;
};
// the room's WebSocket
struct SocketOpened {};
struct SocketClosed {
  double jitter = 0;  // a random value in [0, 1) for the reconnect backoff
};
struct ServerMessageReceived {
  protocol::ServerMessage message;
};
struct PeerEventReceived {
  std::string peer_id;
  PeerEvent event;
};

using RoomEvent = std::variant<StartPreview, Join, SubmitPassword, Leave, SetOwnMedia, HostIntent, ClaimHost, RaiseHand, SendReaction, ReportMember, GrowRoom, InviteFriends, Record, Reconnect, SendChat,
                               SendBoardOps, SendBoardCursor, SendCodeUpdate, SendCodeCursor, SendCodeRun, SendCodeOutput, SocketOpened, SocketClosed, ServerMessageReceived, PeerEventReceived, Tick>;

// ---------------------------------------------------------------------------------------------
// commands

struct OpenSocket {};
struct CloseSocket {};
enum class Toast { you_are_host, host_muted_you, participant_removed, reconnecting, reconnected, refused,
                   friend_request, now_friends,  // detail = their display name
                   invites_sent,                 // detail = how many friends were invited
                   report_sent,                  // detail = the user id of the one reported
                   recording,                    // detail = "recording", "paused" or "off"
                   room_ending };                // detail = when it ends, ms since the epoch
std::string_view to_string(Toast toast);
struct ShowToast {
  Toast kind = Toast::refused;
  std::string detail;  // a name or the server's message; the UI words the toast by kind
};
// What a screen is about, so the UI words it without reading frames itself: the server's error for a
// refused join (code and message), who removed us (kicked), or why the room closed. Fields that do
// not apply to the screen stay empty.
struct ScreenDetail {
  std::string code;
  std::string message;
  std::string by;      // kicked: the user_id of the host or co-host who did it
  std::string reason;  // room_closed / expired: the server's reason ("ended_by_host", "expired"...)
};
struct ShowScreen {
  Screen screen = Screen::preview;
  ScreenDetail detail;
};
// An error from the server that ends no screen: a refused request while in the room (a host action,
// a rate limit), or a join refused for a reason with no screen of its own. The embed API reports it.
struct ReportError {
  protocol::ErrorCode code = protocol::ErrorCode::bad_request;
  std::string message;
};
// The other participants, in join order, as the tiles should show them, and what changed since the
// last list: who came, who went, whose state changed. The first list after a Join names nobody (they
// were there before us); after a resume, people who left meanwhile are in `left`.
struct ApplyParticipants {
  std::vector<protocol::Participant> participants;
  std::vector<protocol::Participant> joined;
  std::vector<protocol::Participant> left;
  std::vector<protocol::Participant> updated;
};
// Our friendship with someone changed (friend:update): "friends", or "incoming" (they asked).
struct FriendChanged {
  std::string user_id;
  std::string relation;
};
// Whiteboard traffic from someone else in the room, for the board to merge or draw.
struct BoardOps {
  std::string from;  // peer_id
  std::vector<nlohmann::json> ops;
};
struct BoardCursor {
  std::string from;  // peer_id
  int x = 0;
  int y = 0;
  bool laser = false;
};
// Code editor traffic from someone else in the room (or the stored updates from "server").
struct CodeUpdates {
  std::string from;  // peer_id, or "server"
  std::vector<std::string> updates;
};
struct CodeCursor {
  std::string from;  // peer_id
  std::string state;
};
// A run of the room's code started (everyone shows it); `mine` when this page is the runner, and
// runs the file for at most run.limit_ms, then sends SendCodeOutput.
struct CodeRunStarted {
  protocol::server::CodeRunning run;
  bool mine = false;
};
struct CodeRunEnded {
  protocol::server::CodeOutput output;
};
// The room asks this page for the code's whole state, for its first `upto` stored updates.
struct CompactCode {
  std::int64_t upto = 0;
};
struct AppendChat {
  protocol::server::ChatMessage message;
};
struct MuteMicrophone {};  // the host muted us: turn the local microphone track off
// Who waits at the door of our room (for the host and co-hosts), in knock order, and who of them is
// new since the last list (for a knock card and a sound).
struct ApplyKnocks {
  std::vector<protocol::server::Knocker> waiting;
  std::vector<protocol::server::Knocker> arrived;
};
// To a host or co-host: someone here was reported (room:reported; the reporter is not named).
struct ShowReported {
  std::string target_user_id;
  std::string target_name;
  std::string reason;
};
// Someone's reaction (us too): float it over their tile for a few seconds.
struct ShowReaction {
  std::string user_id;
  std::string peer_id;
  std::string emoji;
};

using RoomCommand = std::variant<SendMessage, OpenSocket, CloseSocket, ShowToast, ShowScreen, ReportError, ApplyParticipants,
                                 FriendChanged, BoardOps, BoardCursor, CodeUpdates, CodeCursor, CodeRunStarted, CodeRunEnded, CompactCode, AppendChat, MuteMicrophone, ShowReaction, ShowReported, ApplyKnocks, Rejected, CreatePeer, CreateOffer, CreateAnswer,
                                 SetLocalDescription, SetRemoteDescription, AddIceCandidate, RestartIce, UseRelayOnly,
                                 SetIceServers, ClosePeer, SetSendCap, HoldMedia, ScheduleTimer>;

// The room's socket is watched while in a room: a ping when it has been kPingEveryMs since the last,
// and a socket silent for kSilentSocketMs (no pong, no frame) is taken for dead and reconnected.
inline constexpr std::int64_t kPingEveryMs = 10'000;
inline constexpr std::int64_t kSilentSocketMs = 25'000;

class RoomClient {
 public:
  std::vector<RoomCommand> handle(const RoomEvent& event, std::int64_t now_ms);

  RoomState state() const { return state_; }
  const std::string& room_code() const { return room_code_; }
  // Who we are; self().hand_raised_at is our hand as the server last told it.
  const protocol::server::Self& self() const { return self_; }
  const protocol::server::Room& room() const { return room_; }
  // The room's recording as the server last told it (state "off" when none runs).
  const protocol::server::RecordingState& recording() const { return recording_; }
  // Whether this browser is the one recording the room now (the recorder, js-glue/call-recorder.js).
  bool records_here() const { return recording_.state != "off" && recording_.recorder_user_id == self_.user_id; }
  // The others here, in join order: a 1:1 callee whose phone still rings (Participant::ringing) has a
  // link but is not here yet, so no tile, no participant list, no host actions.
  std::vector<protocol::Participant> participants() const;
  // Whether this peer was in the room when we joined: they come before us in the room's order.
  bool joined_before_us(const std::string& peer_id) const { return before_us_.count(peer_id) > 0; }
  // What this user last said they send (SetOwnMedia).
  const SetOwnMedia& own_media() const { return own_media_; }
  const std::map<std::string, PeerLink>& links() const { return links_; }
  // Who waits at the door, as the server last told us (the host and co-hosts hear it).
  const std::vector<protocol::server::Knocker>& knocking() const { return knocking_; }
  const PeerLink* link(const std::string& peer_id) const;
  Role role() const { return {self_.is_host, self_is_cohost_}; }
  // The host's connection dropped and nobody has taken over yet: the UI offers "Become Host".
  bool host_away() const { return host_away_; }
  bool socket_open() const { return socket_open_; }
  int reconnect_attempt() const { return attempt_; }
  std::optional<std::int64_t> reconnect_at() const { return reconnect_at_; }

 private:
  using Out = std::vector<RoomCommand>;
  void on_join(const Join& join, Out& out);
  void on_socket_opened(Out& out);
  void on_socket_closed(const SocketClosed& closed, std::int64_t now_ms, Out& out);
  void on_server(const protocol::ServerMessage& message, std::int64_t now_ms, Out& out);
  void on_joined(const protocol::server::RoomJoined& joined, std::int64_t now_ms, Out& out);
  void on_error(const protocol::server::ErrorReply& error, Out& out);
  void on_host_intent(const HostIntent& intent, Out& out);
  void on_tick(std::int64_t now_ms, Out& out);
  void send(protocol::ClientMessage message, Out& out);
  void append(std::vector<PeerCommand> commands, Out& out);
  // `newcomer`: the peer joined after us, so it makes the first offer (PeerLink).
  void open_link(const std::string& peer_id, bool newcomer, Out& out);
  void close_link(const std::string& peer_id, Out& out);
  void close_all_links(Out& out);
  void end(RoomState state, std::optional<ShowScreen> screen, Out& out);
  void forget_knocks_unless_managing(Out& out);
  void apply_participants(Out& out);
  void hold_media(Out& out);
  void take_recording(const protocol::server::RecordingState& recording, Out& out);  // room:recording, or room:joined's  // HoldMedia for each link whose peer started or stopped ringing
  void enter_room(std::int64_t now_ms, Out& out);
  void schedule_reconnect(double jitter, std::int64_t now_ms, Out& out);
  void reject(std::string reason, Out& out);
  bool in_room_like() const;

  RoomState state_ = RoomState::idle;
  std::string room_code_;
  std::string display_name_;
  std::optional<std::string> password_;
  std::optional<std::string> resume_token_;
  protocol::server::Self self_;
  protocol::server::Room room_;
  protocol::server::RecordingState recording_{{}, {}, "off", {}, 0};
  protocol::server::RecordingState toasted_recording_{{}, {}, "off", {}, 0};  // the last one told as a toast
  bool self_is_cohost_ = false;
  bool host_away_ = false;
  std::vector<protocol::Participant> participants_;
  std::vector<protocol::Participant> announced_;  // the list the last ApplyParticipants gave
  bool first_list_ = true;                        // the next list is the room as we found it
  std::set<std::string> before_us_;
  SetOwnMedia own_media_;
  std::map<std::string, PeerLink> links_;
  std::set<std::string> held_;  // peers sent no media (ringing), as the last HoldMedia said
  std::vector<protocol::IceServer> ice_servers_;  // from the server's hello (or the join's), for every new pc
  bool own_ice_servers_ = false;                  // the join named its own: hello's are not used
  bool relay_only_ = false;                       // Join::relay_only
  std::set<std::string> chat_seen_;
  std::vector<protocol::server::Knocker> knocking_;
  bool socket_open_ = false;
  std::int64_t last_heard_ms_ = 0;  // the last frame from the server on this socket
  std::int64_t last_ping_ms_ = 0;
  void watch_socket(std::int64_t now_ms, Out& out);
  bool socket_opening_ = false;
  int attempt_ = 0;
  bool gave_up_ = false;  // failed because the reconnect tries ran out (Reconnect may resume)
  std::optional<std::int64_t> reconnect_at_;
};

}  // namespace mehfil::room
