// Call: 1:1 ringing from both ends, busy, the 30 s no-answer timer, and growing into a room.
#include <catch2/catch.hpp>

#include "room/call.h"
#include "room_test_support.h"

using namespace mehfil::room;
using namespace room_test;
namespace server = mehfil::protocol::server;
namespace client = mehfil::protocol::client;

namespace {

std::vector<CallCommand> from_server(Call& call, mehfil::protocol::ServerMessage message, std::int64_t now = 0) {
  return call.handle(CallServerMessage{std::move(message)}, now);
}

}  // namespace

TEST_CASE("Calling someone rings them and waits 30 s for an answer (the server says when, and our own timer waits 2 s more)") {
  Call call;
  auto out = call.handle(PlaceCall{"u2", "call-1"}, 1000);
  CHECK(call.state() == CallState::calling);
  const auto ring = std::get<client::CallRing>(first_of<SendMessage>(out).message);
  CHECK(ring.to_user_id == "u2");
  CHECK(ring.call_id == "call-1");
  CHECK(first_of<ScheduleTimer>(out).at_ms == 1000 + kOwnRingTimerMs);
  CHECK(count_of<Rejected>(call.handle(PlaceCall{"u3", "call-2"}, 1001)) == 1);

  SECTION("accepted") {
    from_server(call, server::CallAccepted{"call-1"});
    CHECK(call.state() == CallState::connected);
    CHECK(call.handle(Tick{}, 1000 + kOwnRingTimerMs).empty());  // the ring timer no longer matters
  }
  SECTION("rejected") {
    from_server(call, server::CallRejected{"call-1"});
    CHECK(call.end_reason() == CallEnd::rejected);
  }
  SECTION("busy") {
    from_server(call, server::CallBusy{"call-1"});
    CHECK(call.end_reason() == CallEnd::busy);
  }
  SECTION("cancelled by us") {
    out = call.handle(CancelCall{}, 2000);
    CHECK(std::holds_alternative<client::CallCancel>(first_of<SendMessage>(out).message));
    CHECK(call.end_reason() == CallEnd::cancelled);
  }
  SECTION("no answer: our own timer cancels the ring") {
    CHECK(call.handle(Tick{}, 1000 + kOwnRingTimerMs - 1).size() == 0);
    out = call.handle(Tick{}, 1000 + kOwnRingTimerMs);
    CHECK(std::holds_alternative<client::CallCancel>(first_of<SendMessage>(out).message));
    CHECK(call.end_reason() == CallEnd::no_answer);
  }
  SECTION("the server's timeout ends it too") {
    from_server(call, server::CallTimeout{"call-1"});
    CHECK(call.end_reason() == CallEnd::no_answer);
  }
  SECTION("answers about another call are ignored") {
    CHECK(from_server(call, server::CallAccepted{"call-9"}).empty());
    CHECK(call.state() == CallState::calling);
  }
}

TEST_CASE("An incoming call rings until it is answered, declined, cancelled or missed") {
  Call call;
  auto out = from_server(call, server::CallIncoming{"call-7", "u3", "Ravi"}, 500);
  CHECK(call.state() == CallState::ringing);
  CHECK(call.peer_user_id() == "u3");
  CHECK(first_of<ScheduleTimer>(out).at_ms == 500 + kOwnRingTimerMs);
  SECTION("accept") {
    out = call.handle(AcceptCall{}, 600);
    CHECK(std::get<client::CallAccept>(first_of<SendMessage>(out).message).call_id == "call-7");
    CHECK(call.state() == CallState::connected);
  }
  SECTION("reject") {
    out = call.handle(RejectCall{}, 600);
    CHECK(std::holds_alternative<client::CallReject>(first_of<SendMessage>(out).message));
    CHECK(call.end_reason() == CallEnd::rejected);
  }
  SECTION("the caller cancels") {
    from_server(call, server::CallCancelled{"call-7"});
    CHECK(call.end_reason() == CallEnd::cancelled);
  }
  SECTION("another tab of ours answers it") {
    from_server(call, server::CallCancelled{"call-7", true});
    CHECK(call.end_reason() == CallEnd::elsewhere);
  }
  SECTION("nobody picks up") {
    call.handle(Tick{}, 500 + kOwnRingTimerMs);
    CHECK(call.end_reason() == CallEnd::missed);
  }
  SECTION("a second incoming call is refused as busy") {
    out = from_server(call, server::CallIncoming{"call-8", "u4", "Meera"});
    CHECK(std::get<client::CallReject>(first_of<SendMessage>(out).message).call_id == "call-8");
    CHECK(call.call_id() == "call-7");
    CHECK(call.state() == CallState::ringing);
  }
}

TEST_CASE("A connected call hangs up, or its room grows into an ordinary room") {
  Call call;
  call.handle(PlaceCall{"u2", "call-1"}, 0);
  from_server(call, server::CallAccepted{"call-1"});
  REQUIRE(call.state() == CallState::connected);
  SECTION("its room grew into an ordinary room (Add people): the call is over, the room goes on") {
    const auto out = from_server(call, server::CallMoved{"call-1", "Room2345"});
    CHECK(first_of<CallUpdate>(out).reason == CallEnd::moved_to_room);
    CHECK(count_of<SendMessage>(out) == 0);  // nothing to hang up
    CHECK(from_server(call, server::CallMoved{"call-9", "Room9999"}).empty());
  }
  SECTION("we hang up") {
    call.handle(HangUp{}, 10);
    CHECK(call.end_reason() == CallEnd::hung_up);
  }
  SECTION("they hang up") {
    from_server(call, server::CallCancelled{"call-1"});
    CHECK(call.end_reason() == CallEnd::hung_up);
  }
  SECTION("after the end a new call can start") {
    call.handle(HangUp{}, 10);
    call.handle(PlaceCall{"u4", "call-2"}, 20);
    CHECK(call.state() == CallState::calling);
  }
}

TEST_CASE("Intents that make no sense are rejected, never thrown") {
  Call call;
  const auto intent = GENERATE(CallEvent{AcceptCall{}}, CallEvent{RejectCall{}}, CallEvent{CancelCall{}},
                               CallEvent{HangUp{}}, CallEvent{PlaceCall{"", "x"}});
  CHECK(count_of<Rejected>(call.handle(intent, 0)) == 1);
  CHECK(call.state() == CallState::idle);
}

TEST_CASE("Glare: both ends ring each other at once and settle on the call with the smaller id") {
  Call ana, ben;
  ana.handle(PlaceCall{"ben", "call-a"}, 1000);
  ben.handle(PlaceCall{"ana", "call-b"}, 1000);
  // Each hears the other's ring. Ana's id is smaller: she waits; Ben cancels his and answers hers.
  CHECK(from_server(ana, server::CallIncoming{"call-b", "ben", "Ben"}, 1010).empty());
  CHECK(ana.state() == CallState::calling);
  const auto out = from_server(ben, server::CallIncoming{"call-a", "ana", "Ana"}, 1010);
  std::vector<std::string> sent;
  for (const auto& command : out) {
    if (const auto* send = std::get_if<SendMessage>(&command)) {
      if (const auto* cancel = std::get_if<client::CallCancel>(&send->message)) sent.push_back("call:cancel " + cancel->call_id);
      if (const auto* accept = std::get_if<client::CallAccept>(&send->message)) sent.push_back("call:accept " + accept->call_id);
    }
  }
  CHECK(sent == std::vector<std::string>{"call:cancel call-b", "call:accept call-a"});
  CHECK(ben.state() == CallState::connected);
  CHECK(ben.call_id() == "call-a");
  from_server(ana, server::CallAccepted{"call-a"});
  CHECK(ana.state() == CallState::connected);
  // A third person's ring while calling is still refused as busy.
  CHECK(std::holds_alternative<client::CallReject>(first_of<SendMessage>(from_server(ana, server::CallIncoming{"call-c", "cy", "Cy"})).message));
}

TEST_CASE("Calling back the person who is ringing you answers their call") {
  Call call;
  from_server(call, server::CallIncoming{"call-1", "ana", "Ana"}, 1000);
  const auto out = call.handle(PlaceCall{"ana", "call-2"}, 1100);
  CHECK(std::get<client::CallAccept>(first_of<SendMessage>(out).message).call_id == "call-1");
  CHECK(call.state() == CallState::connected);
  CHECK(call.call_id() == "call-1");
  CHECK(count_of<Rejected>(Call{}.handle(PlaceCall{"", "x"}, 0)) == 1);
}

TEST_CASE("A video call says so at both ends, and a refused ring ends it saying why") {
  Call caller;
  auto out = caller.handle(PlaceCall{"ben", "call-1", true}, 0);
  CHECK(std::get<client::CallRing>(first_of<SendMessage>(out).message).video);
  CHECK(first_of<CallUpdate>(out).video);
  Call callee;
  from_server(callee, server::CallIncoming{"call-1", "ana", "Ana", true});
  CHECK(callee.video());

  const auto [code, reason] = GENERATE(table<mehfil::protocol::ErrorCode, CallEnd>({
      {mehfil::protocol::ErrorCode::user_offline, CallEnd::offline},
      {mehfil::protocol::ErrorCode::unauthorized, CallEnd::refused},
      {mehfil::protocol::ErrorCode::bad_request, CallEnd::refused},
  }));
  CHECK(caller.handle(CallRefused{"call-0", code}, 10).empty());  // about another call: nothing
  caller.handle(CallRefused{"call-1", code}, 10);
  CHECK(caller.state() == CallState::ended);
  CHECK(caller.end_reason() == reason);
}

TEST_CASE("An answer the server refuses (the caller gave up meanwhile) ends the call as cancelled") {
  Call callee;
  from_server(callee, server::CallIncoming{"call-1", "ana", "Ana"});
  callee.handle(AcceptCall{}, 10);
  REQUIRE(callee.state() == CallState::connected);
  callee.handle(CallRefused{"call-1", mehfil::protocol::ErrorCode::not_found}, 20);
  CHECK(callee.end_reason() == CallEnd::cancelled);
}

TEST_CASE("The call's room comes to the caller with call:ringing, to the callee with call:accepted, and to the tab that waits in it with call:incoming") {
  Call caller;
  auto out = caller.handle(PlaceCall{"ben", "call-1", true, "Ben"}, 1000);
  CHECK(first_of<CallUpdate>(out).peer_display_name == "Ben");
  CHECK_FALSE(first_of<CallUpdate>(out).remote_ringing);  // "Calling…"
  out = from_server(caller, server::CallRinging{"call-1", "Room2345"});
  const CallUpdate ringing = first_of<CallUpdate>(out);
  CHECK(ringing.state == CallState::calling);
  CHECK(ringing.remote_ringing);  // "Ringing…"
  CHECK(ringing.room_code == "Room2345");
  CHECK(from_server(caller, server::CallRinging{"call-9", "Room9999"}).empty());  // another call's
  from_server(caller, server::CallAccepted{"call-1", "Room2345"});
  CHECK(caller.state() == CallState::connected);
  CHECK(caller.room_code() == "Room2345");

  Call callee;
  from_server(callee, server::CallIncoming{"call-1", "ana", "Ana", true});
  out = callee.handle(AcceptCall{}, 1100);
  CHECK(first_of<CallUpdate>(out).state == CallState::connected);
  CHECK(first_of<CallUpdate>(out).room_code.empty());  // not known yet: the camera may open meanwhile
  out = from_server(callee, server::CallAccepted{"call-1", "Room2345"});
  CHECK(first_of<CallUpdate>(out).room_code == "Room2345");
  CHECK(first_of<CallUpdate>(out).peer_display_name == "Ana");

  Call waiting;  // the callee's tab the server names to wait in the room while it rings
  out = from_server(waiting, server::CallIncoming{"call-2", "ana", "Ana", true, "Room3456"});
  CHECK(first_of<CallUpdate>(out).state == CallState::ringing);
  CHECK(first_of<CallUpdate>(out).room_code == "Room3456");
}
