// The server's 1:1 call rules (wasm/core/authority/call_rules.h), headless: each row of the table in
// its header, and each refusal, read as lines ("c2 call:incoming").
#include <catch2/catch.hpp>

#include <string>
#include <type_traits>
#include <vector>

#include "authority/call_rules.h"

using namespace mehfil::authority;
using mehfil::protocol::ErrorCode;
namespace cli = mehfil::protocol::client;

namespace {

constexpr std::int64_t kStart = 1'000'000;

// Ana is on socket 1; Ben has two tabs, 2 and 3; Cy is on 4.
const Caller ana{"ana", "Ana", 1}, ben{"ben", "Ben", 2}, ben_tab2{"ben", "Ben", 3}, cy{"cy", "Cy", 4};
const Callee ben_online{true, {2, 3}, "BenRoom2"}, ana_online{true, {1}, "AnaRoom2"}, cy_online{true, {4}, "CyRoom22"};

std::vector<std::string> lines(const CallOutcome& outcome) {
  std::vector<std::string> out;
  if (outcome.problem) out.push_back(std::string(mehfil::protocol::to_string(outcome.problem->code)));
  for (const Deliver& d : outcome.deliveries) {
    const std::string type(std::visit([](const auto& m) { return std::decay_t<decltype(m)>::type_name; }, d.message));
    for (ConnId to : d.to) out.push_back("c" + std::to_string(to) + " " + type);
  }
  return out;
}
using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("A ring rings every tab of the callee, one accepts, the caller hears and the other tab stops") {
  CallRules rules;
  CHECK(lines(rules.ring(ana, {"ben", "k1"}, ben_online, kStart)) == Lines{"c2 call:incoming", "c3 call:incoming", "c1 call:ringing"});
  CHECK(rules.in_call("ana"));
  CHECK(rules.in_call("ben"));
  const auto accepted = rules.accept(ben_tab2, {"k1"}, kStart);
  CHECK(lines(accepted) == Lines{"c1 call:accepted", "c3 call:accepted", "c2 call:cancelled"});
  CHECK(std::get<mehfil::protocol::server::CallCancelled>(accepted.deliveries.at(1).message).elsewhere);
  CHECK(rules.connected_call_of("ana") == "k1");
  CHECK(lines(rules.cancel(ana, {"k1"}, kStart)) == Lines{"c3 call:cancelled"});  // hang up: the other end hears
  CHECK_FALSE(rules.in_call("ben"));
}

TEST_CASE("A declined ring tells the caller and stops the callee's other tabs") {
  CallRules rules;
  rules.ring(ana, {"ben", "k1"}, ben_online, kStart);
  CHECK(lines(rules.reject(ben, {"k1"}, kStart)) == Lines{"c1 call:rejected", "c3 call:cancelled"});
  CHECK(rules.calls() == 0);
}

TEST_CASE("A ring runs out after 30 s: both ends hear call:timeout") {
  CallRules rules;
  rules.ring(ana, {"ben", "k1"}, ben_online, kStart);
  CHECK(lines(rules.tick(kStart + kRingMs - 1)).empty());
  CHECK(lines(rules.tick(kStart + kRingMs)) == Lines{"c2 call:timeout", "c3 call:timeout", "c1 call:timeout"});
  CHECK(rules.calls() == 0);
}

TEST_CASE("Someone in a call is busy, and the caller hears call:busy at once") {
  CallRules rules;
  rules.ring(ana, {"ben", "k1"}, ben_online, kStart);
  rules.accept(ben, {"k1"}, kStart);
  CHECK(lines(rules.ring(cy, {"ben", "k2"}, ben_online, kStart)) == Lines{"c4 call:busy"});
  // Ringing someone ringing somebody else is busy too, and so is ringing while rung.
  rules.cancel(ana, {"k1"}, kStart);
  rules.ring(ana, {"cy", "k3"}, cy_online, kStart);
  CHECK(lines(rules.ring(ben, {"ana", "k4"}, ana_online, kStart)) == Lines{"c2 call:busy"});
  CHECK(lines(rules.ring(ben, {"cy", "k5"}, cy_online, kStart)) == Lines{"c2 call:busy"});
}

TEST_CASE("Glare: two people ringing each other at once both ring, and a third ring between them is refused") {
  CallRules rules;
  CHECK(lines(rules.ring(ana, {"ben", "k1"}, ben_online, kStart)) == Lines{"c2 call:incoming", "c3 call:incoming", "c1 call:ringing"});
  CHECK(lines(rules.ring(ben, {"ana", "k2"}, ana_online, kStart)) == Lines{"c1 call:incoming", "c2 call:ringing"});
  CHECK(lines(rules.ring(ana, {"ben", "k3"}, ben_online, kStart)) == Lines{"bad_request"});
  // The clients settle it: Ben's larger id loses; he cancels it and answers Ana's.
  CHECK(lines(rules.cancel(ben, {"k2"}, kStart)) == Lines{"c1 call:cancelled"});
  CHECK(lines(rules.accept(ben, {"k1"}, kStart)) == Lines{"c1 call:accepted", "c2 call:accepted", "c3 call:cancelled"});
  CHECK(rules.calls() == 1);
}

TEST_CASE("Sockets closing end what they held: a ringing caller, the last rung tab, either end of a call") {
  CallRules rules;
  rules.ring(ana, {"ben", "k1"}, ben_online, kStart);
  CHECK(lines(rules.socket_closed(ana, kStart)) == Lines{"c2 call:cancelled", "c3 call:cancelled"});
  rules.ring(ana, {"ben", "k2"}, ben_online, kStart);
  CHECK(lines(rules.socket_closed(ben, kStart)).empty());  // Ben's other tab still rings
  CHECK(lines(rules.socket_closed(ben_tab2, kStart)) == Lines{"c1 call:timeout"});
  rules.ring(ana, {"cy", "k3"}, cy_online, kStart);
  rules.accept(cy, {"k3"}, kStart);
  CHECK(lines(rules.socket_closed(cy, kStart)) == Lines{"c1 call:cancelled"});
  CHECK(rules.calls() == 0);
}

TEST_CASE("A tab opened while a call rings for its user rings too, and a video call says so to every tab") {
  CallRules rules;
  const auto rung = rules.ring(ana, {"ben", "k1", true}, Callee{true, {2}}, kStart);
  CHECK(std::get<mehfil::protocol::server::CallIncoming>(rung.deliveries.at(0).message).video);
  const auto opened = rules.socket_opened(ben_tab2);
  CHECK(lines(opened) == Lines{"c3 call:incoming"});
  CHECK(std::get<mehfil::protocol::server::CallIncoming>(opened.deliveries.at(0).message).video);
  CHECK(lines(rules.accept(ben_tab2, {"k1"}, kStart)) == Lines{"c1 call:accepted", "c3 call:accepted", "c2 call:cancelled"});
}

TEST_CASE("Refusals say what is wrong and change nothing") {
  CallRules rules;
  const auto ring_problem = [&](const Caller& who, cli::CallRing ring, const Callee& callee) {
    const auto outcome = rules.ring(who, ring, callee, kStart);
    return outcome.problem ? outcome.problem->code : ErrorCode::internal;
  };
  CHECK(ring_problem(ana, {"ana", "k1"}, ana_online) == ErrorCode::bad_request);        // yourself
  CHECK(ring_problem(ana, {"ben", "k1"}, Callee{false, {2}}) == ErrorCode::unauthorized);  // no friend, no roommate
  CHECK(ring_problem(ana, {"ben", "k1"}, Callee{true, {}}) == ErrorCode::user_offline);
  CHECK(rules.calls() == 0);
  rules.ring(ana, {"ben", "k1"}, ben_online, kStart);
  rules.reject(ben, {"k1"}, kStart);
  CHECK(ring_problem(ana, {"cy", "k1"}, cy_online) == ErrorCode::bad_request);  // an id rung before
  rules.ring(ana, {"ben", "k2"}, ben_online, kStart);
  const auto [what, code] = GENERATE(table<std::string, ErrorCode>({
      {"accept a call that does not exist", ErrorCode::not_found},
      {"accept as the caller", ErrorCode::not_found},
      {"cancel as the callee", ErrorCode::not_found},
      {"accept as a stranger", ErrorCode::not_found},
  }));
  CallOutcome outcome;
  if (what == "accept a call that does not exist") outcome = rules.accept(ben, {"nope"}, kStart);
  if (what == "accept as the caller") outcome = rules.accept(ana, {"k2"}, kStart);
  if (what == "cancel as the callee") outcome = rules.cancel(ben, {"k2"}, kStart);
  if (what == "accept as a stranger") outcome = rules.accept(cy, {"k2"}, kStart);
  INFO(what);
  REQUIRE(outcome.problem);
  CHECK(outcome.problem->code == code);
  CHECK(outcome.deliveries.empty());
  CHECK(rules.calls() == 1);
}

TEST_CASE("A call id is remembered for an hour, then forgotten") {
  CallRules rules;
  rules.ring(ana, {"ben", "k1"}, ben_online, kStart);
  rules.cancel(ana, {"k1"}, kStart);
  CHECK(rules.ring(ana, {"ben", "k1"}, ben_online, kStart + 1000).problem);
  rules.tick(kStart + kIdMemoryMs + 1);
  CHECK_FALSE(rules.ring(ana, {"ben", "k1"}, ben_online, kStart + kIdMemoryMs + 2).problem);
}

TEST_CASE("A call meets in its own room: named to the caller while it rings and to the answering tab, ended with the call") {
  CallRules rules;
  namespace srv = mehfil::protocol::server;
  const auto rung = rules.ring(ana, {"ben", "k1"}, ben_online, kStart);
  CHECK(rung.started_room == "BenRoom2");
  CHECK(std::get<srv::CallRinging>(rung.deliveries.at(2).message).room_code == "BenRoom2");
  const auto accepted = rules.accept(ben, {"k1"}, kStart);
  CHECK(std::get<srv::CallAccepted>(accepted.deliveries.at(0).message).room_code == "BenRoom2");
  CHECK(accepted.ended_rooms.empty());
  CHECK(rules.cancel(ben, {"k1"}, kStart).ended_rooms == std::vector<std::string>{"BenRoom2"});  // hung up

  // Every other way a call ends ends its room as well.
  const auto [how, expected_end] = GENERATE(table<std::string, bool>({
      {"declined", true}, {"cancelled", true}, {"no answer", true}, {"the caller's tab closed", true},
      {"the callee's last tab closed", true}, {"an accepted call's end closed", true}, {"busy", false}}));
  INFO(how);
  CallRules fresh;
  Callee callee = ben_online;
  callee.room_code = "Room" + std::to_string(how.size()) + "xyz";
  if (how == "busy") {
    fresh.ring(cy, {"ben", "k0"}, callee, kStart);
    const auto busy = fresh.ring(ana, {"ben", "k2"}, callee, kStart);
    CHECK_FALSE(busy.started_room);  // nothing rings, so no room is made
    CHECK(busy.ended_rooms.empty());
    return;
  }
  fresh.ring(ana, {"ben", "k2"}, callee, kStart);
  CallOutcome end;
  if (how == "declined") end = fresh.reject(ben, {"k2"}, kStart);
  if (how == "cancelled") end = fresh.cancel(ana, {"k2"}, kStart);
  if (how == "no answer") end = fresh.tick(kStart + kRingMs);
  if (how == "the caller's tab closed") end = fresh.socket_closed(ana, kStart);
  if (how == "the callee's last tab closed") {
    fresh.socket_closed(ben, kStart);
    end = fresh.socket_closed(ben_tab2, kStart);
  }
  if (how == "an accepted call's end closed") {
    fresh.accept(ben, {"k2"}, kStart);
    end = fresh.socket_closed(ben, kStart);
  }
  CHECK(end.ended_rooms == std::vector<std::string>{callee.room_code});
}

TEST_CASE("The callee's first ringing tab is told the call's room to wait in, and the answer says whether that tab answered") {
  namespace srv = mehfil::protocol::server;
  const auto [answering, in_waiting_tab] = GENERATE(table<Caller, bool>({{ben, true}, {ben_tab2, false}}));
  CallRules rules;
  const auto rung = rules.ring(ana, {"ben", "k1"}, ben_online, kStart);
  REQUIRE(lines(rung) == Lines{"c2 call:incoming", "c3 call:incoming", "c1 call:ringing"});
  CHECK(std::get<srv::CallIncoming>(rung.deliveries.at(0).message).room_code == "BenRoom2");
  CHECK_FALSE(std::get<srv::CallIncoming>(rung.deliveries.at(1).message).room_code);  // one tab waits, not two
  CHECK(rules.rings_in("BenRoom2"));
  CHECK_FALSE(rules.ring(cy, {"ben", "k2"}, ben_online, kStart).answered);  // busy: nothing answered

  const auto accepted = rules.accept(answering, {"k1"}, kStart + 5);
  REQUIRE(accepted.answered);
  CHECK(accepted.answered->room_code == "BenRoom2");
  CHECK(accepted.answered->in_waiting_tab == in_waiting_tab);
  CHECK_FALSE(rules.rings_in("BenRoom2"));
  CHECK_FALSE(rules.reject(ben, {"k1"}, kStart).answered);
}

TEST_CASE("Every call that ends goes to the call history: answered with its times, declined, cancelled, unanswered, busy and offline rings too") {
  CallRules rules;
  const auto only = [](const CallOutcome& outcome) {
    REQUIRE(outcome.ended.size() == 1);
    return outcome.ended.front();
  };
  rules.ring(ana, {"ben", "k1", true}, ben_online, kStart);
  CHECK(rules.accept(ben, {"k1"}, kStart + 2000).ended.empty());
  const EndedCall talked = only(rules.cancel(ben, {"k1"}, kStart + 62000));
  CHECK(talked.caller == "ana");
  CHECK(talked.callee == "ben");
  CHECK(talked.video);
  CHECK(talked.answered_at == kStart + 2000);
  CHECK(talked.ended_at - *talked.answered_at == 60000);
  CHECK(talked.end == "hung_up");

  rules.ring(ana, {"ben", "k2"}, ben_online, kStart);
  CHECK(only(rules.reject(ben, {"k2"}, kStart)).end == "declined");
  rules.ring(ana, {"ben", "k3"}, ben_online, kStart);
  CHECK(only(rules.cancel(ana, {"k3"}, kStart)).end == "cancelled");
  rules.ring(ana, {"ben", "k4"}, ben_online, kStart);
  const EndedCall unanswered = only(rules.tick(kStart + kRingMs));
  CHECK(unanswered.end == "no_answer");
  CHECK_FALSE(unanswered.answered_at);

  rules.ring(cy, {"ben", "k5"}, ben_online, kStart);
  CHECK(only(rules.ring(ana, {"ben", "k6"}, ben_online, kStart)).end == "busy");
  const CallOutcome offline = rules.ring(ana, {"dee", "k7"}, Callee{true, {}}, kStart);
  CHECK(offline.problem->code == ErrorCode::user_offline);
  CHECK(only(offline).end == "offline");
  CHECK(rules.ring(ana, {"dee", "k8"}, Callee{false, {}}, kStart).ended.empty());  // not allowed at all: no history
}

TEST_CASE("A call whose room grew is over as a call: both ends hear call:moved and the room is not ended") {
  CallRules rules;
  rules.ring(ana, {"ben", "k1"}, ben_online, kStart);
  rules.accept(ben_tab2, {"k1"}, kStart);
  const CallOutcome moved = rules.room_grew("BenRoom2", kStart + 5000);
  CHECK(lines(moved) == Lines{"c1 call:moved", "c3 call:moved"});
  CHECK(moved.ended_rooms.empty());
  REQUIRE(moved.ended.size() == 1);
  CHECK(moved.ended[0].answered_at == kStart);
  CHECK_FALSE(rules.in_call("ana"));
  CHECK(lines(rules.room_grew("BenRoom2", kStart)).empty());  // nothing left to move

  rules.ring(ana, {"ben", "k2"}, ben_online, kStart);  // still ringing: the rung tabs stop
  CHECK(lines(rules.room_grew("BenRoom2", kStart)) == Lines{"c1 call:moved", "c2 call:cancelled", "c3 call:cancelled"});
}
