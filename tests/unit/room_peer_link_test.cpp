// PeerLink: perfect negotiation (polite/impolite, glare, rollback), the candidate queue, ICE restarts
// and the offer watchdog, one event at a time.
#include <catch2/catch.hpp>

#include "room/peer_link.h"
#include "room_test_support.h"

using namespace mehfil::room;
using namespace room_test;
namespace client = mehfil::protocol::client;

namespace {

mehfil::protocol::IceCandidate candidate(const char* text) { return {text, std::string("0"), 0}; }

// Drives a link through NegotiationNeeded → createOffer → setLocalDescription; returns the op of the
// setLocalDescription(offer), not yet reported back.
OpId start_offer(PeerLink& link, std::int64_t now = 0) {
  auto out = link.handle(NegotiationNeeded{}, now);
  REQUIRE(count_of<CreateOffer>(out) == 1);
  out = link.handle(DescriptionCreated{first_of<CreateOffer>(out).op, SdpType::offer, "our-offer"}, now);
  REQUIRE(count_of<SetLocalDescription>(out) == 1);
  return first_of<SetLocalDescription>(out).op;
}

// Completes start_offer: the offer is set and sent.
void send_offer(PeerLink& link, std::int64_t now = 0) {
  const OpId set = start_offer(link, now);
  link.handle(SignalingStateChanged{SignalingState::have_local_offer}, now);
  const auto out = link.handle(LocalDescriptionSet{set}, now);
  REQUIRE(count_of<SendSignal>(out) == 1);
}

}  // namespace

TEST_CASE("The lower peer id is the polite one, and both ends agree") {
  const auto [self, remote, polite] = GENERATE(table<std::string, std::string, bool>({
      {"p001", "p002", true}, {"p002", "p001", false}, {"alice", "bob", true}, {"p10", "p9", true}}));
  CHECK(is_polite(self, remote) == polite);
  CHECK(is_polite(remote, self) == !polite);
  CHECK(PeerLink(self, remote).polite() == polite);
}

TEST_CASE("Opening a link creates its peer connection with the send cap, and only a changed cap goes out again") {
  PeerLink link("p1", "p2");
  const auto out = link.open({500'000, 1, 30});
  REQUIRE(count_of<CreatePeer>(out) == 1);
  CHECK(first_of<CreatePeer>(out).peer_id == "p2");
  CHECK(first_of<CreatePeer>(out).polite);
  CHECK(first_of<SetSendCap>(out).cap == SendCap{500'000, 1, 30});
  CHECK(link.set_send_cap({500'000, 1, 30}).empty());
  CHECK(first_of<SetSendCap>(link.set_send_cap({300'000, 2, 15})).cap == SendCap{300'000, 2, 15});
}

TEST_CASE("A member already in the room holds its offer and answers the newcomer's, so their offers never cross") {
  PeerLink link("p1", "p9", /*remote_offers_first=*/true);
  CHECK_FALSE(first_of<CreatePeer>(link.open({500'000, 1, 30})).offers_first);
  auto out = link.handle(NegotiationNeeded{}, 100);
  CHECK(count_of<CreateOffer>(out) == 0);
  CHECK(link.holding_offer());
  CHECK(first_of<ScheduleTimer>(out).at_ms == 100 + kFirstOfferWaitMs);
  CHECK(link.handle(NegotiationNeeded{}, 200).empty());  // still the same hold, not a second timer

  out = link.handle(RemoteOffer{"their-offer"}, 300);
  REQUIRE(count_of<SetRemoteDescription>(out) == 1);
  CHECK_FALSE(link.holding_offer());
  CHECK(count_of<CreateOffer>(link.handle(Tick{}, 100 + kFirstOfferWaitMs)) == 0);  // the hold is over
}

TEST_CASE("A member whose newcomer never offers makes the offer itself once the wait is over") {
  PeerLink link("p1", "p9", /*remote_offers_first=*/true);
  link.handle(NegotiationNeeded{}, 100);
  CHECK(link.handle(Tick{}, 100 + kFirstOfferWaitMs - 1).empty());
  const auto out = link.handle(Tick{}, 100 + kFirstOfferWaitMs);
  CHECK(count_of<CreateOffer>(out) == 1);
  CHECK(link.making_offer());
  CHECK_FALSE(link.holding_offer());
}

TEST_CASE("The newcomer's link offers first, even before it has a camera") {
  PeerLink link("p9", "p1");
  CHECK(first_of<CreatePeer>(link.open({500'000, 1, 30})).offers_first);
  CHECK(count_of<CreateOffer>(link.handle(NegotiationNeeded{}, 0)) == 1);
}

TEST_CASE("A link offers when negotiation is needed and sends the offer once it is set") {
  PeerLink link("p1", "p2");
  auto out = link.handle(NegotiationNeeded{}, 0);
  REQUIRE(count_of<CreateOffer>(out) == 1);
  CHECK(link.making_offer());
  CHECK(link.state() == LinkState::negotiating);
  SECTION("a second negotiationneeded while offering is ignored") {
    CHECK(link.handle(NegotiationNeeded{}, 0).empty());
  }
  SECTION("the created offer is set, then signalled, then the offer timer starts") {
    const OpId create = first_of<CreateOffer>(out).op;
    out = link.handle(DescriptionCreated{create, SdpType::offer, "sdp-1"}, 10);
    const auto set = first_of<SetLocalDescription>(out);
    CHECK(set.type == SdpType::offer);
    CHECK(set.sdp == "sdp-1");
    CHECK(link.expected_signaling_state() == SignalingState::have_local_offer);
    link.handle(SignalingStateChanged{SignalingState::have_local_offer}, 20);
    out = link.handle(LocalDescriptionSet{set.op}, 20);
    REQUIRE(count_of<SendSignal>(out) == 1);
    const auto signal = first_of<SendSignal>(out);
    const auto* offer = std::get_if<client::SignalOffer>(&signal.message);
    REQUIRE(offer);
    CHECK(offer->to == "p2");
    CHECK(offer->sdp == "sdp-1");
    CHECK(first_of<ScheduleTimer>(out).at_ms == 20 + kOfferTimeoutMs);
    CHECK_FALSE(link.making_offer());
  }
}

TEST_CASE("An offer from the other side is set, answered, and the answer sent") {
  PeerLink link("p1", "p2");
  auto out = link.handle(RemoteOffer{"their-offer"}, 0);
  const auto set_remote = first_of<SetRemoteDescription>(out);
  CHECK(set_remote.type == SdpType::offer);
  CHECK(set_remote.sdp == "their-offer");
  link.handle(SignalingStateChanged{SignalingState::have_remote_offer}, 1);
  out = link.handle(RemoteDescriptionSet{set_remote.op}, 1);
  REQUIRE(count_of<CreateAnswer>(out) == 1);
  out = link.handle(DescriptionCreated{first_of<CreateAnswer>(out).op, SdpType::answer, "our-answer"}, 2);
  const auto set_local = first_of<SetLocalDescription>(out);
  CHECK(set_local.type == SdpType::answer);
  link.handle(SignalingStateChanged{SignalingState::stable}, 3);
  out = link.handle(LocalDescriptionSet{set_local.op}, 3);
  const auto signal = first_of<SendSignal>(out);
  const auto* answer = std::get_if<client::SignalAnswer>(&signal.message);
  REQUIRE(answer);
  CHECK(answer->sdp == "our-answer");
}

TEST_CASE("On glare the polite side rolls back and answers") {
  PeerLink polite("p1", "p2");
  REQUIRE(polite.polite());
  SECTION("when its offer is already set, it rolls back before taking the other offer") {
    send_offer(polite);
    const auto out = polite.handle(RemoteOffer{"their-offer"}, 5);
    REQUIRE(out.size() == 2);
    const auto* rollback = std::get_if<SetLocalDescription>(&out[0]);
    REQUIRE(rollback);
    CHECK(rollback->type == SdpType::rollback);
    const auto* remote = std::get_if<SetRemoteDescription>(&out[1]);
    REQUIRE(remote);
    CHECK(remote->type == SdpType::offer);
    CHECK(polite.expected_signaling_state() == SignalingState::have_remote_offer);
  }
  SECTION("when its offer is still being created, it abandons it: no rollback, the late offer is dropped") {
    auto out = polite.handle(NegotiationNeeded{}, 0);
    const OpId create = first_of<CreateOffer>(out).op;
    out = polite.handle(RemoteOffer{"their-offer"}, 1);
    CHECK(count_of<SetLocalDescription>(out) == 0);
    CHECK(count_of<SetRemoteDescription>(out) == 1);
    CHECK(polite.handle(DescriptionCreated{create, SdpType::offer, "late"}, 2).empty());
  }
  SECTION("when its offer is being set, the rollback follows it and the offer is never sent") {
    const OpId set = start_offer(polite);
    auto out = polite.handle(RemoteOffer{"their-offer"}, 1);
    CHECK(first_of<SetLocalDescription>(out).type == SdpType::rollback);
    out = polite.handle(LocalDescriptionSet{set}, 2);
    CHECK(count_of<SendSignal>(out) == 0);
  }
}

TEST_CASE("On glare the impolite side ignores the other offer and its candidates") {
  PeerLink impolite("p2", "p1");
  REQUIRE_FALSE(impolite.polite());
  send_offer(impolite);
  CHECK(impolite.handle(RemoteOffer{"their-offer"}, 5).empty());
  CHECK(impolite.ignoring_offer());
  CHECK(impolite.handle(RemoteIce{candidate("candidate:1 for the ignored offer")}, 6).empty());
  CHECK(impolite.queued_candidates() == 0);
  SECTION("the answer to its own offer is applied, and candidates flow again") {
    auto out = impolite.handle(RemoteAnswer{"their-answer"}, 7);
    const auto remote = first_of<SetRemoteDescription>(out);
    CHECK(remote.type == SdpType::answer);
    CHECK_FALSE(impolite.ignoring_offer());
    CHECK(impolite.handle(RemoteIce{candidate("candidate:2")}, 8).empty());  // queued: answer not yet set
    CHECK(impolite.queued_candidates() == 1);
    out = impolite.handle(RemoteDescriptionSet{remote.op}, 9);
    CHECK(count_of<AddIceCandidate>(out) == 1);
  }
}

TEST_CASE("Remote candidates wait until a remote description is in place") {
  PeerLink link("p1", "p2");
  CHECK(link.handle(RemoteIce{candidate("candidate:1")}, 0).empty());
  CHECK(link.handle(RemoteIce{candidate("candidate:2")}, 0).empty());
  CHECK(link.queued_candidates() == 2);
  auto out = link.handle(RemoteOffer{"offer"}, 1);
  CHECK(count_of<AddIceCandidate>(out) == 0);  // the offer is not set yet
  out = link.handle(RemoteDescriptionSet{first_of<SetRemoteDescription>(out).op}, 2);
  const auto added = all_of<AddIceCandidate>(out);
  REQUIRE(added.size() == 2);
  CHECK(added[0].candidate.candidate == "candidate:1");
  CHECK(added[1].candidate.candidate == "candidate:2");
  CHECK(link.queued_candidates() == 0);
  CHECK(count_of<AddIceCandidate>(link.handle(RemoteIce{candidate("candidate:3")}, 3)) == 1);
}

TEST_CASE("A stale answer is dropped") {
  PeerLink link("p1", "p2");
  SECTION("with no offer out") { CHECK(link.handle(RemoteAnswer{"old"}, 0).empty()); }
  SECTION("while our new offer is still being set") {
    start_offer(link);
    CHECK(link.handle(RemoteAnswer{"old"}, 0).empty());
  }
  SECTION("and when the pc refuses one, the link keeps waiting for the real answer") {
    send_offer(link);
    auto out = link.handle(RemoteAnswer{"stale"}, 1);
    const OpId op = first_of<SetRemoteDescription>(out).op;
    link.handle(OperationFailed{op, "InvalidAccessError"}, 2);
    CHECK(link.expected_signaling_state() == SignalingState::have_local_offer);
    CHECK(count_of<SetRemoteDescription>(link.handle(RemoteAnswer{"fresh"}, 3)) == 1);
  }
}

TEST_CASE("A connected link that loses its path restarts ICE from its impolite end first, then backs off") {
  PeerLink impolite("p2", "p1"), polite("p1", "p2");
  for (PeerLink* link : {&impolite, &polite}) link->handle(ConnectionStateChanged{ConnectionState::connected}, 0);
  SECTION("failed: the impolite end restarts at once, the polite end only if nothing came 10 s later") {
    CHECK(count_of<RestartIce>(impolite.handle(ConnectionStateChanged{ConnectionState::failed}, 100)) == 1);
    CHECK(impolite.state() == LinkState::reconnecting);
    CHECK(count_of<RestartIce>(polite.handle(ConnectionStateChanged{ConnectionState::failed}, 100)) == 0);
    CHECK(count_of<RestartIce>(polite.handle(Tick{}, 100 + 2 * kDisconnectedRestartMs - 1)) == 0);
    CHECK(count_of<RestartIce>(polite.handle(Tick{}, 100 + 2 * kDisconnectedRestartMs)) == 1);
    impolite.handle(ConnectionStateChanged{ConnectionState::connected}, 900);
    CHECK(impolite.state() == LinkState::connected);
  }
  SECTION("disconnected: 5 s on the impolite end, 10 s on the polite one, then 10, 20, 20 s") {
    auto out = impolite.handle(ConnectionStateChanged{ConnectionState::disconnected}, 1000);
    CHECK(first_of<ScheduleTimer>(out).at_ms == 1000 + kDisconnectedRestartMs);
    CHECK(first_of<ScheduleTimer>(polite.handle(ConnectionStateChanged{ConnectionState::disconnected}, 1000)).at_ms ==
          1000 + 2 * kDisconnectedRestartMs);
    CHECK(count_of<RestartIce>(impolite.handle(Tick{}, 5999)) == 0);
    std::int64_t at = 6000;
    for (const std::int64_t next : {10'000, 20'000, 20'000}) {
      out = impolite.handle(Tick{}, at);
      CHECK(count_of<RestartIce>(out) == 1);
      CHECK(first_of<ScheduleTimer>(out).at_ms == at + next);
      CHECK(count_of<RestartIce>(impolite.handle(Tick{}, at + next - 1)) == 0);
      at += next;
    }
  }
  SECTION("a disconnection that heals before the wait does nothing") {
    impolite.handle(ConnectionStateChanged{ConnectionState::disconnected}, 1000);
    impolite.handle(ConnectionStateChanged{ConnectionState::connected}, 3000);
    CHECK(count_of<RestartIce>(impolite.handle(Tick{}, 6000)) == 0);
  }
}

TEST_CASE("An offer left unanswered is sent again as it is, at 10, 20, 40 and then every 40 s") {
  // Never rolled back and made anew: the other end may have answered it already, and a fresh offer
  // (m-lines numbered again) is one Chrome then refuses for good.
  PeerLink link("p1", "p2");
  send_offer(link, 0);
  CHECK(link.handle(Tick{}, kOfferTimeoutMs - 1).empty());
  std::int64_t at = 0;
  for (const std::int64_t wait : {kOfferTimeoutMs, 2 * kOfferTimeoutMs, 4 * kOfferTimeoutMs, kMaxOfferRetryMs}) {
    at += wait;
    CHECK(link.handle(Tick{}, at - 1).empty());
    const auto out = link.handle(Tick{}, at);
    REQUIRE(count_of<SendSignal>(out) == 1);
    CHECK(std::get<client::SignalOffer>(first_of<SendSignal>(out).message).sdp == "our-offer");
    CHECK(count_of<SetLocalDescription>(out) == 0);
    CHECK(count_of<RestartIce>(out) == 0);
    CHECK(link.expected_signaling_state() == SignalingState::have_local_offer);
  }
}

TEST_CASE("An answer that arrives after the offer was sent again is taken, and the next offer waits 10 s again") {
  PeerLink link("p1", "p2");
  send_offer(link, 0);
  link.handle(Tick{}, kOfferTimeoutMs);
  link.handle(Tick{}, 3 * kOfferTimeoutMs);
  auto out = link.handle(RemoteAnswer{"their-answer"}, 3 * kOfferTimeoutMs + 500);
  REQUIRE(count_of<SetRemoteDescription>(out) == 1);
  CHECK(first_of<SetRemoteDescription>(out).sdp == "their-answer");
  link.handle(RemoteDescriptionSet{first_of<SetRemoteDescription>(out).op}, 3 * kOfferTimeoutMs + 600);
  link.handle(SignalingStateChanged{SignalingState::stable}, 3 * kOfferTimeoutMs + 600);
  CHECK(count_of<SendSignal>(link.handle(Tick{}, 10 * kOfferTimeoutMs)) == 0);
  CHECK(link.handle(RemoteAnswer{"their-answer"}, 10 * kOfferTimeoutMs).empty());  // the answer to the copy: stale

  send_offer(link, 20 * kOfferTimeoutMs);
  CHECK(link.handle(Tick{}, 21 * kOfferTimeoutMs - 1).empty());
  CHECK(count_of<SendSignal>(link.handle(Tick{}, 21 * kOfferTimeoutMs)) == 1);
}

TEST_CASE("A link still not connected 10 s after its negotiation began is restarted by its impolite end") {
  // Both ends in connectionState "new" for good: what Chrome does when the polite end rolled back an
  // offer whose setLocalDescription was still running and never gathers candidates again.
  PeerLink impolite("p2", "p1"), polite("p1", "p2");
  for (PeerLink* link : {&impolite, &polite}) {
    auto out = link->handle(RemoteOffer{"their-offer"}, 0);
    CHECK(first_of<ScheduleTimer>(out).at_ms == kConnectTimeoutMs);
    link->handle(RemoteDescriptionSet{first_of<SetRemoteDescription>(out).op}, 1);
    CHECK(link->handle(Tick{}, kConnectTimeoutMs - 1).empty());
  }
  auto out = impolite.handle(Tick{}, kConnectTimeoutMs);
  CHECK(count_of<RestartIce>(out) == 1);
  CHECK(first_of<ScheduleTimer>(out).at_ms == 2 * kConnectTimeoutMs);  // and again if that does not help
  CHECK(count_of<RestartIce>(polite.handle(Tick{}, kConnectTimeoutMs)) == 0);  // no crossing restarts

  SECTION("a connected link is left alone") {
    impolite.handle(ConnectionStateChanged{ConnectionState::connected}, kConnectTimeoutMs + 5);
    CHECK(impolite.handle(Tick{}, 3 * kConnectTimeoutMs).empty());
  }
}

namespace {

// Both ends of a link opened with `ice_servers` and past their first offer/answer at t=0, so the
// connect window (kConnectTimeoutMs) is running on each.
struct NegotiatedPair {
  PeerLink impolite{"p2", "p1"};
  PeerLink polite{"p1", "p2"};
  explicit NegotiatedPair(const std::vector<mehfil::protocol::IceServer>& ice_servers) {
    for (PeerLink* link : {&impolite, &polite}) {
      link->open({500'000, 1, 30}, ice_servers);
      auto out = link->handle(RemoteOffer{"their-offer"}, 0);
      link->handle(RemoteDescriptionSet{first_of<SetRemoteDescription>(out).op}, 1);
    }
  }
};

const std::vector<mehfil::protocol::IceServer> kStunOnly = {{"stun:stun.example.org:3478", std::nullopt, std::nullopt}};
const std::vector<mehfil::protocol::IceServer> kWithTurn = {
    {"stun:stun.example.org:3478", std::nullopt, std::nullopt},
    {"turn:turn.example.org:3478?transport=udp", std::string("1700000000:u1"), std::string("credential")}};

}  // namespace

TEST_CASE("A link that cannot connect directly tries the TURN relay alone, then says it is unreachable") {
  NegotiatedPair pair(kWithTurn);
  // The first window ends: both ends switch to relay candidates; only the impolite end restarts.
  auto impolite = pair.impolite.handle(Tick{}, kConnectTimeoutMs);
  auto polite = pair.polite.handle(Tick{}, kConnectTimeoutMs);
  CHECK(count_of<UseRelayOnly>(impolite) == 1);
  CHECK(count_of<RestartIce>(impolite) == 1);
  CHECK(count_of<UseRelayOnly>(polite) == 1);
  CHECK(count_of<RestartIce>(polite) == 0);
  for (PeerLink* link : {&pair.impolite, &pair.polite}) {
    CHECK(link->state() == LinkState::negotiating);
    CHECK(link->relay_only());
    CHECK(link->unreachable_reason().empty());
  }
  SECTION("the relay works: connected, and never called unreachable") {
    pair.impolite.handle(ConnectionStateChanged{ConnectionState::connected}, kConnectTimeoutMs + 800);
    CHECK(pair.impolite.state() == LinkState::connected);
    CHECK(pair.impolite.handle(Tick{}, 3 * kConnectTimeoutMs).empty());
  }
  SECTION("the relay fails too: unreachable, with the reason, and the impolite end keeps trying") {
    impolite = pair.impolite.handle(Tick{}, 2 * kConnectTimeoutMs);
    pair.polite.handle(Tick{}, 2 * kConnectTimeoutMs);
    CHECK(count_of<UseRelayOnly>(impolite) == 0);
    CHECK(count_of<RestartIce>(impolite) == 1);
    for (PeerLink* link : {&pair.impolite, &pair.polite}) {
      CHECK(link->state() == LinkState::unreachable);
      CHECK(link->unreachable_reason() == kRelayFailed);
    }
    CHECK(count_of<RestartIce>(pair.impolite.handle(Tick{}, 3 * kConnectTimeoutMs)) == 1);
    pair.impolite.handle(ConnectionStateChanged{ConnectionState::connected}, 3 * kConnectTimeoutMs + 500);
    CHECK(pair.impolite.state() == LinkState::connected);  // the path opened after all
    CHECK(pair.impolite.unreachable_reason().empty());
  }
}

TEST_CASE("Without a TURN server a link that cannot connect is unreachable after its first window") {
  NegotiatedPair pair(kStunOnly);
  SECTION("the window runs out") {
    CHECK(pair.impolite.handle(Tick{}, kConnectTimeoutMs - 1).empty());
    const auto out = pair.impolite.handle(Tick{}, kConnectTimeoutMs);
    CHECK(count_of<UseRelayOnly>(out) == 0);
    CHECK(pair.impolite.state() == LinkState::unreachable);
    CHECK(pair.impolite.unreachable_reason() == kNoRelay);
    pair.polite.handle(Tick{}, kConnectTimeoutMs);
    CHECK(pair.polite.state() == LinkState::unreachable);
  }
  SECTION("ICE fails before the window ends, and the window starts again from then") {
    const auto out = pair.polite.handle(ConnectionStateChanged{ConnectionState::failed}, 4000);
    CHECK(pair.polite.state() == LinkState::unreachable);
    CHECK(count_of<RestartIce>(out) == 0);  // the impolite end restarts; the polite one would cross it
    CHECK(first_of<ScheduleTimer>(out).at_ms == 4000 + kConnectTimeoutMs);
  }
}

TEST_CASE("A link that connected once and then fails restarts ICE and is reconnecting, not unreachable") {
  NegotiatedPair pair(kWithTurn);
  pair.impolite.handle(ConnectionStateChanged{ConnectionState::connected}, 500);
  const auto out = pair.impolite.handle(ConnectionStateChanged{ConnectionState::failed}, 60'000);
  CHECK(count_of<RestartIce>(out) == 1);
  CHECK(count_of<UseRelayOnly>(out) == 0);
  CHECK(pair.impolite.state() == LinkState::reconnecting);
}

TEST_CASE("After the signaling socket comes back the link sends its unanswered offer again or restarts ICE") {
  PeerLink link("p1", "p2");
  SECTION("an offer out: the same offer again") {
    send_offer(link);
    const auto out = link.resync(100);
    CHECK(count_of<SetLocalDescription>(out) == 0);
    REQUIRE(count_of<SendSignal>(out) == 1);
    CHECK(std::get<client::SignalOffer>(first_of<SendSignal>(out).message).sdp == "our-offer");
  }
  SECTION("not connected: ICE restart") { CHECK(count_of<RestartIce>(link.resync(100)) == 1); }
  SECTION("connected and stable: nothing") {
    link.handle(ConnectionStateChanged{ConnectionState::connected}, 0);
    CHECK(link.resync(100).empty());
  }
}

TEST_CASE("A failed offer operation asks for negotiation again") {
  PeerLink link("p1", "p2");
  const auto out = link.handle(NegotiationNeeded{}, 0);
  const auto again = link.handle(OperationFailed{first_of<CreateOffer>(out).op, "OperationError"}, 1);
  CHECK(count_of<RestartIce>(again) == 1);
  CHECK_FALSE(link.making_offer());
}

TEST_CASE("A closed link closes its pc once and ignores everything after") {
  PeerLink link("p1", "p2");
  CHECK(count_of<ClosePeer>(link.close()) == 1);
  CHECK(link.close().empty());
  CHECK(link.state() == LinkState::closed);
  CHECK(link.handle(NegotiationNeeded{}, 0).empty());
  CHECK(link.handle(RemoteOffer{"x"}, 0).empty());
  CHECK(link.handle(ConnectionStateChanged{ConnectionState::failed}, 0).empty());
  CHECK(link.resync(0).empty());
  CHECK(link.set_send_cap({1, 1, 1}).empty());
}

TEST_CASE("Offers are numbered, the answer names the offer it answers, and an answer to an older offer is dropped") {
  PeerLink offerer("p1", "p2"), answerer("p2", "p1");
  // The answerer answers offer 1, sent twice; both answers name offer 1.
  auto out = answerer.handle(RemoteOffer{"offer-1", 1}, 0);
  answerer.handle(SignalingStateChanged{SignalingState::have_remote_offer}, 1);
  out = answerer.handle(RemoteDescriptionSet{first_of<SetRemoteDescription>(out).op}, 1);
  out = answerer.handle(DescriptionCreated{first_of<CreateAnswer>(out).op, SdpType::answer, "answer-1"}, 2);
  out = answerer.handle(LocalDescriptionSet{first_of<SetLocalDescription>(out).op}, 3);
  const auto answer = std::get<client::SignalAnswer>(first_of<SendSignal>(out).message);
  CHECK(answer.sdp == "answer-1");
  CHECK(answer.offer_id == 1);

  // The offerer's first offer is number 1; once answered, its next offer is number 2.
  send_offer(offerer, 0);
  out = offerer.handle(Tick{}, kOfferTimeoutMs);
  CHECK(std::get<client::SignalOffer>(first_of<SendSignal>(out).message).offer_id == 1);  // the copy keeps its number
  out = offerer.handle(RemoteAnswer{"answer-1", 1}, kOfferTimeoutMs + 1);
  REQUIRE(count_of<SetRemoteDescription>(out) == 1);
  offerer.handle(RemoteDescriptionSet{first_of<SetRemoteDescription>(out).op}, kOfferTimeoutMs + 2);
  offerer.handle(SignalingStateChanged{SignalingState::stable}, kOfferTimeoutMs + 2);

  const OpId set = start_offer(offerer, kOfferTimeoutMs + 3);
  offerer.handle(SignalingStateChanged{SignalingState::have_local_offer}, kOfferTimeoutMs + 4);
  out = offerer.handle(LocalDescriptionSet{set}, kOfferTimeoutMs + 4);
  CHECK(std::get<client::SignalOffer>(first_of<SendSignal>(out).message).offer_id == 2);
  // The answer to the copy of offer 1 arrives now: it does not answer offer 2.
  CHECK(offerer.handle(RemoteAnswer{"answer-1-again", 1}, kOfferTimeoutMs + 5).empty());
  CHECK(offerer.expected_signaling_state() == SignalingState::have_local_offer);
  out = offerer.handle(RemoteAnswer{"answer-2", 2}, kOfferTimeoutMs + 6);
  REQUIRE(count_of<SetRemoteDescription>(out) == 1);
  CHECK(first_of<SetRemoteDescription>(out).sdp == "answer-2");
}
