// FakePeerConnection's rules (fake_peer_connection.h).
#include "fake_peer_connection.h"

#include <utility>

namespace mehfil::sim {

using room::SdpType;
using room::SignalingState;

std::string to_sdp(const FakeDescription& d) {
  std::string sdp = "v=fake type=";
  sdp += room::to_string(d.type);
  sdp += " owner=" + d.owner + " ufrag=" + d.ufrag + " gen=" + std::to_string(d.generation) + " id=" + d.id;
  if (!d.answers.empty()) sdp += " answers=" + d.answers;
  return sdp;
}

std::optional<FakeDescription> parse_sdp(std::string_view sdp) {
  if (sdp.substr(0, 7) != "v=fake ") return std::nullopt;
  FakeDescription d;
  bool typed = false;
  std::size_t at = 7;
  while (at < sdp.size()) {
    std::size_t end = sdp.find(' ', at);
    if (end == std::string_view::npos) end = sdp.size();
    const std::string_view pair = sdp.substr(at, end - at);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos) {
      const std::string_view key = pair.substr(0, eq);
      const std::string value(pair.substr(eq + 1));
      if (key == "type") {
        typed = true;
        if (value == "offer") d.type = SdpType::offer;
        else if (value == "answer") d.type = SdpType::answer;
        else return std::nullopt;
      } else if (key == "owner") {
        d.owner = value;
      } else if (key == "ufrag") {
        d.ufrag = value;
      } else if (key == "gen") {
        d.generation = std::stoi(value);
      } else if (key == "id") {
        d.id = value;
      } else if (key == "answers") {
        d.answers = value;
      }
    }
    at = end + 1;
  }
  if (!typed || d.owner.empty() || d.ufrag.empty() || d.id.empty()) return std::nullopt;
  return d;
}

FakePeerConnection::FakePeerConnection(Clock& clock, Rng& rng, std::string name, Emit emit,
                                       std::function<void()> changed)
    : clock_(clock), rng_(rng), name_(std::move(name)), emit_(std::move(emit)), changed_(std::move(changed)) {
  maybe_negotiation_needed();
}

std::string FakePeerConnection::fresh_id() { return name_ + "#" + std::to_string(++next_id_); }

void FakePeerConnection::enqueue(Operation operation) {
  if (closed_) return;
  chain_.push_back(std::move(operation));
  if (!running_) run_next();
}

void FakePeerConnection::run_next() {
  if (closed_) return;
  if (chain_.empty()) {
    running_ = false;
    maybe_negotiation_needed();
    return;
  }
  running_ = true;
  Operation operation = std::move(chain_.front());
  chain_.pop_front();
  clock_.after(rng_.between(1, 15), [this, operation = std::move(operation)] {
    if (closed_) return;
    if (auto error = operation.run()) {
      ++failures_;
      emit_(room::OperationFailed{operation.op, *error});
    } else {
      operation.resolved();
    }
    if (changed_) changed_();
    run_next();
  });
}

void FakePeerConnection::set_signaling(SignalingState state) {
  if (state == signaling_) return;
  signaling_ = state;
  emit_(room::SignalingStateChanged{state});
}

void FakePeerConnection::maybe_negotiation_needed() {
  if (closed_ || !needs_negotiation_ || signaling_ != SignalingState::stable || busy() || negotiation_needed_queued_) {
    return;
  }
  negotiation_needed_queued_ = true;
  clock_.after(rng_.between(0, 5), [this] {
    negotiation_needed_queued_ = false;
    if (!closed_ && needs_negotiation_ && signaling_ == SignalingState::stable && !busy()) {
      emit_(room::NegotiationNeeded{});
    }
  });
}

void FakePeerConnection::complete_exchange(const std::string& old_ufrag) {
  if (current_local_->ufrag != old_ufrag) ice_restart_pending_ = false;
  generation_ = current_local_->generation;
  needs_negotiation_ = ice_restart_pending_;
}

void FakePeerConnection::gather(const std::string& ufrag) {
  std::int64_t delay = 0;
  for (int i = 0; i < 3; ++i) {
    delay += rng_.between(2, 25);
    protocol::IceCandidate candidate;
    if (i < 2) {
      const std::string n = std::to_string(i + 1);
      candidate.candidate = "candidate:";
      candidate.candidate += n;
      candidate.candidate += " 1 udp 2122260223 10.0.0.";
      candidate.candidate += n;
      candidate.candidate += " 5000 typ host ufrag ";
      candidate.candidate += ufrag;
    }
    candidate.sdp_mid.emplace(1, '0');
    candidate.sdp_mline_index = 0;
    clock_.after(delay, [this, candidate] {
      if (!closed_) emit_(room::IceCandidateGathered{candidate});
    });
  }
}

void FakePeerConnection::create_offer(room::OpId op) {
  enqueue({[this, op]() -> std::optional<std::string> {
             if (signaling_ != SignalingState::stable && signaling_ != SignalingState::have_local_offer) {
               return "InvalidStateError: createOffer in " + std::string(room::to_string(signaling_));
             }
             FakeDescription d;
             d.type = SdpType::offer;
             d.owner = name_;
             d.generation = (generation_ == 0 || ice_restart_pending_) ? generation_ + 1 : generation_;
             d.ufrag = name_ + "-g" + std::to_string(d.generation);
             d.id = fresh_id();
             emit_(room::DescriptionCreated{op, SdpType::offer, to_sdp(d)});
             return std::nullopt;
           },
           [] {}, op});
}

void FakePeerConnection::create_answer(room::OpId op) {
  enqueue({[this, op]() -> std::optional<std::string> {
             if (signaling_ != SignalingState::have_remote_offer) {
               return "InvalidStateError: createAnswer in " + std::string(room::to_string(signaling_));
             }
             const bool remote_restarted = current_remote_ && pending_remote_->ufrag != current_remote_->ufrag;
             FakeDescription d;
             d.type = SdpType::answer;
             d.owner = name_;
             d.generation =
                 (generation_ == 0 || ice_restart_pending_ || remote_restarted) ? generation_ + 1 : generation_;
             d.ufrag = name_ + "-g" + std::to_string(d.generation);
             d.id = fresh_id();
             d.answers = pending_remote_->id;
             emit_(room::DescriptionCreated{op, SdpType::answer, to_sdp(d)});
             return std::nullopt;
           },
           [] {}, op});
}

void FakePeerConnection::set_local_description(room::OpId op, SdpType type, std::string sdp) {
  enqueue({[this, op, type, sdp = std::move(sdp)]() -> std::optional<std::string> {
             if (type == SdpType::rollback) {
               if (signaling_ == SignalingState::have_local_offer) {
                 pending_local_.reset();
               } else if (signaling_ == SignalingState::have_remote_offer) {
                 pending_remote_.reset();
               } else {
                 return "InvalidStateError: rollback in " + std::string(room::to_string(signaling_));
               }
               ++rollbacks_;
               set_signaling(SignalingState::stable);
               return std::nullopt;
             }
             auto d = parse_sdp(sdp);
             if (!d || d->type != type || d->owner != name_) return "InvalidModificationError: not our " + sdp;
             if (type == SdpType::offer) {
               if (signaling_ != SignalingState::stable && signaling_ != SignalingState::have_local_offer) {
                 return "InvalidStateError: setLocalDescription(offer) in " + std::string(room::to_string(signaling_));
               }
               pending_local_ = *d;
               set_signaling(SignalingState::have_local_offer);
             } else {
               if (signaling_ != SignalingState::have_remote_offer) {
                 return "InvalidStateError: setLocalDescription(answer) in " + std::string(room::to_string(signaling_));
               }
               if (d->answers != pending_remote_->id) return "InvalidModificationError: answer to another offer";
               const std::string old_ufrag = current_local_ ? current_local_->ufrag : std::string();
               current_local_ = *d;
               current_remote_ = pending_remote_;
               pending_remote_.reset();
               complete_exchange(old_ufrag);
               set_signaling(SignalingState::stable);
             }
             gather(d->ufrag);
             return std::nullopt;
           },
           [this, op] { emit_(room::LocalDescriptionSet{op}); }, op});
}

void FakePeerConnection::set_remote_description(room::OpId op, SdpType type, std::string sdp) {
  enqueue({[this, type, sdp = std::move(sdp)]() -> std::optional<std::string> {
             auto d = parse_sdp(sdp);
             if (type == SdpType::rollback) return "InvalidStateError: remote rollback is not used";
             if (!d || d->type != type || d->owner == name_) return "InvalidAccessError: bad remote " + sdp;
             if (type == SdpType::offer) {
               if (signaling_ == SignalingState::have_local_offer) {
                 return "InvalidStateError: setRemoteDescription(offer) in have-local-offer without rollback";
               }
               pending_remote_ = *d;
               set_signaling(SignalingState::have_remote_offer);
             } else {
               if (signaling_ != SignalingState::have_local_offer) {
                 return "InvalidStateError: setRemoteDescription(answer) in " + std::string(room::to_string(signaling_));
               }
               if (d->answers != pending_local_->id) return "InvalidAccessError: answer to another offer (stale)";
               const std::string old_ufrag = current_local_ ? current_local_->ufrag : std::string();
               current_local_ = pending_local_;
               pending_local_.reset();
               current_remote_ = *d;
               complete_exchange(old_ufrag);
               set_signaling(SignalingState::stable);
             }
             return std::nullopt;
           },
           [this, op] { emit_(room::RemoteDescriptionSet{op}); }, op});
}

void FakePeerConnection::add_ice_candidate(room::OpId op, protocol::IceCandidate candidate) {
  enqueue({[this, candidate = std::move(candidate)]() -> std::optional<std::string> {
             const auto& remote = pending_remote_ ? pending_remote_ : current_remote_;
             if (!remote) return "InvalidStateError: addIceCandidate before a remote description";
             if (candidate.candidate.empty()) return std::nullopt;  // end of candidates
             const std::size_t at = candidate.candidate.rfind("ufrag ");
             const std::string ufrag = at == std::string::npos ? std::string() : candidate.candidate.substr(at + 6);
             if (ufrag != remote->ufrag) return "OperationError: unknown ufrag " + ufrag;
             remote_ufrags_.insert(ufrag);
             return std::nullopt;
           },
           [this, op] { emit_(room::IceCandidateAdded{op}); }, op});
}

void FakePeerConnection::restart_ice() {
  if (closed_) return;
  ice_restart_pending_ = true;
  needs_negotiation_ = true;
  maybe_negotiation_needed();
}

void FakePeerConnection::close() {
  closed_ = true;
  signaling_ = SignalingState::closed;
  connection_ = room::ConnectionState::closed;
  chain_.clear();
}

void FakePeerConnection::set_connection_state(room::ConnectionState state) {
  if (closed_ || state == connection_) return;
  connection_ = state;
  emit_(room::ConnectionStateChanged{state});
}

}  // namespace mehfil::sim
