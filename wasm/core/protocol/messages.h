// The signaling protocol's messages as plain structs: one struct per message type, one std::variant
// per direction. Everything that acts on a message (the server's room logic, the client's room state
// machine, the simulation) works on these typed values; only codec.h sees JSON text.
//
// Wire shape: a JSON object per WebSocket text frame, `{"type": "chat:send", ...fields}`. A client
// request may carry `"id"` (a string of 1..64 characters or an integer); the server answers it with
// `ack {id}` or `error {code, message, ref: id}`. The id lives beside the message (codec.h), not in
// it, because any request may carry one.
//
// Field names here are the wire names. Each struct's `type_name` is its "type" on the wire. Optional
// fields are std::optional and are left out of the JSON when empty (null reads as absent). Each
// string field's rule (id, room code, display name...) is listed in validation.h and applied by the
// decoder. Ids: user_id, peer_id, call_id, client_msg_id and chat message ids are 1..64 characters of
// [A-Za-z0-9_-]; times are milliseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/errors.h"

namespace mehfil::protocol {

// A request's "id", echoed back exactly as sent (5 and "5" are different ids).
using RequestId = std::variant<std::int64_t, std::string>;

// What a room allows; the host changes it with room:settings. This is the one shape of a room's
// settings, {"screenshare": bool, "chat": bool, "video": bool, "audio": bool, "record_automatically":
// bool (optional, false when left out), "code_run_hosts_only" and "waiting_room": bool (the same)},
// wherever they appear:
// in room:settings, room:joined and room:settings-changed; in the REST API (create's `settings`,
// which may leave flags out, and every room it answers with); in the server's store; and in the
// embed API (mehfil.d.ts: RoomInfo.settings, updateSettings). codec.h reads and writes it outside a
// message (settings_to_json, settings_from_json).
//
// chat and screenshare are rules of the room (authority/permissions.h): while chat is off the
// authority refuses chat:send (chat_disabled); while screenshare is off it refuses a media:state that
// starts a share (screenshare_disabled), except from the host and co-hosts. video and audio were never enforced by anyone, and no page offers them any more; they
// stay on the wire, true unless a client sets them, because the previous version's decoder
// requires them in every settings object it reads.
struct RoomSettings {
  bool video = true;  // carried, not enforced
  bool audio = true;  // carried, not enforced
  bool screenshare = true;
  bool chat = true;
  bool record_automatically = false;  // the host's arrival starts a recording (authority/room_authority.h)
  bool code_run_hosts_only = false;   // only the host and co-hosts may run the room's code (authority/code_runs.h)
  bool waiting_room = false;          // joiners knock and wait until a host or co-host lets them in (room_authority.h)
  friend bool operator==(const RoomSettings&, const RoomSettings&) = default;
};

// RTCIceCandidateInit in snake_case. An empty candidate string means "end of candidates".
struct IceCandidate {
  std::string candidate;
  std::optional<std::string> sdp_mid;
  std::optional<int> sdp_mline_index;  // 0..65535
  friend bool operator==(const IceCandidate&, const IceCandidate&) = default;
};

// RTCIceServer with one URL: a STUN or TURN server the server tells clients to use. TURN servers carry
// short-lived credentials (coturn's shared-secret scheme, made by the server per user).
struct IceServer {
  std::string urls;  // stun:host[:port], turn:host[:port][?transport=udp|tcp], turns:…
  std::optional<std::string> username;
  std::optional<std::string> credential;
  friend bool operator==(const IceServer&, const IceServer&) = default;
};

// One person in a room as everybody else sees them.
struct Participant {
  std::string user_id;
  std::string peer_id;  // one per connection: the same user in two tabs is two peers
  std::string display_name;
  bool is_host = false;
  bool is_cohost = false;
  bool audio = false;
  bool video = false;
  bool screen = false;
  // A 1:1 call's callee whose phone still rings: their tab waits in the call's room so the link is
  // ready when they answer, but they are not "here" yet. Others keep them off the stage and send
  // them no media until this is false (room/room_client.h). On the wire only when true.
  bool ringing = false;
  // When they raised their hand (ms since the epoch, the server's clock), or nothing: the room shows
  // raised hands in this order. Kept with the live room only (authority/gestures.h).
  std::optional<std::int64_t> hand_raised_at;
  friend bool operator==(const Participant&, const Participant&) = default;
};

// A piece of what a run of the room's code printed: "stdout" or "stderr", in the order they came.
struct OutputChunk {
  std::string stream;
  std::string text;
  friend bool operator==(const OutputChunk&, const OutputChunk&) = default;
};

// How a run of the room's code ended, as the runner's page saw it (authority/code_runs.h):
//   "ok" it finished; "error" it threw (error, and error_line when known: the line in the file);
//   "timeout" it ran past the time limit and was stopped; "crashed" its sandbox died (out of memory);
//   "abandoned" (only from the server) the runner left before it ended.
struct RunResult {
  std::string status;
  std::vector<OutputChunk> output;
  std::optional<std::string> error;
  std::optional<int> error_line;
  std::int64_t duration_ms = 0;
  friend bool operator==(const RunResult&, const RunResult&) = default;
};

// ---------------------------------------------------------------------------------------------
// client → server
namespace client {

struct JoinRoom {
  static constexpr std::string_view type_name = "room:join";
  std::string room_code;
  std::optional<std::string> password;
  std::optional<std::string> resume_token;  // from an earlier room:joined: rejoin as the same peer
  std::optional<std::string> display_name;  // trimmed by the decoder
  friend bool operator==(const JoinRoom&, const JoinRoom&) = default;
};
struct LeaveRoom {
  static constexpr std::string_view type_name = "room:leave";
  friend bool operator==(const LeaveRoom&, const LeaveRoom&) = default;
};
struct HostMute {
  static constexpr std::string_view type_name = "room:host-mute";
  std::string target_user_id;
  friend bool operator==(const HostMute&, const HostMute&) = default;
};
struct HostKick {
  static constexpr std::string_view type_name = "room:host-kick";
  std::string target_user_id;
  friend bool operator==(const HostKick&, const HostKick&) = default;
};
struct HostTransfer {
  static constexpr std::string_view type_name = "room:host-transfer";
  std::string target_user_id;
  friend bool operator==(const HostTransfer&, const HostTransfer&) = default;
};
struct MakeCohost {
  static constexpr std::string_view type_name = "room:make-cohost";
  std::string target_user_id;
  friend bool operator==(const MakeCohost&, const MakeCohost&) = default;
};
// Take over a room whose host is away (their socket dropped and the resume grace has not run
// out). The server refuses while the host is here or has not arrived yet.
struct ClaimHost {
  static constexpr std::string_view type_name = "room:claim-host";
  friend bool operator==(const ClaimHost&, const ClaimHost&) = default;
};
struct LockRoom {
  static constexpr std::string_view type_name = "room:lock";
  bool locked = false;
  friend bool operator==(const LockRoom&, const LockRoom&) = default;
};
struct ChangeSettings {
  static constexpr std::string_view type_name = "room:settings";
  RoomSettings settings;
  friend bool operator==(const ChangeSettings&, const ChangeSettings&) = default;
};
struct EndRoom {
  static constexpr std::string_view type_name = "room:end";
  friend bool operator==(const EndRoom&, const EndRoom&) = default;
};
struct MediaState {
  static constexpr std::string_view type_name = "media:state";
  bool audio = false;
  bool video = false;
  bool screen = false;
  friend bool operator==(const MediaState&, const MediaState&) = default;
};
struct SignalOffer {
  static constexpr std::string_view type_name = "signal:offer";
  std::string to;  // peer_id
  std::string sdp;
  // Numbers this link's offers (1, 2, …); the answer names the one it answers. An offer may be sent
  // twice (room/peer_link.h), and an answer to the first copy must not be taken for a later offer.
  std::optional<int> offer_id;
  friend bool operator==(const SignalOffer&, const SignalOffer&) = default;
};
struct SignalAnswer {
  static constexpr std::string_view type_name = "signal:answer";
  std::string to;  // peer_id
  std::string sdp;
  std::optional<int> offer_id;  // the offer this answers (SignalOffer::offer_id)
  friend bool operator==(const SignalAnswer&, const SignalAnswer&) = default;
};
struct SignalIce {
  static constexpr std::string_view type_name = "signal:ice";
  std::string to;  // peer_id
  IceCandidate candidate;
  friend bool operator==(const SignalIce&, const SignalIce&) = default;
};
struct ChatSend {
  static constexpr std::string_view type_name = "chat:send";
  std::string text;
  std::string client_msg_id;  // lets the sender match the server's chat:message to its draft
  friend bool operator==(const ChatSend&, const ChatSend&) = default;
};
// Whiteboard ops stay opaque JSON objects here; wasm/core/whiteboard gives them meaning.
struct WhiteboardOps {
  static constexpr std::string_view type_name = "wb:ops";
  std::vector<nlohmann::json> ops;  // each an object, at most kMaxWhiteboardOps
  friend bool operator==(const WhiteboardOps&, const WhiteboardOps&) = default;
};
// Where someone's pointer is on the whiteboard, and whether it is the laser: transient, relayed to
// the room and never stored. Whole world units.
struct WhiteboardCursor {
  static constexpr std::string_view type_name = "wb:cursor";
  int x = 0;
  int y = 0;
  bool laser = false;
  friend bool operator==(const WhiteboardCursor&, const WhiteboardCursor&) = default;
};
// The shared code editor: one Yjs update (base64), merged from a burst of typing. The server
// stores it and relays it to the room; only the clients read it (code-editor/src/code-doc.js).
struct CodeUpdate {
  static constexpr std::string_view type_name = "code:update";
  std::string update;
  friend bool operator==(const CodeUpdate&, const CodeUpdate&) = default;
};
// Where someone's cursor and selection are in the code (a Yjs awareness update, base64):
// transient, relayed to the room and never stored.
struct CodeCursor {
  static constexpr std::string_view type_name = "code:cursor";
  std::string state;
  friend bool operator==(const CodeCursor&, const CodeCursor&) = default;
};
// Run a file of the room's code for everyone to see. The room's rules say whether this member may
// (the room's code_run_hosts_only) and keep one run going at a time; the runner's page runs it once
// code:running names its peer, and reports the end with code:output. The file's text never goes to
// the server: every page holds it already (the CodeDoc).
struct CodeRun {
  static constexpr std::string_view type_name = "code:run";
  std::string file;      // the file's name as the tab shows it
  std::string language;  // "javascript" or "python": the languages that run
  friend bool operator==(const CodeRun&, const CodeRun&) = default;
};
// The end of this member's run: what it printed and how it ended (RunResult's status but "abandoned").
struct CodeOutput {
  static constexpr std::string_view type_name = "code:output";
  std::string run_id;
  RunResult result;
  friend bool operator==(const CodeOutput&, const CodeOutput&) = default;
};
struct CallRing {
  static constexpr std::string_view type_name = "call:ring";
  std::string to_user_id;
  std::string call_id;
  bool video = false;  // a video call (false or left out: audio only)
  friend bool operator==(const CallRing&, const CallRing&) = default;
};
struct CallAccept {
  static constexpr std::string_view type_name = "call:accept";
  std::string call_id;
  friend bool operator==(const CallAccept&, const CallAccept&) = default;
};
struct CallReject {
  static constexpr std::string_view type_name = "call:reject";
  std::string call_id;
  friend bool operator==(const CallReject&, const CallReject&) = default;
};
struct CallCancel {
  static constexpr std::string_view type_name = "call:cancel";
  std::string call_id;
  friend bool operator==(const CallCancel&, const CallCancel&) = default;
};
// A friend named in room:invite (and in room:invites-sent): an object, so an invite may carry more
// about each person later without a new message.
struct Invitee {
  std::string user_id;
  friend bool operator==(const Invitee&, const Invitee&) = default;
};
// "Invite from Friends List": ask these friends to the room we are in. Each gets invite:received on
// every socket they have open, and the invite in Your Rooms until they join or dismiss it.
struct InviteFriends {
  static constexpr std::string_view type_name = "room:invite";
  std::vector<Invitee> friends;  // 1..kMaxInvitees (validation.h)
  friend bool operator==(const InviteFriends&, const InviteFriends&) = default;
};
// "Dismiss" on an invite card: the invite goes from every tab and from Your Rooms.
struct DismissInvite {
  static constexpr std::string_view type_name = "invite:dismiss";
  std::string invite_id;
  friend bool operator==(const DismissInvite&, const DismissInvite&) = default;
};
// Recording the room (the host or a co-host): start, pause, resume, stop. Everyone hears
// room:recording with the new state; the one who started it records in their browser.
struct StartRecording {
  static constexpr std::string_view type_name = "recording:start";
  std::optional<int> height;  // the picture: 720 (1280×720, when left out) or 1080 (1920×1080)
  friend bool operator==(const StartRecording&, const StartRecording&) = default;
};
struct PauseRecording {
  static constexpr std::string_view type_name = "recording:pause";
  friend bool operator==(const PauseRecording&, const PauseRecording&) = default;
};
struct ResumeRecording {
  static constexpr std::string_view type_name = "recording:resume";
  friend bool operator==(const ResumeRecording&, const ResumeRecording&) = default;
};
struct StopRecording {
  static constexpr std::string_view type_name = "recording:stop";
  friend bool operator==(const StopRecording&, const StopRecording&) = default;
};
// Raise or lower a hand (the H key): `raised` for our own. The host and co-hosts lower someone
// else's by naming them (`raised` false). Everyone hears room:participant-updated.
struct RaiseHand {
  static constexpr std::string_view type_name = "room:raise-hand";
  bool raised = false;
  std::optional<std::string> target_user_id;  // someone else's hand, to lower it
  friend bool operator==(const RaiseHand&, const RaiseHand&) = default;
};
// A reaction that floats over the sender's tile for everyone (kReactions, validation.h): relayed,
// never stored.
struct SendReaction {
  static constexpr std::string_view type_name = "room:reaction";
  std::string emoji;
  friend bool operator==(const SendReaction&, const SendReaction&) = default;
};
// A report of someone in the room (a card's or a chat message's Report): why (kReportReasons), a
// note, and the chat message it is about, if any. Stored with the last chat lines for the server's
// operator (server-stub/reports.h); the room's hosts hear room:reported, without the reporter's name.
struct Report {
  static constexpr std::string_view type_name = "room:report";
  std::string target_user_id;
  std::string reason;
  std::optional<std::string> note;        // what happened, in the reporter's words
  std::optional<std::string> message_id;  // the chat message reported, if any
  friend bool operator==(const Report&, const Report&) = default;
};
// The waiting room: let in (admit) or turn away (deny) someone who knocked (room:knock lists them).
// room:admit without a target lets in everyone waiting, as far as the room has places.
struct Admit {
  static constexpr std::string_view type_name = "room:admit";
  std::optional<std::string> target_user_id;
  friend bool operator==(const Admit&, const Admit&) = default;
};
struct Deny {
  static constexpr std::string_view type_name = "room:deny";
  std::string target_user_id;
  friend bool operator==(const Deny&, const Deny&) = default;
};
// "Mute all": the host or a co-host mutes everyone whose microphone is on but themselves (and the
// host, whom nobody else mutes). Each of them hears room:host-action mute.
struct MuteAll {
  static constexpr std::string_view type_name = "room:mute-all";
  friend bool operator==(const MuteAll&, const MuteAll&) = default;
};
// "Add people": a 1:1 call's room opens up into an ordinary room, with both already inside.
struct GrowRoom {
  static constexpr std::string_view type_name = "room:grow";
  friend bool operator==(const GrowRoom&, const GrowRoom&) = default;
};
struct Ping {
  static constexpr std::string_view type_name = "ping";
  friend bool operator==(const Ping&, const Ping&) = default;
};

}  // namespace client

using ClientMessage = std::variant<client::JoinRoom, client::LeaveRoom, client::HostMute, client::HostKick,
                                   client::HostTransfer, client::MakeCohost, client::ClaimHost, client::LockRoom,
                                   client::ChangeSettings, client::EndRoom, client::MediaState,
                                   client::SignalOffer, client::SignalAnswer, client::SignalIce,
                                   client::ChatSend, client::WhiteboardOps, client::WhiteboardCursor, client::CodeUpdate,
                                   client::CodeCursor, client::CodeRun, client::CodeOutput, client::CallRing,
                                   client::CallAccept, client::CallReject, client::CallCancel, client::GrowRoom,
                                   client::InviteFriends, client::DismissInvite, client::StartRecording,
                                   client::PauseRecording, client::ResumeRecording, client::StopRecording,
                                   client::RaiseHand, client::SendReaction, client::MuteAll, client::Admit, client::Deny,
                                   client::Report, client::Ping>;

// ---------------------------------------------------------------------------------------------
// server → client
namespace server {

struct Hello {
  static constexpr std::string_view type_name = "hello";
  int protocol_version = 0;
  std::int64_t server_time = 0;
  std::vector<IceServer> ice_servers;  // for every RTCPeerConnection (none: host candidates only)
  friend bool operator==(const Hello&, const Hello&) = default;
};
// Fresh STUN/TURN servers before the TURN credentials of hello (or of the last of these) expire:
// every pc takes them for its next ICE gathering (an ICE restart), so a call longer than a
// credential's life still gets through the relay.
struct IceServers {
  static constexpr std::string_view type_name = "ice:servers";
  std::vector<IceServer> ice_servers;
  friend bool operator==(const IceServers&, const IceServers&) = default;
};
struct Ack {
  static constexpr std::string_view type_name = "ack";
  RequestId id;
  friend bool operator==(const Ack&, const Ack&) = default;
};

// A file shared in the chat (authority/chat_files.h): the room's members fetch it over REST,
// GET /api/rooms/:code/files/:file_id (and /thumbnail for an image), with their session.
struct ChatFile {
  std::string file_id;
  std::string name;
  std::int64_t size = 0;      // bytes served: for an image, the picture the server made
  std::string content_type;   // what it is served as
  bool image = false;         // shown inline as a thumbnail; anything else is a download
  int width = 0;              // an image's, in pixels (0 otherwise)
  int height = 0;
  friend bool operator==(const ChatFile&, const ChatFile&) = default;
};
// A chat line; one that carries a file may have no text.
struct ChatMessage {
  static constexpr std::string_view type_name = "chat:message";
  std::string id;
  std::string from_user_id;
  std::string display_name;
  std::string text;
  std::int64_t sent_at = 0;
  std::string client_msg_id;
  std::optional<ChatFile> file;
  friend bool operator==(const ChatMessage&, const ChatMessage&) = default;
};

// Who I am in the room I just joined.
struct Self {
  std::string user_id;
  std::string peer_id;
  std::string display_name;
  bool is_host = false;
  std::optional<std::int64_t> hand_raised_at;  // our hand, still up after a rejoin
  friend bool operator==(const Self&, const Self&) = default;
};
struct Room {
  std::string room_code;
  std::string room_name;  // may be empty
  std::string host_user_id;
  int max_participants = 0;
  bool is_locked = false;
  RoomSettings settings;
  bool is_call = false;  // a 1:1 call's room: the two people only, shown as one person and a corner
  friend bool operator==(const Room&, const Room&) = default;
};
// The room's recording, to everyone in it whenever it changes (a joiner finds it in room:joined).
// state: "recording", "paused" or "off" (stopped: recording_id names the recording that ended).
// recorder_user_id: whose browser records (it passes to another host or co-host if theirs goes).
struct RecordingState {
  static constexpr std::string_view type_name = "room:recording";
  std::string room_code;
  std::string recording_id;
  std::string state;
  std::string recorder_user_id;
  std::int64_t started_at = 0;
  int height = 720;  // the picture every segment is recorded at: 720 or 1080
  friend bool operator==(const RecordingState&, const RecordingState&) = default;
};
// The snapshot a join (or a resume) starts from. Chat history is not in it: the server sends it
// as ordinary chat:message frames right after this one, oldest first, in bounded pages, so one
// room's chat never makes one huge frame. After a resume the history comes again; the client
// shows each message once (by its id).
struct RoomJoined {
  static constexpr std::string_view type_name = "room:joined";
  Self self;
  Room room;
  std::vector<Participant> participants;  // the others, in join order
  std::string resume_token;
  // The recording running now, if one is: told with the room so that a rejoin (a resumed socket)
  // never sees a moment without it and the recorder records on through a reconnect.
  std::optional<RecordingState> recording;
  friend bool operator==(const RoomJoined&, const RoomJoined&) = default;
};
struct ParticipantJoined {
  static constexpr std::string_view type_name = "room:participant-joined";
  std::string room_code;
  Participant user;
  int participant_count = 0;
  friend bool operator==(const ParticipantJoined&, const ParticipantJoined&) = default;
};
struct ParticipantLeft {
  static constexpr std::string_view type_name = "room:participant-left";
  std::string room_code;
  std::string user_id;
  std::string peer_id;
  int participant_count = 0;
  friend bool operator==(const ParticipantLeft&, const ParticipantLeft&) = default;
};
struct ParticipantUpdated {
  static constexpr std::string_view type_name = "room:participant-updated";
  std::string room_code;
  Participant user;
  friend bool operator==(const ParticipantUpdated&, const ParticipantUpdated&) = default;
};
enum class HostActionKind { mute, kick };  // "mute" | "kick"
// To a joiner of a room with the waiting room on: you knocked; wait until a host lets you in
// (room:joined), turns you away (error knock_denied) or the room ends (room:closed).
struct Waiting {
  static constexpr std::string_view type_name = "room:waiting";
  std::string room_code;
  std::string room_name;
  friend bool operator==(const Waiting&, const Waiting&) = default;
};
// One person at the door: who, and since when (ms since the epoch, the server's clock).
struct Knocker {
  std::string user_id;
  std::string display_name;
  std::int64_t knocked_at = 0;
  friend bool operator==(const Knocker&, const Knocker&) = default;
};
// To the host and co-hosts: everyone waiting now, in the order they knocked, whenever that changes
// (and to a host or co-host who arrives while someone waits). An empty list: nobody waits.
struct Knock {
  static constexpr std::string_view type_name = "room:knock";
  std::string room_code;
  std::vector<Knocker> waiting;
  friend bool operator==(const Knock&, const Knock&) = default;
};
// To the room's hosts and co-hosts: someone here was reported (who reported is not said).
struct Reported {
  static constexpr std::string_view type_name = "room:reported";
  std::string room_code;
  std::string target_user_id;
  std::string target_name;
  std::string reason;
  friend bool operator==(const Reported&, const Reported&) = default;
};
// To the one who reported: the report was kept (the room's hosts were told). Only then does the page
// say "Report sent"; a refused report gets an error instead.
struct ReportTaken {
  static constexpr std::string_view type_name = "room:report-taken";
  std::string room_code;
  std::string target_user_id;
  friend bool operator==(const ReportTaken&, const ReportTaken&) = default;
};
// Someone's reaction, to everyone in the room (the sender too): shown for a few seconds, then gone.
struct Reaction {
  static constexpr std::string_view type_name = "room:reaction";
  std::string room_code;
  std::string from_user_id;
  std::string peer_id;
  std::string emoji;  // one of kReactions
  friend bool operator==(const Reaction&, const Reaction&) = default;
};
struct HostAction {
  static constexpr std::string_view type_name = "room:host-action";
  HostActionKind action = HostActionKind::mute;
  std::string target_user_id;
  std::string by;  // user_id of the host or co-host who did it
  friend bool operator==(const HostAction&, const HostAction&) = default;
};
// Someone's friendship with you changed (Add Friend): `friends` false is their request to you,
// true is "you are friends now". Sent to every socket of yours, in a room or not.
struct FriendUpdate {
  static constexpr std::string_view type_name = "friend:update";
  std::string user_id;
  std::string display_name;
  bool friends = false;
  friend bool operator==(const FriendUpdate&, const FriendUpdate&) = default;
};
// Whether a friend can be rung now: "offline" (no socket open), "online", or "in_call" (in a
// connected 1:1 call or in a room). authority/presence.h is the rule.
enum class Presence { offline, online, in_call };
std::string_view to_string(Presence presence);
std::optional<Presence> presence_from_string(std::string_view spelling);
// A friend's presence changed; sent to every socket of each of their friends.
struct FriendPresence {
  static constexpr std::string_view type_name = "friend:presence";
  std::string user_id;
  Presence presence = Presence::offline;
  friend bool operator==(const FriendPresence&, const FriendPresence&) = default;
};
// The host's connection dropped: they keep their place for the resume grace, and anyone may claim
// the room meanwhile (room:claim-host). room:host-changed ends it: a claim, the grace running out,
// or the host coming back (host_user_id unchanged).
struct HostAway {
  static constexpr std::string_view type_name = "room:host-away";
  std::string room_code;
  std::string host_user_id;
  friend bool operator==(const HostAway&, const HostAway&) = default;
};
struct HostChanged {
  static constexpr std::string_view type_name = "room:host-changed";
  std::string room_code;
  std::string host_user_id;
  std::optional<std::string> previous_host_user_id;
  friend bool operator==(const HostChanged&, const HostChanged&) = default;
};
struct SettingsChanged {
  static constexpr std::string_view type_name = "room:settings-changed";
  std::string room_code;
  bool is_locked = false;
  RoomSettings settings;
  friend bool operator==(const SettingsChanged&, const SettingsChanged&) = default;
};
// A 1:1 call's room is an ordinary room now: anyone with the code may come, up to
// max_participants, and the one who opened it up is its host.
struct RoomGrown {
  static constexpr std::string_view type_name = "room:grown";
  std::string room_code;
  std::string host_user_id;
  int max_participants = 0;
  friend bool operator==(const RoomGrown&, const RoomGrown&) = default;
};
// To the one who sent room:invite: these friends were invited (those already here are left out).
struct InvitesSent {
  static constexpr std::string_view type_name = "room:invites-sent";
  std::vector<client::Invitee> friends;
  friend bool operator==(const InvitesSent&, const InvitesSent&) = default;
};
// To every socket of an invited friend, wherever they are: a live invite card (Join / Dismiss).
struct InviteReceived {
  static constexpr std::string_view type_name = "invite:received";
  std::string invite_id;
  std::string room_code;
  std::string room_name;
  std::string from_user_id;
  std::string from_display_name;
  std::int64_t sent_at = 0;
  friend bool operator==(const InviteReceived&, const InviteReceived&) = default;
};
// To every socket of the invited: that invite is over (dismissed, used to join, or sent again).
struct InviteGone {
  static constexpr std::string_view type_name = "invite:gone";
  std::string invite_id;
  friend bool operator==(const InviteGone&, const InviteGone&) = default;
};
// A booked meeting's room closes at `at` (ms since the epoch): sent a few minutes before, and to
// whoever joins after that (authority/room_authority.h, MeetingTimes).
struct RoomEnding {
  static constexpr std::string_view type_name = "room:ending";
  std::string room_code;
  std::int64_t at = 0;
  std::string reason;  // "meeting_over"
  friend bool operator==(const RoomEnding&, const RoomEnding&) = default;
};

struct RoomClosed {
  static constexpr std::string_view type_name = "room:closed";
  std::string room_code;
  std::string reason;  // a token such as "ended_by_host", "expired", "deleted" (id characters)
  friend bool operator==(const RoomClosed&, const RoomClosed&) = default;
};
struct SignalOffer {
  static constexpr std::string_view type_name = "signal:offer";
  std::string from;  // peer_id
  std::string sdp;
  // Numbers this link's offers (1, 2, …); the answer names the one it answers. An offer may be sent
  // twice (room/peer_link.h), and an answer to the first copy must not be taken for a later offer.
  std::optional<int> offer_id;
  friend bool operator==(const SignalOffer&, const SignalOffer&) = default;
};
struct SignalAnswer {
  static constexpr std::string_view type_name = "signal:answer";
  std::string from;  // peer_id
  std::string sdp;
  std::optional<int> offer_id;  // the offer this answers (SignalOffer::offer_id)
  friend bool operator==(const SignalAnswer&, const SignalAnswer&) = default;
};
struct SignalIce {
  static constexpr std::string_view type_name = "signal:ice";
  std::string from;  // peer_id
  IceCandidate candidate;
  friend bool operator==(const SignalIce&, const SignalIce&) = default;
};
struct WhiteboardOps {
  static constexpr std::string_view type_name = "wb:ops";
  std::string from;  // peer_id
  std::vector<nlohmann::json> ops;
  friend bool operator==(const WhiteboardOps&, const WhiteboardOps&) = default;
};
struct WhiteboardCursor {
  static constexpr std::string_view type_name = "wb:cursor";
  std::string from;  // peer_id
  int x = 0;
  int y = 0;
  bool laser = false;
  friend bool operator==(const WhiteboardCursor&, const WhiteboardCursor&) = default;
};
// Code editor updates: one as someone sent it, or a joiner's history in pages (from "server").
struct CodeUpdates {
  static constexpr std::string_view type_name = "code:update";
  std::string from;  // peer_id, or "server" for the stored history
  std::vector<std::string> updates;  // base64 Yjs updates, oldest first
  friend bool operator==(const CodeUpdates&, const CodeUpdates&) = default;
};
struct CodeCursor {
  static constexpr std::string_view type_name = "code:cursor";
  std::string from;  // peer_id
  std::string state;
  friend bool operator==(const CodeCursor&, const CodeCursor&) = default;
};
// The room asks this member for the code's whole state, to replace its first `upto` stored updates
// (authority/code_rules.h: compaction). Their page answers with PUT /api/rooms/CODE/code-state.
struct CodeCompact {
  static constexpr std::string_view type_name = "code:compact";
  std::int64_t upto = 0;
  friend bool operator==(const CodeCompact&, const CodeCompact&) = default;
};
// A run of the room's code has started: the page whose peer it names runs it; everyone shows it.
// Sent to a joiner as well while it goes on.
struct CodeRunning {
  static constexpr std::string_view type_name = "code:running";
  std::string run_id;
  std::string by;            // the runner's peer_id
  std::string display_name;  // the runner's name
  std::string file;
  std::string language;
  std::int64_t limit_ms = 0;  // the runner's page stops it after this long
  std::int64_t started_at = 0;
  friend bool operator==(const CodeRunning&, const CodeRunning&) = default;
};
// A run has ended, for everyone (and the last one for a joiner).
struct CodeOutput {
  static constexpr std::string_view type_name = "code:output";
  std::string run_id;
  std::string by;
  std::string display_name;
  std::string file;
  std::string language;
  std::int64_t started_at = 0;
  RunResult result;
  friend bool operator==(const CodeOutput&, const CodeOutput&) = default;
};
struct CallIncoming {
  static constexpr std::string_view type_name = "call:incoming";
  std::string call_id;
  std::string from_user_id;
  std::string display_name;
  bool video = false;  // the caller asked for a video call
  // To one of the callee's ringing tabs only: the call's room, to wait in while it rings (held back,
  // authority/call_rules.h), so that answering only has to start the media.
  std::optional<std::string> room_code;
  friend bool operator==(const CallIncoming&, const CallIncoming&) = default;
};
// To the caller once the callee's phone rings: the room the call's media will meet in (the caller
// goes in at once, so its camera and ICE are ready when the callee answers).
struct CallRinging {
  static constexpr std::string_view type_name = "call:ringing";
  std::string call_id;
  std::string room_code;
  friend bool operator==(const CallRinging&, const CallRinging&) = default;
};
// To both ends of a call whose room grew into an ordinary room (room:grow): the call is over as a
// call, and both stay in the room.
struct CallMoved {
  static constexpr std::string_view type_name = "call:moved";
  std::string call_id;
  std::string room_code;
  friend bool operator==(const CallMoved&, const CallMoved&) = default;
};
// To the caller and to the callee's tab that answered: meet in this room.
struct CallAccepted {
  static constexpr std::string_view type_name = "call:accepted";
  std::string call_id;
  std::string room_code;
  friend bool operator==(const CallAccepted&, const CallAccepted&) = default;
};
struct CallRejected {
  static constexpr std::string_view type_name = "call:rejected";
  std::string call_id;
  friend bool operator==(const CallRejected&, const CallRejected&) = default;
};
struct CallCancelled {
  static constexpr std::string_view type_name = "call:cancelled";
  std::string call_id;
  bool elsewhere = false;  // to the callee's other tabs: the call was answered or declined on another
  friend bool operator==(const CallCancelled&, const CallCancelled&) = default;
};
struct CallBusy {
  static constexpr std::string_view type_name = "call:busy";
  std::string call_id;
  friend bool operator==(const CallBusy&, const CallBusy&) = default;
};
struct CallTimeout {
  static constexpr std::string_view type_name = "call:timeout";
  std::string call_id;
  friend bool operator==(const CallTimeout&, const CallTimeout&) = default;
};
struct Pong {
  static constexpr std::string_view type_name = "pong";
  friend bool operator==(const Pong&, const Pong&) = default;
};
// The answer to a request that failed, or a failure of the connection itself (no ref).
struct ErrorReply {
  static constexpr std::string_view type_name = "error";
  ErrorCode code = ErrorCode::bad_request;
  std::string message;
  std::optional<RequestId> ref;  // the failed request's id
  std::optional<int> retry_after;  // rate_limited: seconds until the same request may succeed
  friend bool operator==(const ErrorReply&, const ErrorReply&) = default;
};

}  // namespace server

using ServerMessage =
    std::variant<server::Hello, server::IceServers, server::Ack, server::RoomJoined, server::ParticipantJoined,
                 server::ParticipantLeft, server::ParticipantUpdated, server::HostAction, server::Reaction, server::Reported, server::ReportTaken, server::Waiting, server::Knock, server::HostAway,
                 server::HostChanged, server::FriendUpdate, server::FriendPresence,
                 server::SettingsChanged, server::RoomEnding, server::RoomClosed, server::SignalOffer, server::SignalAnswer,
                 server::SignalIce, server::ChatMessage, server::WhiteboardOps, server::WhiteboardCursor, server::CodeUpdates,
                 server::CodeCursor, server::CodeCompact, server::CodeRunning, server::CodeOutput, server::CallIncoming,
                 server::CallRinging, server::CallAccepted, server::CallMoved, server::RoomGrown, server::InvitesSent,
                 server::InviteReceived, server::InviteGone, server::RecordingState, server::CallRejected, server::CallCancelled, server::CallBusy,
                 server::CallTimeout, server::Pong, server::ErrorReply>;

// The wire "type" of a message: "chat:send", "room:joined"...
inline std::string_view type_name(const ClientMessage& message) {
  return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::type_name; }, message);
}
inline std::string_view type_name(const ServerMessage& message) {
  return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::type_name; }, message);
}

}  // namespace mehfil::protocol
