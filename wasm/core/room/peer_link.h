// PeerLink: one remote peer's WebRTC negotiation, as a state machine that never touches WebRTC.
//
// It implements the "perfect negotiation" pattern (W3C webrtc-pc §10.7): both ends add their tracks
// and may offer at any time; when offers cross ("glare") the polite end rolls its own offer back and
// answers, the impolite end ignores the incoming offer and waits for the answer to its own. Which end
// is polite is decided once, by peer id: the lower id is polite. Nothing in here needs the two ends
// to agree on who offers first, so it survives reordering, loss and reconnects of the signaling path.
//
// Who offers first: the one who joins. A member already in the room opens its link to a newcomer
// with `remote_offers_first`, and holds its own negotiationneeded until the newcomer's offer arrives
// (its tracks then ride in the answer) or kFirstOfferWaitMs pass (then it offers itself). Without
// that, both ends offer at the same moment on every join, and the polite end's rollback and second
// round trip sit on the path to the first frame. It is only a head start: glare is still handled.
//
// Beyond the textbook pattern, because signaling here can lose messages (a WebSocket that drops):
//  - remote ICE candidates wait in a queue until a remote description is in place;
//  - an offer that stays unanswered for kOfferTimeoutMs is sent again, the very same description,
//    and again after twice as long, up to kMaxOfferRetryMs (the offer or its answer was lost, or the
//    other end is just slow). It is never rolled back and made anew: the other end may already have
//    answered it, and Chrome then refuses every later offer whose m-lines were numbered afresh ("the
//    order of m-lines in subsequent offer doesn't match"), so the two would never connect. Offers
//    are numbered and the answer names the one it answers (offer_id), so an answer to the first
//    copy is never taken for a later offer;
//  - a connected link that goes `disconnected` (or `failed`) restarts ICE if it stays so: the
//    impolite end after kDisconnectedRestartMs (at once on `failed`), the polite end after twice
//    that, so the two restarts do not cross; then again after twice the last wait, up to
//    kMaxRestartWaitMs, since restarting a restart that is still under way only starts it over;
//  - a link that has not connected kConnectTimeoutMs after its negotiation began is restarted by its
//    impolite end. Chrome can leave both ends in connectionState "new" for good: when the polite
//    end rolls back an offer whose setLocalDescription was still running, it may never gather
//    candidates again, and nothing ever fails;
//  - `resync` (called when the room's socket has resumed) sends our unanswered offer again, or restarts
//    ICE if the link is not connected.
//
// When a link cannot connect (people behind strict NATs or firewalls): its first connect window
// (kConnectTimeoutMs, or ICE `failed` if that comes sooner) ends without a connection. If the server
// handed out a TURN server, both ends switch to relay candidates only (UseRelayOnly) and the
// impolite end restarts ICE, so the second window tries the relay alone rather than the same direct
// pairs again. When that window ends too, or there was no relay to try, the link is `unreachable`:
// the card says so, with unreachable_reason(), instead of "Connecting…" for ever. The rest of the
// room is not held up, and the impolite end keeps restarting every window in case the path opens.
//
// The link keeps `expected` = the signaling state the pc will be in once every operation it has
// asked for has run (the pc runs them in order). Glare is judged on that, which makes the textbook's
// isSettingRemoteAnswerPending flag unnecessary: an answer being applied already counts as stable.
// When no operation is outstanding, `expected` snaps to the last SignalingStateChanged, so a failed
// operation can never leave the two out of step.
//
// Link states (what the UI shows for this peer):
//   state         event                                   → state          commands
//   fresh         NegotiationNeeded (expected stable)      → negotiating    CreateOffer
//   fresh         NegotiationNeeded, remote offers first   → fresh          ScheduleTimer(first-offer)
//   fresh         first-offer timer due (Tick), still held → negotiating    CreateOffer
//   fresh         RemoteOffer                              → negotiating    SetRemoteDescription(offer)
//   negotiating   ConnectionStateChanged(connected)        → connected
//   connected     ConnectionStateChanged(failed)           → reconnecting   RestartIce (impolite end; the
//                                                                            polite one waits 10 s first)
//   connected     disconnected 5 s (impolite) / 10 s (polite) → reconnecting RestartIce, then 10, 20, 20 s…
//   any           offer unanswered 10, 20, 40 s (Tick)     → (unchanged)    SendSignal(the same offer)
//   any           resync, our offer unanswered             → (unchanged)    SendSignal(the same offer)
//   reconnecting  ConnectionStateChanged(connected)        → connected
//   negotiating   not connected 10 s after it began (Tick),
//                 or ICE failed, TURN known, not relay yet → negotiating    UseRelayOnly, RestartIce (impolite)
//   negotiating   the same, relay tried or no TURN known   → unreachable    RestartIce (impolite end only)
//   unreachable   not connected 10 s later (Tick)          → unreachable    RestartIce (impolite end only)
//   unreachable   ConnectionStateChanged(connected)        → connected
//   any           close()                                  → closed         ClosePeer
//   closed        anything                                 → closed         (ignored)
//
// Negotiation (within those states):
//   NegotiationNeeded, expected stable, not making an offer → makingOffer, CreateOffer
//   DescriptionCreated(our offer)            → SetLocalDescription(offer)     expected have_local_offer
//   LocalDescriptionSet(our offer)           → SendSignal(offer, numbered), start the offer timer, makingOffer off
//   RemoteOffer, no collision                → SetRemoteDescription(offer)    expected have_remote_offer
//   RemoteOffer, collision, impolite         → ignoreOffer (its candidates are dropped too)
//   RemoteOffer, collision, polite           → [SetLocalDescription(rollback) if our offer was set],
//                                              abandon our offer, SetRemoteDescription(offer)
//   RemoteDescriptionSet(an offer)           → CreateAnswer; queued candidates → AddIceCandidate
//   DescriptionCreated(our answer)           → SetLocalDescription(answer)    expected stable
//   LocalDescriptionSet(our answer)          → SendSignal(answer, naming the offer it answers)
//   RemoteAnswer, expected have_local_offer, our offer sent, and it names that offer (or none)
//                                            → SetRemoteDescription(answer), expected stable
//   RemoteAnswer otherwise                   → dropped (a stale answer: to an offer we rolled back, or
//                                              to the first copy of an offer answered since)
//   RemoteIce                                → AddIceCandidate, or queued, or dropped while ignoring an offer
//   IceCandidateGathered                     → SendSignal(ice)
// "collision" = we are making an offer or expected is have_local_offer. A second offer while we are
// answering the first (expected have_remote_offer) is simply applied: the spec allows it.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "room/peer_types.h"

namespace mehfil::room {

inline constexpr std::int64_t kOfferTimeoutMs = 10'000;
inline constexpr std::int64_t kMaxOfferRetryMs = 40'000;
// Long enough for a newcomer's page that is still starting (camera, wasm) on a busy machine: when
// the hold runs out first, both offer, and a polite newcomer that rolls back an offer Chrome is
// still setting may never gather candidates on that pc again (below). The offer rarely gets lost
// (it is the first thing on a fresh socket), so the long hold costs nothing in a normal join.
inline constexpr std::int64_t kFirstOfferWaitMs = 15'000;
inline constexpr std::int64_t kConnectTimeoutMs = 10'000;
inline constexpr std::int64_t kDisconnectedRestartMs = 5'000;
inline constexpr std::int64_t kMaxRestartWaitMs = 20'000;
inline constexpr std::size_t kMaxQueuedCandidates = 256;

enum class LinkState { fresh, negotiating, connected, reconnecting, unreachable, closed };
std::string_view to_string(LinkState state);

// Why a link is unreachable: "no_relay" (the direct paths failed and the server knows no TURN
// server) or "relay_failed" (the relay was tried as well); empty while it is not.
inline constexpr std::string_view kNoRelay = "no_relay";
inline constexpr std::string_view kRelayFailed = "relay_failed";

// The lower id is polite. Both ends compute the same answer with the roles swapped.
bool is_polite(std::string_view self_peer_id, std::string_view remote_peer_id);

class PeerLink {
 public:
  // `remote_offers_first`: the remote joined after us, so its offer is the one to answer (above).
  PeerLink(std::string self_peer_id, std::string remote_peer_id, bool remote_offers_first = false);

  // The commands to create this link's pc (CreatePeer, with the server's STUN/TURN servers) and cap
  // what it sends (room/bitrate.h). `relay_only`: TURN relay candidates from the start (an embedder's
  // iceTransportPolicy "relay"); a link that cannot connect then has no second try.
  std::vector<PeerCommand> open(SendCap cap, std::vector<protocol::IceServer> ice_servers = {}, bool relay_only = false);
  std::vector<PeerCommand> handle(const PeerEvent& event, std::int64_t now_ms);
  // The room's socket came back: whatever was in flight may have been lost on the way.
  std::vector<PeerCommand> resync(std::int64_t now_ms);
  std::vector<PeerCommand> set_send_cap(SendCap cap);
  // Fresh STUN/TURN servers (ice:servers): the pc uses them from its next gathering.
  std::vector<PeerCommand> set_ice_servers(std::vector<protocol::IceServer> ice_servers);
  // Leave, kick, the peer left: ClosePeer once; later calls return nothing.
  std::vector<PeerCommand> close();

  const std::string& remote_peer_id() const { return remote_; }
  bool polite() const { return polite_; }
  LinkState state() const { return state_; }
  ConnectionState connection_state() const { return connection_; }
  SignalingState reported_signaling_state() const { return reported_; }
  SignalingState expected_signaling_state() const { return expected_; }
  bool making_offer() const { return making_offer_; }
  bool ignoring_offer() const { return ignore_offer_; }
  bool holding_offer() const { return held_offer_until_.has_value(); }
  std::size_t queued_candidates() const { return queued_candidates_.size(); }
  const SendCap& send_cap() const { return send_cap_; }
  int ice_restarts() const { return ice_restarts_; }
  bool relay_only() const { return relay_only_; }
  std::string_view unreachable_reason() const;

 private:
  void connect_attempt_failed(std::int64_t now_ms, std::vector<PeerCommand>& out);
  void lost_since(std::int64_t now_ms, std::vector<PeerCommand>& out);
  OpId begin(std::set<OpId>& kind);
  void restart_ice(std::vector<PeerCommand>& out, std::int64_t now_ms);
  void rollback_own_offer(std::vector<PeerCommand>& out);
  void send_offer(std::int64_t now_ms, std::vector<PeerCommand>& out);
  void make_offer(std::int64_t now_ms, std::vector<PeerCommand>& out);
  void start_negotiating(std::int64_t now_ms, std::vector<PeerCommand>& out);
  void settle(OpId op);
  void flush_candidates(std::vector<PeerCommand>& out);
  void on_remote_offer(const RemoteOffer& offer, std::int64_t now_ms, std::vector<PeerCommand>& out);
  void on_remote_answer(const RemoteAnswer& answer, std::vector<PeerCommand>& out);
  void on_remote_ice(const RemoteIce& ice, std::vector<PeerCommand>& out);
  void on_connection(ConnectionState state, std::int64_t now_ms, std::vector<PeerCommand>& out);
  void on_tick(std::int64_t now_ms, std::vector<PeerCommand>& out);
  std::string timer_key(std::string_view what) const;

  std::string self_;
  std::string remote_;
  bool polite_ = false;
  LinkState state_ = LinkState::fresh;
  ConnectionState connection_ = ConnectionState::fresh;
  SignalingState reported_ = SignalingState::stable;
  SignalingState expected_ = SignalingState::stable;

  OpId next_op_ = 1;
  std::set<OpId> outstanding_;  // every operation asked for and not yet reported
  OpId offer_create_op_ = 0;    // createOffer we still want the result of
  OpId offer_set_op_ = 0;       // setLocalDescription(offer) we still want to signal
  OpId answer_create_op_ = 0;
  OpId answer_set_op_ = 0;
  OpId remote_offer_op_ = 0;    // setRemoteDescription(offer) whose completion asks for an answer
  std::set<OpId> remote_description_ops_;
  OpId remote_answer_op_ = 0;   // setRemoteDescription(answer) in flight
  std::string offer_sdp_;       // what the SetLocalDescription we wait for will have set
  std::string sent_offer_sdp_;  // the offer out there, re-sent as it is until answered
  int offers_made_ = 0;
  int sent_offer_id_ = 0;       // its number on the wire; an answer naming another is stale
  std::optional<int> remote_offer_id_;     // the remote offer being set (RemoteOffer::offer_id)
  std::optional<int> answering_offer_id_;  // the one our answer being made answers
  std::string answer_sdp_;
  bool making_offer_ = false;
  bool awaiting_answer_ = false;  // our offer is out and unanswered
  bool ignore_offer_ = false;
  bool has_remote_description_ = false;
  bool remote_offers_first_ = false;              // until its first offer arrives, or we stop waiting
  std::optional<std::int64_t> held_offer_until_;  // a negotiationneeded we hold back, and until when
  std::vector<protocol::IceCandidate> queued_candidates_;

  std::optional<std::int64_t> offer_sent_at_;
  std::int64_t offer_retry_ms_ = kOfferTimeoutMs;  // doubles on each re-send, up to kMaxOfferRetryMs
  std::optional<std::int64_t> connect_deadline_;  // the connect watchdog, until the first `connected`
  std::optional<std::int64_t> disconnected_since_;
  std::int64_t restart_wait_ms_ = kDisconnectedRestartMs;  // until the next restart while it stays down
  SendCap send_cap_;
  int ice_restarts_ = 0;
  bool relay_available_ = false;  // a TURN server came with the ICE servers
  bool relay_only_ = false;       // UseRelayOnly was sent
};

}  // namespace mehfil::room
