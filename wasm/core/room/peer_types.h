// The vocabulary between one PeerLink and the RTCPeerConnection that js-glue (or the simulation's
// FakePeerConnection) runs for it: the commands a link asks for and the events that come back.
//
// Why operation ids: RTCPeerConnection runs createOffer, createAnswer, setLocalDescription,
// setRemoteDescription and addIceCandidate one after another on its own operations chain, in the
// order they were called. The executor calls them in command order and reports each outcome with
// the command's `op`, so the link can tell the result of an offer it has since abandoned (after a
// rollback on glare, say) from the result of the one it is waiting for, without guessing.
//
// Every command names its peer, so a room's commands can be executed from one flat list.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/messages.h"
#include "room/bitrate.h"

namespace mehfil::room {

using OpId = std::uint64_t;

enum class SdpType { offer, answer, rollback };
enum class SignalingState { stable, have_local_offer, have_remote_offer, closed };
enum class ConnectionState { fresh, connecting, connected, disconnected, failed, closed };  // fresh = "new"

std::string_view to_string(SdpType type);
std::string_view to_string(SignalingState state);
std::string_view to_string(ConnectionState state);

// ---------------------------------------------------------------------------------------------
// commands (link → executor)

// new RTCPeerConnection for this peer, local tracks added. `polite` is informational for the UI/stats.
// `offers_first`: this end makes the link's first offer, so with no local tracks yet it adds
// receive-only audio and video transceivers, and the offer goes out at once instead of waiting for
// the camera (addTrack later reuses those transceivers).
struct CreatePeer {
  std::string peer_id;
  bool polite = false;
  bool offers_first = true;
  std::vector<protocol::IceServer> ice_servers;  // RTCConfiguration.iceServers
  bool relay_only = false;                       // RTCConfiguration.iceTransportPolicy "relay"
};
struct CreateOffer {
  std::string peer_id;
  OpId op = 0;
};
struct CreateAnswer {
  std::string peer_id;
  OpId op = 0;
};
struct SetLocalDescription {
  std::string peer_id;
  OpId op = 0;
  SdpType type = SdpType::offer;
  std::string sdp;  // empty for a rollback
};
struct SetRemoteDescription {
  std::string peer_id;
  OpId op = 0;
  SdpType type = SdpType::offer;
  std::string sdp;
};
struct AddIceCandidate {
  std::string peer_id;
  OpId op = 0;
  protocol::IceCandidate candidate;
};
// pc.restartIce(): the next offer carries new ICE credentials; negotiationneeded follows.
struct RestartIce {
  std::string peer_id;
};
// pc.setConfiguration with iceTransportPolicy "relay": from the next gathering (an ICE restart, ours
// or the other end's) only TURN relay candidates are used. The link's second try after the direct
// paths failed (PeerLink, "can't connect").
struct UseRelayOnly {
  std::string peer_id;
};
// pc.setConfiguration with new iceServers (fresh TURN credentials): used from the next gathering.
struct SetIceServers {
  std::string peer_id;
  std::vector<protocol::IceServer> ice_servers;
};
struct ClosePeer {
  std::string peer_id;
};
// Send this signal (client::SignalOffer, SignalAnswer or SignalIce) through the room's WebSocket.
struct SendSignal {
  protocol::ClientMessage message;
};
// RTCRtpSender.setParameters on every sender to this peer: the bitrate cap on all, and the camera's
// resolution and frame rate (room/bitrate.h).
struct SetSendCap {
  std::string peer_id;
  SendCap cap;
};
// Send this peer no media for now (`held`), or send it again: the senders keep their place in the
// negotiated session and only their tracks come and go (RTCRtpSender.replaceTrack), so neither way
// renegotiates. A 1:1 call's callee is held while their phone rings (Participant::ringing).
struct HoldMedia {
  std::string peer_id;
  bool held = false;
};
// Call back with a Tick at or after `at_ms`. A later timer with the same key replaces an earlier one;
// a spurious Tick is harmless, every deadline is checked against `now_ms`.
struct ScheduleTimer {
  std::string key;
  std::int64_t at_ms = 0;
};

using PeerCommand = std::variant<CreatePeer, CreateOffer, CreateAnswer, SetLocalDescription, SetRemoteDescription,
                                 AddIceCandidate, RestartIce, UseRelayOnly, SetIceServers, ClosePeer, SendSignal,
                                 SetSendCap, ScheduleTimer>;

// ---------------------------------------------------------------------------------------------
// events (executor → link)

struct NegotiationNeeded {};
struct DescriptionCreated {  // createOffer / createAnswer resolved
  OpId op = 0;
  SdpType type = SdpType::offer;
  std::string sdp;
};
struct LocalDescriptionSet {
  OpId op = 0;
};
struct RemoteDescriptionSet {
  OpId op = 0;
};
struct IceCandidateAdded {
  OpId op = 0;
};
// Any operation's promise rejected. Expected now and then (a stale answer, a candidate of an old ICE
// generation); the link recovers and never treats it as fatal.
struct OperationFailed {
  OpId op = 0;
  std::string error;
};
struct IceCandidateGathered {
  protocol::IceCandidate candidate;
};
// What the server relayed from this peer.
struct RemoteOffer {
  std::string sdp;
  std::optional<int> offer_id;  // echoed in our answer
};
struct RemoteAnswer {
  std::string sdp;
  std::optional<int> offer_id;  // which of our offers it answers; one that is not ours now is stale
};
struct RemoteIce {
  protocol::IceCandidate candidate;
};
struct ConnectionStateChanged {
  ConnectionState state = ConnectionState::fresh;
};
struct SignalingStateChanged {
  SignalingState state = SignalingState::stable;
};
// A timer fired (or any tick of the caller's loop); `now_ms` comes with every event anyway.
struct Tick {};

using PeerEvent = std::variant<NegotiationNeeded, DescriptionCreated, LocalDescriptionSet, RemoteDescriptionSet,
                               IceCandidateAdded, OperationFailed, IceCandidateGathered, RemoteOffer, RemoteAnswer,
                               RemoteIce, ConnectionStateChanged, SignalingStateChanged, Tick>;

}  // namespace mehfil::room
