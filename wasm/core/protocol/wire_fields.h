// Internal to the codec: the wire fields of every message and nested struct, in one list.
//
// Each `fields(f, m)` names a struct's fields, their JSON names and their rules once; the same list
// drives reading (JsonReader, which checks types and rules) and writing (JsonWriter), so the two
// can never disagree about a name. `M` is the struct, const when writing.
//
// The key order on the wire does not follow this list: nlohmann::json keeps object keys sorted,
// which is what makes encoding canonical.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "protocol/messages.h"
#include "protocol/validation.h"

namespace mehfil::protocol::wire {

template <class M, class... Structs>
concept one_of = (std::same_as<std::remove_const_t<M>, Structs> || ...);

inline constexpr std::int64_t kRoomSize = kMaxRoomSize;
inline constexpr std::int64_t kLatestTime = std::numeric_limits<std::int64_t>::max();

// --- nested structs ---

template <class F, class M>
  requires one_of<M, RoomSettings>
void fields(F& f, M& m) {
  f.flag("video", m.video);
  f.flag("audio", m.audio);
  f.flag("screenshare", m.screenshare);
  f.flag("chat", m.chat);
  f.flag_or("record_automatically", m.record_automatically, false);
  f.flag_or("code_run_hosts_only", m.code_run_hosts_only, false);
  f.flag_or("waiting_room", m.waiting_room, false);
}

template <class F, class M>
  requires one_of<M, OutputChunk>
void fields(F& f, M& m) {
  f.text("stream", m.stream, TextRule::id);
  f.text("text", m.text, TextRule::program_output);
}

// RunResult's fields sit in code:output itself, beside its run_id.
template <class F, class M>
  requires one_of<M, RunResult>
void result_fields(F& f, M& m) {
  f.text("status", m.status, TextRule::id);
  f.objects("output", m.output, kMaxRunOutputChunks);
  f.text("error", m.error, TextRule::program_output);
  f.integer("error_line", m.error_line, 1, 10000000);
  f.integer("duration_ms", m.duration_ms, 0, 86400000);
}


template <class F, class M>
  requires one_of<M, server::ChatFile>
void fields(F& f, M& m) {
  f.text("file_id", m.file_id, TextRule::id);
  f.text("name", m.name, TextRule::upload_name);
  f.integer("size", m.size, 1, kLatestTime);
  f.text("content_type", m.content_type, TextRule::content_type);
  f.flag("image", m.image);
  f.integer("width", m.width, 0, 100000);
  f.integer("height", m.height, 0, 100000);
}

template <class F, class M>
  requires one_of<M, IceCandidate>
void fields(F& f, M& m) {
  f.text("candidate", m.candidate, TextRule::candidate);
  f.text("sdp_mid", m.sdp_mid, TextRule::sdp_mid);
  f.integer("sdp_mline_index", m.sdp_mline_index, 0, 65535);
}

template <class F, class M>
  requires one_of<M, IceServer>
void fields(F& f, M& m) {
  f.text("urls", m.urls, TextRule::ice_url);
  f.text("username", m.username, TextRule::ice_secret);
  f.text("credential", m.credential, TextRule::ice_secret);
}

template <class F, class M>
  requires one_of<M, Participant>
void fields(F& f, M& m) {
  f.text("user_id", m.user_id, TextRule::id);
  f.text("peer_id", m.peer_id, TextRule::id);
  f.text("display_name", m.display_name, TextRule::display_name);
  f.flag("is_host", m.is_host);
  f.flag("is_cohost", m.is_cohost);
  f.flag("audio", m.audio);
  f.flag("video", m.video);
  f.flag("screen", m.screen);
  f.flag_if("ringing", m.ringing);
  f.integer("hand_raised_at", m.hand_raised_at, 0, kLatestTime);
}

template <class F, class M>
  requires one_of<M, server::Self>
void fields(F& f, M& m) {
  f.text("user_id", m.user_id, TextRule::id);
  f.text("peer_id", m.peer_id, TextRule::id);
  f.text("display_name", m.display_name, TextRule::display_name);
  f.flag("is_host", m.is_host);
  f.integer("hand_raised_at", m.hand_raised_at, 0, kLatestTime);
}

template <class F, class M>
  requires one_of<M, server::Room>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("room_name", m.room_name, TextRule::room_name);
  f.text("host_user_id", m.host_user_id, TextRule::id);
  f.integer("max_participants", m.max_participants, 1, kRoomSize);
  f.flag("is_locked", m.is_locked);
  f.object("settings", m.settings);
  f.flag_or("is_call", m.is_call, false);
}

// --- messages without fields ---

template <class F, class M>
  requires one_of<M, client::LeaveRoom, client::EndRoom, client::ClaimHost, client::GrowRoom, client::MuteAll, client::Ping, server::Pong,
                 client::PauseRecording, client::ResumeRecording, client::StopRecording>
void fields(F&, M&) {}

template <class F, class M>
  requires one_of<M, client::StartRecording>
void fields(F& f, M& m) {
  f.integer("height", m.height, 720, 1080);
}

// --- client → server ---

template <class F, class M>
  requires one_of<M, client::JoinRoom>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("password", m.password, TextRule::password);
  f.text("resume_token", m.resume_token, TextRule::resume_token);
  f.text("display_name", m.display_name, TextRule::display_name);
}

template <class F, class M>
  requires one_of<M, client::HostMute, client::HostKick, client::HostTransfer, client::MakeCohost>
void fields(F& f, M& m) {
  f.text("target_user_id", m.target_user_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, client::RaiseHand>
void fields(F& f, M& m) {
  f.flag("raised", m.raised);
  f.text("target_user_id", m.target_user_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, client::Admit>
void fields(F& f, M& m) {
  f.text("target_user_id", m.target_user_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, client::Deny>
void fields(F& f, M& m) {
  f.text("target_user_id", m.target_user_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::Waiting>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("room_name", m.room_name, TextRule::room_name);
}

template <class F, class M>
  requires one_of<M, server::Knocker>
void fields(F& f, M& m) {
  f.text("user_id", m.user_id, TextRule::id);
  f.text("display_name", m.display_name, TextRule::display_name);
  f.integer("knocked_at", m.knocked_at, 0, kLatestTime);
}

template <class F, class M>
  requires one_of<M, server::Knock>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.objects("waiting", m.waiting, kRoomSize);
}

template <class F, class M>
  requires one_of<M, client::SendReaction>
void fields(F& f, M& m) {
  f.text("emoji", m.emoji, TextRule::reaction);
}

template <class F, class M>
  requires one_of<M, client::Report>
void fields(F& f, M& m) {
  f.text("target_user_id", m.target_user_id, TextRule::id);
  f.text("reason", m.reason, TextRule::report_reason);
  f.text("note", m.note, TextRule::report_note);
  f.text("message_id", m.message_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::Reported>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("target_user_id", m.target_user_id, TextRule::id);
  f.text("target_name", m.target_name, TextRule::display_name);
  f.text("reason", m.reason, TextRule::report_reason);
}

template <class F, class M>
  requires one_of<M, server::ReportTaken>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("target_user_id", m.target_user_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::Reaction>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("from_user_id", m.from_user_id, TextRule::id);
  f.text("peer_id", m.peer_id, TextRule::id);
  f.text("emoji", m.emoji, TextRule::reaction);
}

template <class F, class M>
  requires one_of<M, client::LockRoom>
void fields(F& f, M& m) {
  f.flag("locked", m.locked);
}

template <class F, class M>
  requires one_of<M, client::ChangeSettings>
void fields(F& f, M& m) {
  f.object("settings", m.settings);
}

template <class F, class M>
  requires one_of<M, client::MediaState>
void fields(F& f, M& m) {
  f.flag("audio", m.audio);
  f.flag("video", m.video);
  f.flag("screen", m.screen);
}

template <class F, class M>
  requires one_of<M, client::SignalOffer, client::SignalAnswer>
void fields(F& f, M& m) {
  f.text("to", m.to, TextRule::id);
  f.text("sdp", m.sdp, TextRule::sdp);
  f.integer("offer_id", m.offer_id, 1, std::numeric_limits<int>::max());
}

template <class F, class M>
  requires one_of<M, client::SignalIce>
void fields(F& f, M& m) {
  f.text("to", m.to, TextRule::id);
  f.object("candidate", m.candidate);
}

template <class F, class M>
  requires one_of<M, client::ChatSend>
void fields(F& f, M& m) {
  f.text("text", m.text, TextRule::chat_text);
  f.text("client_msg_id", m.client_msg_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, client::WhiteboardOps>
void fields(F& f, M& m) {
  f.opaque_objects("ops", m.ops, kMaxWhiteboardOps);
}

template <class F, class M>
  requires one_of<M, client::WhiteboardCursor>
void fields(F& f, M& m) {
  f.integer("x", m.x, -1000000, 1000000);
  f.integer("y", m.y, -1000000, 1000000);
  f.flag("laser", m.laser);
}

template <class F, class M>
  requires one_of<M, server::WhiteboardCursor>
void fields(F& f, M& m) {
  f.text("from", m.from, TextRule::id);
  f.integer("x", m.x, -1000000, 1000000);
  f.integer("y", m.y, -1000000, 1000000);
  f.flag("laser", m.laser);
}

template <class F, class M>
  requires one_of<M, client::Invitee>
void fields(F& f, M& m) {
  f.text("user_id", m.user_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, client::InviteFriends, server::InvitesSent>
void fields(F& f, M& m) {
  f.objects("friends", m.friends, kMaxInvitees);
}

template <class F, class M>
  requires one_of<M, client::CodeUpdate>
void fields(F& f, M& m) {
  f.text("update", m.update, TextRule::code_update);
}

template <class F, class M>
  requires one_of<M, server::CodeUpdates>
void fields(F& f, M& m) {
  f.text("from", m.from, TextRule::id);
  f.texts("updates", m.updates, TextRule::code_state, kMaxCodeUpdatesPerFrame);  // a compacted state among them
}

template <class F, class M>
  requires one_of<M, client::CodeCursor>
void fields(F& f, M& m) {
  f.text("state", m.state, TextRule::code_cursor);
}

template <class F, class M>
  requires one_of<M, server::CodeCursor>
void fields(F& f, M& m) {
  f.text("from", m.from, TextRule::id);
  f.text("state", m.state, TextRule::code_cursor);
}

template <class F, class M>
  requires one_of<M, client::CodeRun>
void fields(F& f, M& m) {
  f.text("file", m.file, TextRule::file_name);
  f.text("language", m.language, TextRule::id);
}

template <class F, class M>
  requires one_of<M, client::CodeOutput>
void fields(F& f, M& m) {
  f.text("run_id", m.run_id, TextRule::id);
  result_fields(f, m.result);
}

template <class F, class M>
  requires one_of<M, server::CodeCompact>
void fields(F& f, M& m) {
  f.integer("upto", m.upto, 1, 1000000000);
}

template <class F, class M>
  requires one_of<M, server::CodeRunning>
void fields(F& f, M& m) {
  f.text("run_id", m.run_id, TextRule::id);
  f.text("by", m.by, TextRule::id);
  f.text("display_name", m.display_name, TextRule::display_name);
  f.text("file", m.file, TextRule::file_name);
  f.text("language", m.language, TextRule::id);
  f.integer("limit_ms", m.limit_ms, 1, 3600000);
  f.integer("started_at", m.started_at, 0, kLatestTime);
}

template <class F, class M>
  requires one_of<M, server::CodeOutput>
void fields(F& f, M& m) {
  f.text("run_id", m.run_id, TextRule::id);
  f.text("by", m.by, TextRule::id);
  f.text("display_name", m.display_name, TextRule::display_name);
  f.text("file", m.file, TextRule::file_name);
  f.text("language", m.language, TextRule::id);
  f.integer("started_at", m.started_at, 0, kLatestTime);
  result_fields(f, m.result);
}

template <class F, class M>
  requires one_of<M, client::DismissInvite, server::InviteGone>
void fields(F& f, M& m) {
  f.text("invite_id", m.invite_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::RecordingState>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("recording_id", m.recording_id, TextRule::id);
  f.text("state", m.state, TextRule::id);
  f.text("recorder_user_id", m.recorder_user_id, TextRule::id);
  f.integer("started_at", m.started_at, 0, kLatestTime);
  f.integer("height", m.height, 720, 1080);
}

template <class F, class M>
  requires one_of<M, server::InviteReceived>
void fields(F& f, M& m) {
  f.text("invite_id", m.invite_id, TextRule::id);
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("room_name", m.room_name, TextRule::room_name);
  f.text("from_user_id", m.from_user_id, TextRule::id);
  f.text("from_display_name", m.from_display_name, TextRule::display_name);
  f.integer("sent_at", m.sent_at, 0, kLatestTime);
}

template <class F, class M>
  requires one_of<M, client::CallRing>
void fields(F& f, M& m) {
  f.text("to_user_id", m.to_user_id, TextRule::id);
  f.text("call_id", m.call_id, TextRule::id);
  f.flag_or("video", m.video, false);
}

template <class F, class M>
  requires one_of<M, client::CallAccept, client::CallReject, client::CallCancel,
                  server::CallRejected, server::CallBusy, server::CallTimeout>
void fields(F& f, M& m) {
  f.text("call_id", m.call_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::CallCancelled>
void fields(F& f, M& m) {
  f.text("call_id", m.call_id, TextRule::id);
  f.flag_or("elsewhere", m.elsewhere, false);
}

// --- server → client ---

template <class F, class M>
  requires one_of<M, server::CallRinging, server::CallAccepted, server::CallMoved>
void fields(F& f, M& m) {
  f.text("call_id", m.call_id, TextRule::id);
  f.text("room_code", m.room_code, TextRule::room_code);
}

template <class F, class M>
  requires one_of<M, server::Hello>
void fields(F& f, M& m) {
  f.integer("protocol_version", m.protocol_version, 1, 65535);
  f.integer("server_time", m.server_time, 0, kLatestTime);
  f.objects("ice_servers", m.ice_servers, kMaxIceServers);
}

template <class F, class M>
  requires one_of<M, server::IceServers>
void fields(F& f, M& m) {
  f.objects("ice_servers", m.ice_servers, kMaxIceServers);
}

template <class F, class M>
  requires one_of<M, server::Ack>
void fields(F& f, M& m) {
  f.request_id("id", m.id);
}

template <class F, class M>
  requires one_of<M, server::ChatMessage>
void fields(F& f, M& m) {
  f.object("file", m.file);  // first: a message with a file may have no text
  f.text("id", m.id, TextRule::id);
  f.text("from_user_id", m.from_user_id, TextRule::id);
  f.text("display_name", m.display_name, TextRule::display_name);
  f.text("text", m.text, m.file ? TextRule::chat_caption : TextRule::chat_text);
  f.integer("sent_at", m.sent_at, 0, kLatestTime);
  f.text("client_msg_id", m.client_msg_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::RoomJoined>
void fields(F& f, M& m) {
  f.object("self", m.self);
  f.object("room", m.room);
  f.objects("participants", m.participants, kMaxRoomSize);
  f.text("resume_token", m.resume_token, TextRule::resume_token);
  f.object("recording", m.recording);
}

template <class F, class M>
  requires one_of<M, server::ParticipantJoined>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.object("user", m.user);
  f.integer("participant_count", m.participant_count, 0, kRoomSize);
}

template <class F, class M>
  requires one_of<M, server::ParticipantLeft>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("user_id", m.user_id, TextRule::id);
  f.text("peer_id", m.peer_id, TextRule::id);
  f.integer("participant_count", m.participant_count, 0, kRoomSize);
}

template <class F, class M>
  requires one_of<M, server::ParticipantUpdated>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.object("user", m.user);
}

template <class F, class M>
  requires one_of<M, server::HostAction>
void fields(F& f, M& m) {
  f.choice("action", m.action);
  f.text("target_user_id", m.target_user_id, TextRule::id);
  f.text("by", m.by, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::FriendPresence>
void fields(F& f, M& m) {
  f.text("user_id", m.user_id, TextRule::id);
  f.choice("presence", m.presence);
}

template <class F, class M>
  requires one_of<M, server::FriendUpdate>
void fields(F& f, M& m) {
  f.text("user_id", m.user_id, TextRule::id);
  f.text("display_name", m.display_name, TextRule::display_name);
  f.flag("friends", m.friends);
}

template <class F, class M>
  requires one_of<M, server::HostAway>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("host_user_id", m.host_user_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::HostChanged>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("host_user_id", m.host_user_id, TextRule::id);
  f.text("previous_host_user_id", m.previous_host_user_id, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::SettingsChanged>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.flag("is_locked", m.is_locked);
  f.object("settings", m.settings);
}

template <class F, class M>
  requires one_of<M, server::RoomGrown>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("host_user_id", m.host_user_id, TextRule::id);
  f.integer("max_participants", m.max_participants, 1, kRoomSize);
}

template <class F, class M>
  requires one_of<M, server::RoomEnding>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.integer("at", m.at, 0, 9007199254740991);  // a JS number holds it exactly
  f.text("reason", m.reason, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::RoomClosed>
void fields(F& f, M& m) {
  f.text("room_code", m.room_code, TextRule::room_code);
  f.text("reason", m.reason, TextRule::id);
}

template <class F, class M>
  requires one_of<M, server::SignalOffer, server::SignalAnswer>
void fields(F& f, M& m) {
  f.text("from", m.from, TextRule::id);
  f.text("sdp", m.sdp, TextRule::sdp);
  f.integer("offer_id", m.offer_id, 1, std::numeric_limits<int>::max());
}

template <class F, class M>
  requires one_of<M, server::SignalIce>
void fields(F& f, M& m) {
  f.text("from", m.from, TextRule::id);
  f.object("candidate", m.candidate);
}

template <class F, class M>
  requires one_of<M, server::WhiteboardOps>
void fields(F& f, M& m) {
  f.text("from", m.from, TextRule::id);
  f.opaque_objects("ops", m.ops, kMaxWhiteboardOps);
}

template <class F, class M>
  requires one_of<M, server::CallIncoming>
void fields(F& f, M& m) {
  f.text("call_id", m.call_id, TextRule::id);
  f.text("from_user_id", m.from_user_id, TextRule::id);
  f.text("display_name", m.display_name, TextRule::display_name);
  f.flag_or("video", m.video, false);
  f.text("room_code", m.room_code, TextRule::room_code);
}

template <class F, class M>
  requires one_of<M, server::ErrorReply>
void fields(F& f, M& m) {
  f.choice("code", m.code);
  f.text("message", m.message, TextRule::error_message);
  f.request_id("ref", m.ref);
  f.integer("retry_after", m.retry_after, 1, 86400);
}

}  // namespace mehfil::protocol::wire
