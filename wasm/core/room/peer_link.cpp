// PeerLink's transitions (the table is in peer_link.h).
#include "room/peer_link.h"

#include <algorithm>
#include <utility>

namespace mehfil::room {

std::string_view to_string(SdpType type) {
  switch (type) {
    case SdpType::offer: return "offer";
    case SdpType::answer: return "answer";
    case SdpType::rollback: return "rollback";
  }
  return "?";
}

std::string_view to_string(SignalingState state) {
  switch (state) {
    case SignalingState::stable: return "stable";
    case SignalingState::have_local_offer: return "have-local-offer";
    case SignalingState::have_remote_offer: return "have-remote-offer";
    case SignalingState::closed: return "closed";
  }
  return "?";
}

std::string_view to_string(ConnectionState state) {
  switch (state) {
    case ConnectionState::fresh: return "new";
    case ConnectionState::connecting: return "connecting";
    case ConnectionState::connected: return "connected";
    case ConnectionState::disconnected: return "disconnected";
    case ConnectionState::failed: return "failed";
    case ConnectionState::closed: return "closed";
  }
  return "?";
}

std::string_view to_string(LinkState state) {
  switch (state) {
    case LinkState::fresh: return "new";
    case LinkState::negotiating: return "negotiating";
    case LinkState::connected: return "connected";
    case LinkState::reconnecting: return "reconnecting";
    case LinkState::unreachable: return "unreachable";
    case LinkState::closed: return "closed";
  }
  return "?";
}

bool is_polite(std::string_view self_peer_id, std::string_view remote_peer_id) {
  return self_peer_id < remote_peer_id;
}

PeerLink::PeerLink(std::string self_peer_id, std::string remote_peer_id, bool remote_offers_first)
    : self_(std::move(self_peer_id)),
      remote_(std::move(remote_peer_id)),
      polite_(is_polite(self_, remote_)),
      remote_offers_first_(remote_offers_first) {}

namespace {

// A TURN server among them: the link has a relay to fall back on.
bool has_turn(const std::vector<protocol::IceServer>& servers) {
  return std::any_of(servers.begin(), servers.end(), [](const protocol::IceServer& server) {
    return server.urls.rfind("turn:", 0) == 0 || server.urls.rfind("turns:", 0) == 0;
  });
}

}  // namespace

std::vector<PeerCommand> PeerLink::open(SendCap cap, std::vector<protocol::IceServer> ice_servers, bool relay_only) {
  send_cap_ = cap;
  relay_only_ = relay_only;
  relay_available_ = has_turn(ice_servers);
  return {CreatePeer{remote_, polite_, !remote_offers_first_, std::move(ice_servers), relay_only}, SetSendCap{remote_, cap}};
}

std::vector<PeerCommand> PeerLink::set_ice_servers(std::vector<protocol::IceServer> ice_servers) {
  if (state_ == LinkState::closed) return {};
  relay_available_ = has_turn(ice_servers);
  return {SetIceServers{remote_, std::move(ice_servers)}};
}

std::vector<PeerCommand> PeerLink::set_send_cap(SendCap cap) {
  if (state_ == LinkState::closed || cap == send_cap_) return {};
  send_cap_ = cap;
  return {SetSendCap{remote_, cap}};
}

std::vector<PeerCommand> PeerLink::close() {
  if (state_ == LinkState::closed) return {};
  state_ = LinkState::closed;
  connection_ = ConnectionState::closed;
  expected_ = reported_ = SignalingState::closed;
  queued_candidates_.clear();
  return {ClosePeer{remote_}};
}

OpId PeerLink::begin(std::set<OpId>& kind) {
  const OpId op = next_op_++;
  outstanding_.insert(op);
  kind.insert(op);
  return op;
}

// An operation reported back. With nothing else in flight the pc's own state is the truth.
void PeerLink::settle(OpId op) {
  outstanding_.erase(op);
  if (outstanding_.empty() && reported_ != SignalingState::closed) expected_ = reported_;
}

std::string PeerLink::timer_key(std::string_view what) const {
  std::string key = "peer:";
  key += remote_;
  key += ':';
  key += what;
  return key;
}

void PeerLink::restart_ice(std::vector<PeerCommand>& out, std::int64_t /*now_ms*/) {
  out.push_back(RestartIce{remote_});
  ++ice_restarts_;
  // Media that still flows is not "reconnecting": a restart asked for by the offer watchdog or a
  // resync keeps the link connected, and no new `connected` event would ever bring it back.
  if (state_ == LinkState::connected && connection_ != ConnectionState::connected) state_ = LinkState::reconnecting;
}

// A connect window ended without a connection: try the relay alone next, or say it is unreachable.
// Either way a new window starts, and the impolite end restarts ICE (the polite one would only cross
// its restart).
void PeerLink::connect_attempt_failed(std::int64_t now_ms, std::vector<PeerCommand>& out) {
  connect_deadline_ = now_ms + kConnectTimeoutMs;
  out.push_back(ScheduleTimer{timer_key("connect"), *connect_deadline_});
  if (relay_available_ && !relay_only_) {
    relay_only_ = true;
    out.push_back(UseRelayOnly{remote_});
  } else {
    state_ = LinkState::unreachable;
  }
  if (!polite_ && !making_offer_ && expected_ == SignalingState::stable) restart_ice(out, now_ms);
}

std::string_view PeerLink::unreachable_reason() const {
  if (state_ != LinkState::unreachable) return {};
  return relay_only_ ? kRelayFailed : kNoRelay;
}

// A connected link lost its path (disconnected, or failed after having connected): restart ICE if
// it stays so. The impolite end waits kDisconnectedRestartMs, the polite end twice that, so their
// restarts do not cross (a crossing ends in the polite end's rollback, which Chrome may never
// recover a pc from) and the polite one restarts only if the impolite one's did not come.
void PeerLink::lost_since(std::int64_t now_ms, std::vector<PeerCommand>& out) {
  disconnected_since_ = now_ms;
  restart_wait_ms_ = polite_ ? 2 * kDisconnectedRestartMs : kDisconnectedRestartMs;
  out.push_back(ScheduleTimer{timer_key("disconnected"), now_ms + restart_wait_ms_});
}

void PeerLink::rollback_own_offer(std::vector<PeerCommand>& out) {
  if (expected_ == SignalingState::have_local_offer) {
    std::set<OpId> ignored;
    out.push_back(SetLocalDescription{remote_, begin(ignored), SdpType::rollback, {}});
    expected_ = SignalingState::stable;
  }
  offer_create_op_ = 0;
  offer_set_op_ = 0;
  making_offer_ = false;
  awaiting_answer_ = false;
  offer_sent_at_.reset();
}

void PeerLink::make_offer(std::int64_t now_ms, std::vector<PeerCommand>& out) {
  making_offer_ = true;
  std::set<OpId> ignored;
  offer_create_op_ = begin(ignored);
  out.push_back(CreateOffer{remote_, offer_create_op_});
  if (state_ == LinkState::fresh) start_negotiating(now_ms, out);
}

void PeerLink::start_negotiating(std::int64_t now_ms, std::vector<PeerCommand>& out) {
  state_ = LinkState::negotiating;
  connect_deadline_ = now_ms + kConnectTimeoutMs;
  out.push_back(ScheduleTimer{timer_key("connect"), *connect_deadline_});
}

void PeerLink::flush_candidates(std::vector<PeerCommand>& out) {
  if (!has_remote_description_ || !remote_description_ops_.empty()) return;
  for (auto& candidate : queued_candidates_) {
    std::set<OpId> ignored;
    out.push_back(AddIceCandidate{remote_, begin(ignored), std::move(candidate)});
  }
  queued_candidates_.clear();
}

void PeerLink::on_remote_offer(const RemoteOffer& offer, std::int64_t now_ms, std::vector<PeerCommand>& out) {
  remote_offers_first_ = false;
  held_offer_until_.reset();  // our tracks go out in the answer; negotiationneeded returns if not
  const bool collision = making_offer_ || expected_ == SignalingState::have_local_offer;
  ignore_offer_ = !polite_ && collision;
  if (ignore_offer_) return;
  if (collision) rollback_own_offer(out);
  answer_create_op_ = 0;  // a newer offer replaces one we were still answering
  remote_offer_id_ = offer.offer_id;
  remote_offer_op_ = begin(remote_description_ops_);
  out.push_back(SetRemoteDescription{remote_, remote_offer_op_, SdpType::offer, offer.sdp});
  expected_ = SignalingState::have_remote_offer;
  if (state_ == LinkState::fresh) start_negotiating(now_ms, out);
}

void PeerLink::on_remote_answer(const RemoteAnswer& answer, std::vector<PeerCommand>& out) {
  ignore_offer_ = false;
  if (!awaiting_answer_ || expected_ != SignalingState::have_local_offer) return;  // stale
  if (answer.offer_id && *answer.offer_id != sent_offer_id_) return;              // answers an older offer
  awaiting_answer_ = false;
  remote_answer_op_ = begin(remote_description_ops_);
  out.push_back(SetRemoteDescription{remote_, remote_answer_op_, SdpType::answer, answer.sdp});
  expected_ = SignalingState::stable;
}

void PeerLink::on_remote_ice(const RemoteIce& ice, std::vector<PeerCommand>& out) {
  if (ignore_offer_) return;  // belongs to the offer we ignored
  if (!has_remote_description_ || !remote_description_ops_.empty()) {
    if (queued_candidates_.size() < kMaxQueuedCandidates) queued_candidates_.push_back(ice.candidate);
    return;
  }
  std::set<OpId> ignored;
  out.push_back(AddIceCandidate{remote_, begin(ignored), ice.candidate});
}

void PeerLink::on_connection(ConnectionState state, std::int64_t now_ms, std::vector<PeerCommand>& out) {
  connection_ = state;
  switch (state) {
    case ConnectionState::connected:
      state_ = LinkState::connected;
      disconnected_since_.reset();
      connect_deadline_.reset();
      break;
    case ConnectionState::disconnected:
      lost_since(now_ms, out);
      break;
    case ConnectionState::failed:
      if (connect_deadline_) {
        disconnected_since_.reset();
        connect_attempt_failed(now_ms, out);  // it never connected: this window is over
      } else if (!polite_) {
        restart_ice(out, now_ms);  // the impolite end restarts at once...
        lost_since(now_ms, out);   // ...and again later if that does not bring it back
      } else if (!disconnected_since_) {
        lost_since(now_ms, out);   // the polite end gives the impolite one's restart time first
      }
      break;
    case ConnectionState::fresh:
    case ConnectionState::connecting:
    case ConnectionState::closed:
      disconnected_since_.reset();
      break;
  }
}

void PeerLink::on_tick(std::int64_t now_ms, std::vector<PeerCommand>& out) {
  if (held_offer_until_ && now_ms >= *held_offer_until_) {
    held_offer_until_.reset();
    remote_offers_first_ = false;
    if (!making_offer_ && expected_ == SignalingState::stable) make_offer(now_ms, out);
  }
  if (disconnected_since_ && (connection_ == ConnectionState::disconnected || connection_ == ConnectionState::failed) &&
      now_ms - *disconnected_since_ >= restart_wait_ms_) {
    restart_ice(out, now_ms);
    // Again while it stays down, each wait twice the last: a restart through a relay on a busy
    // machine takes seconds, and restarting it again before it is done only starts it over.
    disconnected_since_ = now_ms;
    restart_wait_ms_ = std::min(2 * restart_wait_ms_, kMaxRestartWaitMs);
    out.push_back(ScheduleTimer{timer_key("disconnected"), now_ms + restart_wait_ms_});
  }
  if (connect_deadline_ && now_ms >= *connect_deadline_ && !awaiting_answer_) {  // else the offer timer acts
    connect_attempt_failed(now_ms, out);
  }
  if (awaiting_answer_ && offer_sent_at_ && expected_ == SignalingState::have_local_offer &&
      now_ms - *offer_sent_at_ >= offer_retry_ms_) {
    offer_retry_ms_ = std::min(2 * offer_retry_ms_, kMaxOfferRetryMs);
    send_offer(now_ms, out);
  }
}

void PeerLink::send_offer(std::int64_t now_ms, std::vector<PeerCommand>& out) {
  offer_sent_at_ = now_ms;
  out.push_back(SendSignal{protocol::client::SignalOffer{remote_, sent_offer_sdp_, sent_offer_id_}});
  out.push_back(ScheduleTimer{timer_key("offer"), now_ms + offer_retry_ms_});
}

std::vector<PeerCommand> PeerLink::resync(std::int64_t now_ms) {
  std::vector<PeerCommand> out;
  if (state_ == LinkState::closed) return out;
  if (awaiting_answer_ && expected_ == SignalingState::have_local_offer) {
    send_offer(now_ms, out);  // it, or its answer, may have been lost with the old socket
  } else if (connection_ != ConnectionState::connected && !making_offer_) {
    restart_ice(out, now_ms);
  }
  return out;
}

std::vector<PeerCommand> PeerLink::handle(const PeerEvent& event, std::int64_t now_ms) {
  std::vector<PeerCommand> out;
  if (state_ == LinkState::closed) return out;

  if (std::holds_alternative<NegotiationNeeded>(event)) {
    if (making_offer_ || expected_ != SignalingState::stable) return out;  // fires again once stable
    if (remote_offers_first_) {
      if (!held_offer_until_) {
        held_offer_until_ = now_ms + kFirstOfferWaitMs;
        out.push_back(ScheduleTimer{timer_key("first-offer"), *held_offer_until_});
      }
      return out;
    }
    make_offer(now_ms, out);
  } else if (const auto* created = std::get_if<DescriptionCreated>(&event)) {
    settle(created->op);
    std::set<OpId> ignored;
    if (created->op == offer_create_op_ && offer_create_op_ != 0) {
      offer_create_op_ = 0;
      if (expected_ != SignalingState::stable) {
        making_offer_ = false;
        return out;
      }
      offer_set_op_ = begin(ignored);
      offer_sdp_ = created->sdp;
      out.push_back(SetLocalDescription{remote_, offer_set_op_, SdpType::offer, created->sdp});
      expected_ = SignalingState::have_local_offer;
    } else if (created->op == answer_create_op_ && answer_create_op_ != 0) {
      answer_create_op_ = 0;
      if (expected_ != SignalingState::have_remote_offer) return out;
      answer_set_op_ = begin(ignored);
      answer_sdp_ = created->sdp;
      out.push_back(SetLocalDescription{remote_, answer_set_op_, SdpType::answer, created->sdp});
      expected_ = SignalingState::stable;
    }
  } else if (const auto* local = std::get_if<LocalDescriptionSet>(&event)) {
    settle(local->op);
    if (local->op == offer_set_op_ && offer_set_op_ != 0) {
      offer_set_op_ = 0;
      making_offer_ = false;
      awaiting_answer_ = true;
      sent_offer_sdp_ = std::move(offer_sdp_);
      sent_offer_id_ = ++offers_made_;
      offer_retry_ms_ = kOfferTimeoutMs;
      send_offer(now_ms, out);
    } else if (local->op == answer_set_op_ && answer_set_op_ != 0) {
      answer_set_op_ = 0;
      out.push_back(SendSignal{protocol::client::SignalAnswer{remote_, std::move(answer_sdp_), answering_offer_id_}});
    }
  } else if (const auto* remote = std::get_if<RemoteDescriptionSet>(&event)) {
    settle(remote->op);
    remote_description_ops_.erase(remote->op);
    has_remote_description_ = true;
    if (remote->op == remote_answer_op_) {
      remote_answer_op_ = 0;
      offer_sent_at_.reset();
    }
    if (remote->op == remote_offer_op_ && remote_offer_op_ != 0) {
      remote_offer_op_ = 0;
      if (expected_ == SignalingState::have_remote_offer && answer_create_op_ == 0) {
        std::set<OpId> ignored;
        answer_create_op_ = begin(ignored);
        answering_offer_id_ = remote_offer_id_;
        out.push_back(CreateAnswer{remote_, answer_create_op_});
      }
    }
    flush_candidates(out);
  } else if (const auto* added = std::get_if<IceCandidateAdded>(&event)) {
    settle(added->op);
  } else if (const auto* failed = std::get_if<OperationFailed>(&event)) {
    const OpId op = failed->op;
    const bool own_offer = op != 0 && (op == offer_create_op_ || op == offer_set_op_);
    if (own_offer) {
      offer_create_op_ = offer_set_op_ = 0;
      making_offer_ = false;
    }
    if (op == answer_create_op_) answer_create_op_ = 0;
    if (op == answer_set_op_) answer_set_op_ = 0;
    if (op == remote_offer_op_) remote_offer_op_ = 0;
    if (op == remote_answer_op_ && op != 0) {
      remote_answer_op_ = 0;
      awaiting_answer_ = true;  // that answer was stale: ours is still out there
    }
    remote_description_ops_.erase(op);
    settle(op);
    if (own_offer) restart_ice(out, now_ms);  // negotiationneeded comes again
    flush_candidates(out);
  } else if (const auto* gathered = std::get_if<IceCandidateGathered>(&event)) {
    out.push_back(SendSignal{protocol::client::SignalIce{remote_, gathered->candidate}});
  } else if (const auto* offer = std::get_if<RemoteOffer>(&event)) {
    on_remote_offer(*offer, now_ms, out);
  } else if (const auto* answer = std::get_if<RemoteAnswer>(&event)) {
    on_remote_answer(*answer, out);
  } else if (const auto* ice = std::get_if<RemoteIce>(&event)) {
    on_remote_ice(*ice, out);
  } else if (const auto* connection = std::get_if<ConnectionStateChanged>(&event)) {
    on_connection(connection->state, now_ms, out);
  } else if (const auto* signaling = std::get_if<SignalingStateChanged>(&event)) {
    reported_ = signaling->state;
    if (outstanding_.empty()) expected_ = reported_;
  } else if (std::holds_alternative<Tick>(event)) {
    on_tick(now_ms, out);
  }
  return out;
}

}  // namespace mehfil::room
