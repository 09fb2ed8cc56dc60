// The fake must refuse what a browser refuses, or the simulation would prove nothing.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fake_peer_connection.h"

using namespace mehfil::sim;
using namespace mehfil::room;

namespace {

struct Harness {
  Clock clock;
  Rng rng{7};
  std::vector<PeerEvent> events;
  FakePeerConnection pc{clock, rng, "pcA", [this](const PeerEvent& e) { events.push_back(e); }, {}};

  void settle() { clock.run_until(clock.now() + 1000); }
  template <class T>
  std::vector<T> take() {
    std::vector<T> found;
    for (const auto& e : events) {
      if (const T* t = std::get_if<T>(&e)) found.push_back(*t);
    }
    return found;
  }
  std::string failure(OpId op) {
    for (const auto& f : take<OperationFailed>()) {
      if (f.op == op) return f.error;
    }
    return "";
  }
};

std::string remote_offer(const std::string& ufrag = "pcB-g1", const std::string& id = "pcB#1") {
  return to_sdp({SdpType::offer, "pcB", ufrag, 1, id, ""});
}

}  // namespace

TEST_CASE("A fake description survives the trip through its SDP line") {
  const FakeDescription d{SdpType::answer, "pc3", "pc3-g2", 2, "pc3#4", "pc7#1"};
  const auto back = parse_sdp(to_sdp(d));
  REQUIRE(back);
  CHECK(back->type == d.type);
  CHECK(back->ufrag == d.ufrag);
  CHECK(back->answers == d.answers);
  CHECK_FALSE(parse_sdp("v=0 real sdp"));
}

TEST_CASE("The fake fires negotiationneeded once its tracks are added") {
  Harness h;
  h.settle();
  CHECK(h.take<NegotiationNeeded>().size() == 1);
}

TEST_CASE("The fake refuses what RTCPeerConnection refuses") {
  Harness h;
  SECTION("a remote offer in have-local-offer without a rollback first") {
    h.pc.create_offer(1);
    h.settle();
    h.pc.set_local_description(2, SdpType::offer, h.take<DescriptionCreated>().at(0).sdp);
    h.pc.set_remote_description(3, SdpType::offer, remote_offer());
    h.settle();
    CHECK(h.failure(3).rfind("InvalidStateError", 0) == 0);
    SECTION("but accepts it after a rollback") {
      h.pc.set_local_description(4, SdpType::rollback, "");
      h.pc.set_remote_description(5, SdpType::offer, remote_offer());
      h.settle();
      CHECK(h.failure(5).empty());
      CHECK(h.pc.signaling_state() == SignalingState::have_remote_offer);
    }
  }
  SECTION("a candidate before any remote description") {
    h.pc.add_ice_candidate(1, {"candidate:1 1 udp 1 10.0.0.1 9 typ host ufrag pcB-g1", std::string("0"), 0});
    h.settle();
    CHECK(h.failure(1).rfind("InvalidStateError", 0) == 0);
  }
  SECTION("a candidate of another ICE generation") {
    h.pc.set_remote_description(1, SdpType::offer, remote_offer());
    h.pc.add_ice_candidate(2, {"candidate:1 1 udp 1 10.0.0.1 9 typ host ufrag pcB-g0", std::string("0"), 0});
    h.settle();
    CHECK(h.failure(2).rfind("OperationError", 0) == 0);
  }
  SECTION("a rollback in stable, an answer without an offer") {
    h.pc.set_local_description(1, SdpType::rollback, "");
    h.pc.create_answer(2);
    h.settle();
    CHECK_FALSE(h.failure(1).empty());
    CHECK_FALSE(h.failure(2).empty());
  }
  SECTION("a stale answer") {
    h.pc.create_offer(1);
    h.settle();
    h.pc.set_local_description(2, SdpType::offer, h.take<DescriptionCreated>().at(0).sdp);
    h.pc.set_remote_description(3, SdpType::answer, to_sdp({SdpType::answer, "pcB", "pcB-g1", 1, "pcB#9", "pcA#0"}));
    h.settle();
    CHECK(h.failure(3).rfind("InvalidAccessError", 0) == 0);
    CHECK(h.pc.signaling_state() == SignalingState::have_local_offer);
  }
}

TEST_CASE("restartIce gives the next offer new ICE credentials") {
  Harness h;
  h.pc.set_remote_description(1, SdpType::offer, remote_offer());
  h.pc.create_answer(2);
  h.settle();
  h.pc.set_local_description(3, SdpType::answer, h.take<DescriptionCreated>().at(0).sdp);
  h.settle();
  REQUIRE(h.pc.signaling_state() == SignalingState::stable);
  const std::string before = h.pc.current_local()->ufrag;
  h.pc.restart_ice();
  h.pc.create_offer(4);
  h.settle();
  const auto offer = parse_sdp(h.take<DescriptionCreated>().back().sdp);
  REQUIRE(offer);
  CHECK(offer->ufrag != before);
}
