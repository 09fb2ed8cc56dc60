// Helpers shared by the protocol tests: one filled-in example of every message type, so a test that
// walks them all covers a new message the day it is added (the count is checked against the variants).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/codec.h"
#include "protocol/messages.h"

namespace protocol_test {

using namespace mehfil::protocol;

inline const std::string kSdp =
    "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n";

inline Participant amira() { return {"u_amira", "p-amira-1", "Amira", true, false, true, true, false}; }
inline Participant jose() { return {"u_jose", "p-jose-1", "José Ñúñez 🎤", false, true, true, false, true, false, 1718000000456}; }

inline server::ChatMessage chat_line() {
  return {"m42", "u_jose", "José", "salaam — ¿qué tal? \"quoted\" \\ and\nnewline", 1718000000123, "c-7f3a"};
}

inline std::vector<ClientMessage> every_client_message() {
  return {
      client::JoinRoom{"Ab3kP9xz", "s3cret pass", "tok.en-123", "Amira"},
      client::LeaveRoom{},
      client::HostMute{"u_jose"},
      client::HostKick{"u_jose"},
      client::HostTransfer{"u_jose"},
      client::MakeCohost{"u_jose"},
      client::ClaimHost{},
      client::LockRoom{true},
      client::ChangeSettings{{true, true, false, true}},
      client::EndRoom{},
      client::MediaState{true, false, true},
      client::SignalOffer{"p-jose-1", kSdp},
      client::SignalAnswer{"p-jose-1", kSdp},
      client::SignalIce{"p-jose-1", {"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host", "0", 0}},
      client::ChatSend{"hello 👋 everyone", "c-7f3a"},
      client::WhiteboardOps{{nlohmann::json{{"op", "stroke"}, {"points", {1.5, 2, -3}}, {"color", "#ff0000"}},
                             nlohmann::json{{"op", "erase"}, {"ids", {"s1", "s2"}}}}},
      client::WhiteboardCursor{120, -40, true},
      client::CodeUpdate{"AQIDBA=="},
      client::CodeCursor{"AAEC"},
      client::CodeRun{"main.py", "python"},
      client::CodeOutput{"run-1000-1", RunResult{"error", {OutputChunk{"stdout", "45\n"}, OutputChunk{"stderr", "<img src=x onerror=alert(1)>\n"}},
                                                  "ZeroDivisionError: division by zero", 3, 12}},
      client::CallRing{"u_jose", "call-1", true},
      client::CallAccept{"call-1"},
      client::CallReject{"call-1"},
      client::CallCancel{"call-1"},
      client::GrowRoom{},
      client::InviteFriends{{{"u_ben"}, {"u_cara"}}},
      client::DismissInvite{"i_Xq2"},
      client::StartRecording{1080},
      client::PauseRecording{},
      client::ResumeRecording{},
      client::StopRecording{},
      client::RaiseHand{false, "u_jose"},
      client::SendReaction{"\U0001F44F"},
      client::MuteAll{},
      client::Admit{"u_jose"},
      client::Deny{"u_jose"},
      client::Report{"u_jose", "spam", "Posted the same link \u00d7 20", "m-17"},
      client::Ping{},
  };
}

inline std::vector<ServerMessage> every_server_message() {
  const RoomSettings settings{true, true, true, false, false, false, true};
  return {
      server::Hello{1, 1718000000000, {{"stun:stun.example.org:3478", std::nullopt, std::nullopt},
                                       {"turn:turn.example.org:3478?transport=udp", "1718086400:u_ana", "RiKLK0ylTtIZCla3PoY+/P/GysM="}}},
      server::IceServers{{{"turn:turn.example.org:3478?transport=udp", "1718172800:u_ana", "5Zl1bMS7Yq8e2S0y4iJbN2yJm3s="}}},
      server::Ack{RequestId{"req-1"}},
      server::RoomJoined{{"u_amira", "p-amira-1", "Amira", true, 1718000000789},
                         {"Ab3kP9xz", "Friday standup", "u_amira", 10, false, settings, true},
                         {amira(), jose()},
                         "resume.token-abc"},
      server::ParticipantJoined{"Ab3kP9xz", jose(), 2},
      server::ParticipantLeft{"Ab3kP9xz", "u_jose", "p-jose-1", 1},
      server::ParticipantUpdated{"Ab3kP9xz", jose()},
      server::HostAction{server::HostActionKind::kick, "u_jose", "u_amira"},
      server::Reaction{"Ab3kP9xz", "u_jose", "p-jose-1", "\u2764\uFE0F"},
      server::Reported{"Ab3kP9xz", "u_jose", "José", "harassment"},
      server::ReportTaken{"Ab3kP9xz", "u_jose"},
      server::Waiting{"Ab3kP9xz", "Friday standup"},
      server::Knock{"Ab3kP9xz", {{"u_jose", "José", 1718000000456}, {"u_ben", "Ben", 1718000000789}}},
      server::HostAway{"Ab3kP9xz", "u_amira"},
      server::HostChanged{"Ab3kP9xz", "u_jose", "u_amira"},
      server::FriendUpdate{"u_jose", "José", true},
      server::FriendPresence{"u_jose", server::Presence::in_call},
      server::SettingsChanged{"Ab3kP9xz", true, settings},
      server::RoomEnding{"Ab3kP9xz", 1796392864128, "meeting_over"},
      server::RoomClosed{"Ab3kP9xz", "ended_by_host"},
      server::SignalOffer{"p-amira-1", kSdp},
      server::SignalAnswer{"p-amira-1", kSdp},
      server::SignalIce{"p-amira-1", {"", std::nullopt, std::nullopt}},
      chat_line(),
      server::WhiteboardOps{"p-amira-1", {nlohmann::json{{"op", "clear"}}}},
      server::WhiteboardCursor{"p-amira-1", 120, -40, false},
      server::CodeUpdates{"p-amira-1", {"AQIDBA==", "BQY="}},
      server::CodeCursor{"p-amira-1", "AAEC"},
      server::CodeCompact{500},
      server::CodeRunning{"run-1000-1", "p-amira-1", "Amira", "main.py", "python", 5000, 1700000000000},
      server::CodeOutput{"run-1000-1", "p-amira-1", "Amira", "main.py", "python", 1700000000000,
                         RunResult{"ok", {OutputChunk{"stdout", "45\n"}}, std::nullopt, std::nullopt, 12}},
      server::CallIncoming{"call-1", "u_amira", "Amira", true},
      server::CallRinging{"call-1", "Cq4Rt7Wm"},
      server::CallAccepted{"call-1", "Cq4Rt7Wm"},
      server::CallMoved{"call-1", "Cq4Rt7Wm"},
      server::RoomGrown{"Cq4Rt7Wm", "u_amira", 10},
      server::InvitesSent{{{"u_ben"}}},
      server::InviteReceived{"i_Xq2", "Cq4Rt7Wm", "Study group", "u_amira", "Amira", 1767225600000},
      server::InviteGone{"i_Xq2"},
      server::RecordingState{"Cq4Rt7Wm", "Cq4Rt7Wm-1767225600000", "recording", "u_amira", 1767225600000, 1080},
      server::CallRejected{"call-1"},
      server::CallCancelled{"call-1", true},
      server::CallBusy{"call-1"},
      server::CallTimeout{"call-1"},
      server::Pong{},
      server::ErrorReply{ErrorCode::room_full, "the room is full (10 of 10)", RequestId{std::int64_t{7}}},
  };
}

}  // namespace protocol_test
