// FakePeerConnection: an RTCPeerConnection's signaling rules without any media, for the simulation.
//
// It enforces what a browser enforces, so a PeerLink that would break in Chrome breaks here first:
//  - an operations chain: createOffer, createAnswer, setLocal/RemoteDescription and addIceCandidate
//    run one at a time in call order, each after a small random delay, each resolving or rejecting;
//  - signaling states stable / have-local-offer / have-remote-offer with the spec's transitions:
//    setRemoteDescription(offer) in have-local-offer is an InvalidStateError (roll back first),
//    createAnswer and setLocalDescription(answer) need have-remote-offer, setRemoteDescription(answer)
//    needs have-local-offer, rollback in stable is an error;
//  - an answer must answer the offer in place (a stale answer is refused, as a browser refuses an
//    answer whose m-lines do not match), and a description must come from the right end;
//  - addIceCandidate before any remote description is an InvalidStateError; a candidate of another
//    ICE generation (ufrag) than the remote description's is an OperationError;
//  - negotiationneeded fires once tracks are added, after restartIce(), and again on returning to
//    stable while still needed; an ICE restart gives the next offer (and its answer) a new ufrag.
// Simplifications, documented because the simulation's verdicts depend on them: the SDP is a short
// line of key=value pairs; every setLocalDescription gathers two host candidates and an
// end-of-candidates; connectivity is decided by SimWorld (both ends agree on ufrags and each has a
// candidate of the other's), which calls set_connection_state().
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "room/peer_types.h"
#include "sim_clock.h"

namespace mehfil::sim {

struct FakeDescription {
  room::SdpType type = room::SdpType::offer;
  std::string owner;    // the pc that created it
  std::string ufrag;
  int generation = 0;   // of the ufrag
  std::string id;       // unique per description
  std::string answers;  // for an answer: the offer's id
};
std::string to_sdp(const FakeDescription& description);
std::optional<FakeDescription> parse_sdp(std::string_view sdp);

class FakePeerConnection {
 public:
  using Emit = std::function<void(const room::PeerEvent&)>;
  // `name` is unique in the run; `changed` is called after every applied operation so the world can
  // re-evaluate connectivity.
  FakePeerConnection(Clock& clock, Rng& rng, std::string name, Emit emit, std::function<void()> changed);

  void create_offer(room::OpId op);
  void create_answer(room::OpId op);
  void set_local_description(room::OpId op, room::SdpType type, std::string sdp);
  void set_remote_description(room::OpId op, room::SdpType type, std::string sdp);
  void add_ice_candidate(room::OpId op, protocol::IceCandidate candidate);
  void restart_ice();
  void close();

  // The world's connectivity verdict; fires connectionstatechange when it differs.
  void set_connection_state(room::ConnectionState state);

  const std::string& name() const { return name_; }
  bool closed() const { return closed_; }
  room::SignalingState signaling_state() const { return signaling_; }
  room::ConnectionState connection_state() const { return connection_; }
  const std::optional<FakeDescription>& current_local() const { return current_local_; }
  const std::optional<FakeDescription>& current_remote() const { return current_remote_; }
  bool has_remote_candidate(const std::string& ufrag) const { return remote_ufrags_.count(ufrag) != 0; }
  bool busy() const { return running_ || !chain_.empty(); }
  int rollbacks() const { return rollbacks_; }
  int failures() const { return failures_; }

 private:
  struct Operation {
    std::function<std::optional<std::string>()> run;  // an error, or nothing on success
    std::function<void()> resolved;
    room::OpId op = 0;
  };
  void enqueue(Operation operation);
  void run_next();
  void set_signaling(room::SignalingState state);
  void complete_exchange(const std::string& old_ufrag);
  void maybe_negotiation_needed();
  void gather(const std::string& ufrag);
  std::string next_ufrag() const;
  std::string fresh_id();

  Clock& clock_;
  Rng& rng_;
  std::string name_;
  Emit emit_;
  std::function<void()> changed_;

  bool closed_ = false;
  room::SignalingState signaling_ = room::SignalingState::stable;
  room::ConnectionState connection_ = room::ConnectionState::fresh;
  std::optional<FakeDescription> current_local_, current_remote_, pending_local_, pending_remote_;
  int generation_ = 0;  // of the ICE credentials in current_local_
  bool needs_negotiation_ = true;  // tracks were added at creation
  bool ice_restart_pending_ = false;
  bool negotiation_needed_queued_ = false;
  std::set<std::string> remote_ufrags_;
  std::deque<Operation> chain_;
  bool running_ = false;
  int next_id_ = 0;
  int rollbacks_ = 0;
  int failures_ = 0;
};

}  // namespace mehfil::sim
