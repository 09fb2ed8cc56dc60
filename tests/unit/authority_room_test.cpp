// The server's room rules (wasm/core/authority/room_authority.h), headless: events in, effects out,
// read as lines ("c2 room:participant-joined", "save ben left kicked"). The real server and the
// simulation both run these rules; here each one is pinned down on its own.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <type_traits>
#include <vector>

#include "authority/room_authority.h"

using namespace mehfil::authority;
using mehfil::protocol::ErrorCode;
namespace cli = mehfil::protocol::client;
namespace srv = mehfil::protocol::server;

namespace {

constexpr std::int64_t kStart = 1'000'000;

RoomFacts facts(int max = 4) {
  RoomFacts f;
  f.room_code = "Room2345";
  f.room_name = "Standup";
  f.host_user_id = "ana";  // made the room
  f.max_participants = max;
  return f;
}

Actor person(const std::string& user_id) { return {user_id, user_id + " name", std::nullopt, false}; }

std::vector<std::string> lines(const Outcome& outcome) {
  std::vector<std::string> out;
  for (const Effect& effect : outcome.effects) {
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, Deliver>) {
            const std::string type(std::visit([](const auto& m) { return std::decay_t<decltype(m)>::type_name; }, e.message));
            for (const ConnId to : e.to) out.push_back("c" + std::to_string(to) + " " + type);
          } else if constexpr (std::is_same_v<T, Welcome>) {
            out.push_back("c" + std::to_string(e.to) + " room:joined");
          } else if constexpr (std::is_same_v<T, Bind>) {
            out.push_back("bind c" + std::to_string(e.conn));
          } else if constexpr (std::is_same_v<T, Unbind>) {
            out.push_back("unbind c" + std::to_string(e.conn));
          } else if constexpr (std::is_same_v<T, SaveMember>) {
            out.push_back("save " + e.member.user_id + (e.left_at ? " left" : "") + (e.kicked ? " kicked" : ""));
          } else if constexpr (std::is_same_v<T, SendInvites>) {
            std::string to;
            for (const std::string& user_id : e.to_user_ids) to += (to.empty() ? "" : ",") + user_id;
            out.push_back("invite " + to + " from " + e.from_user_id);
          } else if constexpr (std::is_same_v<T, SaveRecording>) {
            out.push_back("recording " + e.recording.state + " by " + e.recording.recorder_user_id);
          } else if constexpr (std::is_same_v<T, SaveReport>) {
            out.push_back("report " + e.target_user_id + " by " + e.reporter_user_id);
          } else {
            out.push_back("save room");
          }
        },
        effect);
  }
  return out;
}

bool has(const Outcome& outcome, const std::string& line) {
  const auto all = lines(outcome);
  return std::find(all.begin(), all.end(), line) != all.end();
}

std::string code_of(const Outcome& outcome) {
  if (outcome.problem) return std::string(mehfil::protocol::to_string(outcome.problem->code));
  return outcome.needs_password ? "needs password" : "admitted";
}

// One room and a clock; people join on numbered sockets.
struct Room {
  RoomAuthority rules{facts()};
  std::int64_t now = kStart;

  explicit Room(RoomFacts f = facts()) : rules(std::move(f)) {}

  Outcome join(const std::string& user_id, ConnId conn) {
    JoinRequest request;
    request.actor = person(user_id);
    request.conn = conn;
    request.fresh_peer_id = "p-" + user_id;
    return rules.join(request, now);
  }
  Outcome send(ConnId conn, const std::string& user_id, const mehfil::protocol::ClientMessage& message) {
    return rules.message(conn, person(user_id), message, now);
  }
};

}  // namespace

TEST_CASE("The room's maker comes in as host, and each next person is announced to those already in") {
  Room room;
  CHECK(room.rules.phase() == Phase::waiting);
  const Outcome first = room.join("ana", 1);
  CHECK(lines(first) == std::vector<std::string>{"bind c1", "save ana", "c1 room:joined", "save room"});
  const auto& welcome = std::get<Welcome>(first.effects[2]);
  CHECK(welcome.joined.self.is_host);
  CHECK(welcome.joined.participants.empty());
  CHECK(room.rules.phase() == Phase::active);

  const Outcome second = room.join("ben", 2);
  CHECK(lines(second) == std::vector<std::string>{"bind c2", "save ben", "c2 room:joined", "c1 room:participant-joined", "save room"});
  const auto& joined = std::get<Welcome>(second.effects[2]).joined;
  REQUIRE(joined.participants.size() == 1);
  CHECK(joined.participants[0].user_id == "ana");
  CHECK(joined.participants[0].is_host);
}

TEST_CASE("Admission: lock, capacity, password, resume and a past kick, in the order the server checks them") {
  // Three places; two are taken (by ben and dan, whose sockets dropped) or three when `full`.
  const auto [what, locked, full, has_password, given, checked, resuming, kicked, joiner, expected] =
      GENERATE(table<std::string, bool, bool, bool, bool, bool, bool, bool, std::string, std::string>({
          {"an open room with a free place", false, false, false, false, false, false, false, "cy", "admitted"},
          {"a locked room", true, false, false, false, false, false, false, "cy", "room_locked"},
          {"a locked room, for its host", true, false, false, false, false, false, false, "ana", "admitted"},
          {"a locked room, resuming a place it gave", true, false, false, false, false, true, false, "cy", "admitted"},
          {"a full room", false, true, false, false, false, false, false, "cy", "room_full"},
          {"a full room, even for its host", false, true, false, false, false, false, false, "ana", "room_full"},
          {"a password and none given", false, false, true, false, false, false, false, "cy", "wrong_password"},
          {"a password given, not yet checked", false, false, true, true, false, false, false, "cy", "needs password"},
          {"a password given and checked", false, false, true, true, true, false, false, "cy", "admitted"},
          {"a password, for its host", false, false, true, false, false, false, false, "ana", "admitted"},
          {"a password, resuming", false, false, true, false, false, true, false, "cy", "admitted"},
          {"someone the host removed", false, false, false, false, false, false, true, "cy", "kicked"},
          {"someone the host removed, in a locked full room", true, true, false, false, false, false, true, "cy", "kicked"},
          {"a locked full room", true, true, false, false, false, false, false, "cy", "room_locked"},
      }));
  INFO(what);
  RoomFacts f = facts(3);
  f.is_locked = locked;
  f.has_password = has_password;
  Room room(f);
  for (const char* other : {"ben", "dan", "eve"}) {
    if (std::string(other) != "eve" || full) room.rules.restore(Member{other, std::string("p-") + other, other}, room.now);
  }
  JoinRequest request;
  request.actor = person(joiner);
  request.conn = 9;
  request.fresh_peer_id = "p-new";
  request.password_given = given;
  request.password_checked = checked;
  request.was_kicked = kicked;
  if (resuming) request.resumed_peer = "p-old";
  const Outcome outcome = room.rules.join(request, room.now);
  CHECK(code_of(outcome) == expected);
  CHECK((room.rules.member(joiner) != nullptr) == (expected == "admitted"));
}

TEST_CASE("A room that ended or expired, or a token for another room, lets nobody in") {
  Room ended;
  ended.join("ana", 1);
  CHECK(lines(ended.send(1, "ana", cli::EndRoom{})) ==
        std::vector<std::string>{"c1 room:closed", "unbind c1", "save ana left", "save room"});
  CHECK(ended.rules.phase() == Phase::ended);
  CHECK(code_of(ended.join("ben", 2)) == "room_not_found");

  Room expired;
  expired.rules.expire(expired.now);
  CHECK(expired.rules.phase() == Phase::expired);
  CHECK(code_of(expired.join("ben", 2)) == "expired");

  Room room;
  JoinRequest foreign;
  foreign.actor = person("ben");
  foreign.actor.token_room = "Other234";
  foreign.conn = 2;
  CHECK(code_of(room.rules.join(foreign, room.now)) == "unauthorized");
}

TEST_CASE("A REST join holds a place nobody is told of, which its socket takes up, or which runs out") {
  Room room(facts(2));
  room.join("ana", 1);
  const Outcome reserved = room.join("ben", 0);  // REST: no socket yet
  CHECK(lines(reserved) == std::vector<std::string>{"save ben", "save room"});
  CHECK(code_of(room.join("cy", 3)) == "room_full");  // the reservation counts

  const Outcome arrived = room.join("ben", 2);
  CHECK(has(arrived, "c1 room:participant-joined"));

  Room other(facts(2));
  other.join("ana", 1);
  other.join("ben", 0);
  other.now += Timing{}.reservation_ms;
  // The next join frees the stale place first; nobody hears of someone they never saw.
  const Outcome after = other.join("cy", 3);
  CHECK(code_of(after) == "admitted");
  CHECK(has(after, "save ben left"));
  CHECK_FALSE(has(after, "c1 room:participant-left"));
}

TEST_CASE("A dropped member keeps their place for the grace, then is gone for everyone") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  CHECK(lines(room.rules.socket_closed(2, room.now)).empty());  // nobody is told yet
  room.now += Timing{}.resume_grace_ms - 1;
  CHECK(lines(room.rules.tick(room.now)).empty());
  room.now += 1;
  CHECK(lines(room.rules.tick(room.now)) == std::vector<std::string>{"save ben left", "c1 room:participant-left", "save room"});

  // Resuming within the grace is the same peer, and nobody is told anything.
  room.join("cy", 3);
  room.rules.socket_closed(3, room.now);
  JoinRequest resume;
  resume.actor = person("cy");
  resume.conn = 4;
  resume.fresh_peer_id = "p-fresh";
  resume.resumed_peer = "p-cy";
  const Outcome back = room.rules.join(resume, room.now + 5000);
  CHECK(std::get<Welcome>(back.effects[2]).joined.self.peer_id == "p-cy");
  CHECK_FALSE(has(back, "c1 room:participant-joined"));
}

TEST_CASE("When the host goes, the first co-host takes over, else the longest present, never a mere reservation") {
  const auto [cohost, expected] = GENERATE(table<std::string, std::string>({{"", "cy"}, {"dan", "dan"}}));
  Room room;
  room.join("ana", 1);
  room.join("ben", 0);  // reserved over REST, never came
  room.join("cy", 3);
  room.join("dan", 4);
  if (!cohost.empty()) REQUIRE_FALSE(room.send(1, "ana", cli::MakeCohost{cohost}).problem);
  const Outcome left = room.send(1, "ana", cli::LeaveRoom{});
  CHECK(room.rules.facts().host_user_id == expected);
  CHECK(has(left, "c3 room:host-changed"));
  CHECK(has(left, "c4 room:host-changed"));
}

TEST_CASE("Become Host: refused before the host arrives and while the host is here, taken while the host is away") {
  Room room;
  room.join("ben", 2);
  const Outcome early = room.send(2, "ben", cli::ClaimHost{});
  REQUIRE(early.problem);
  CHECK(early.problem->message == "The host has not arrived yet.");

  room.join("ana", 1);
  CHECK(room.send(2, "ben", cli::ClaimHost{}).problem->message == "The host is here.");

  CHECK(lines(room.rules.socket_closed(1, room.now)) == std::vector<std::string>{"c2 room:host-away"});
  const Outcome claimed = room.send(2, "ben", cli::ClaimHost{});
  CHECK_FALSE(claimed.problem);
  CHECK(room.rules.facts().host_user_id == "ben");
  CHECK(has(claimed, "c2 room:host-changed"));
  // Ana comes back a member; the room keeps its new host.
  room.join("ana", 5);
  CHECK(room.rules.facts().host_user_id == "ben");
}

TEST_CASE("A room waits for the one who made it: the host's reservation running out before their socket comes hands the room to nobody") {
  // The maker reserves a place over REST (POST /api/rooms/CODE/join) and their socket is slow to
  // come; meanwhile Ben is in. The place is let go by the sweeper's tick or by the next join.
  const std::string how = GENERATE(as<std::string>{}, "the sweeper's tick", "the next join");
  INFO(how);
  Room room;
  REQUIRE(lines(room.join("ana", 0)) == std::vector<std::string>{"save ana", "save room"});
  room.join("ben", 2);
  room.now += Timing{}.reservation_ms;
  const Outcome gone = how == "the next join" ? room.join("cy", 3) : room.rules.tick(room.now);
  CHECK(has(gone, "save ana left"));                // her seat is free for others again
  CHECK(room.rules.facts().host_user_id == "ana");  // but the room is still hers
  CHECK_FALSE(has(gone, "c2 room:host-changed"));
  CHECK_FALSE(has(gone, "save ben"));
  // Nobody may take it over before she has arrived, and she comes in as its host.
  const Outcome claim = room.send(2, "ben", cli::ClaimHost{});
  REQUIRE(claim.problem);
  CHECK(claim.problem->message == "The host has not arrived yet.");
  const Outcome arrives = room.join("ana", 1);
  const auto welcome = std::find_if(arrives.effects.begin(), arrives.effects.end(),
                                    [](const Effect& e) { return std::holds_alternative<Welcome>(e); });
  REQUIRE(welcome != arrives.effects.end());
  CHECK(std::get<Welcome>(*welcome).joined.self.is_host);
  CHECK(has(arrives, "c2 room:participant-joined"));
}

TEST_CASE("A host who arrived and then dropped is a different case: past the resume grace the room goes to the one here longest") {
  Room room;
  room.join("ana", 0);
  room.join("ana", 1);  // her socket came: she has arrived
  room.join("ben", 2);
  room.rules.socket_closed(1, room.now);
  room.now += Timing{}.resume_grace_ms;
  const Outcome gone = room.rules.tick(room.now);
  CHECK(room.rules.facts().host_user_id == "ben");
  CHECK(has(gone, "c2 room:host-changed"));
}

TEST_CASE("The host coming back within the grace is announced as host again, and a joiner hears the host is away") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  room.rules.socket_closed(1, room.now);
  const Outcome cy = room.join("cy", 3);
  CHECK(has(cy, "c3 room:host-away"));
  const Outcome back = room.join("ana", 4);
  CHECK(has(back, "c2 room:host-changed"));
  CHECK(has(back, "c3 room:host-changed"));
}

TEST_CASE("A second socket of the same person takes their place, the first is told joined_elsewhere") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  const Outcome again = room.join("ben", 7);
  CHECK(lines(again) == std::vector<std::string>{"unbind c2", "c2 room:closed", "bind c7", "save ben", "c7 room:joined", "save room"});
  CHECK(room.rules.member_on(2) == nullptr);
  CHECK(room.rules.member_on(7)->user_id == "ben");
}

TEST_CASE("A signal goes only to a peer of this room that has a socket, anything else is refused") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  CHECK(lines(room.send(1, "ana", cli::SignalOffer{"p-ben", "v=0", 1})) == std::vector<std::string>{"c2 signal:offer"});
  const Outcome stray = room.send(1, "ana", cli::SignalOffer{"p-elsewhere", "v=0", 2});
  REQUIRE(stray.problem);
  CHECK(stray.problem->code == ErrorCode::not_in_room);
  room.rules.socket_closed(2, room.now);
  CHECK(room.send(1, "ana", cli::SignalIce{"p-ben", {}}).problem);
  // A socket that is not (or no longer) a member's may not send at all.
  CHECK(room.send(2, "ben", cli::SignalOffer{"p-ana", "v=0", 3}).problem->message == "Join a room first.");
}

TEST_CASE("A kick tells the one removed, tells the others they left, and keeps them out") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  room.join("cy", 3);
  CHECK(lines(room.send(1, "ana", cli::HostKick{"ben"})) ==
        std::vector<std::string>{"c2 room:host-action", "save ben left kicked", "unbind c2", "c1 room:participant-left",
                                 "c3 room:participant-left", "save room"});
  JoinRequest again;
  again.actor = person("ben");
  again.conn = 8;
  again.was_kicked = true;  // what the store remembers
  CHECK(code_of(room.rules.join(again, room.now)) == "kicked");
}

TEST_CASE("Powers go through the one table, over a socket and over REST alike") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  room.join("cy", 3);
  CHECK(room.send(2, "ben", cli::HostMute{"cy"}).problem->code == ErrorCode::not_host);
  CHECK(room.rules.use_power(person("ben"), Power::mute, "cy", room.now).problem->code == ErrorCode::not_host);
  REQUIRE_FALSE(room.send(1, "ana", cli::MakeCohost{"ben"}).problem);
  CHECK_FALSE(room.send(2, "ben", cli::HostMute{"cy"}).problem);
  CHECK(room.send(2, "ben", cli::HostMute{"ana"}).problem->message == "Nobody can mute the host.");
  CHECK(room.rules.use_power(person("ben"), Power::kick, "ana", room.now).problem->message == "Nobody can remove the host.");
  CHECK(room.rules.use_power(person("ben"), Power::kick, "zed", room.now).problem->code == ErrorCode::not_in_room);
  CHECK(room.send(2, "ben", cli::EndRoom{}).problem->message == "Only the host can end the room.");
  // A token an embedding site minted as host for this room makes a co-host.
  Actor site_host = person("cy");
  site_host.token_room = "Room2345";
  site_host.token_says_host = true;
  CHECK_FALSE(room.rules.use_power(site_host, Power::mute, "ben", room.now).problem);
}

TEST_CASE("Locking and settings change the room's facts and tell everyone, chat off refuses chat with chat_disabled") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  CHECK(lines(room.send(1, "ana", cli::LockRoom{true})) ==
        std::vector<std::string>{"save room", "c1 room:settings-changed", "c2 room:settings-changed"});
  CHECK(room.rules.facts().is_locked);
  CHECK_FALSE(room.send(2, "ben", cli::ChatSend{"hi", "c1"}).problem);
  mehfil::protocol::RoomSettings quiet;
  quiet.chat = false;
  REQUIRE_FALSE(room.send(1, "ana", cli::ChangeSettings{quiet}).problem);
  CHECK(room.send(2, "ben", cli::ChatSend{"hi", "c2"}).problem->code == ErrorCode::chat_disabled);
}

TEST_CASE("Screen sharing off refuses a member's new share with screenshare_disabled, not a co-host's nor one already going") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  room.join("cy", 3);
  REQUIRE_FALSE(room.send(3, "cy", cli::MediaState{true, true, true}).problem);  // Cy shares before the switch
  mehfil::protocol::RoomSettings no_sharing;
  no_sharing.screenshare = false;
  REQUIRE_FALSE(room.send(1, "ana", cli::ChangeSettings{no_sharing}).problem);
  const auto refused = room.send(2, "ben", cli::MediaState{true, true, true});
  REQUIRE(refused.problem);
  CHECK(refused.problem->code == ErrorCode::screenshare_disabled);
  CHECK(refused.effects.empty());  // nobody is told Ben shares
  CHECK_FALSE(room.send(2, "ben", cli::MediaState{false, true, false}).problem);  // the mic and camera still go
  CHECK_FALSE(room.send(3, "cy", cli::MediaState{true, true, true}).problem);     // Cy's share goes on
  REQUIRE_FALSE(room.send(1, "ana", cli::MakeCohost{"ben"}).problem);
  CHECK_FALSE(room.send(2, "ben", cli::MediaState{true, true, true}).problem);
}

TEST_CASE("The room's phase follows who is in: waiting, active, waiting again, then deleted") {
  Room room;
  CHECK(room.rules.phase() == Phase::waiting);
  room.join("ana", 1);
  CHECK(room.rules.phase() == Phase::active);
  room.send(1, "ana", cli::LeaveRoom{});
  CHECK(room.rules.phase() == Phase::waiting);
  CHECK(room.rules.delete_room(person("ben"), room.now).problem->code == ErrorCode::not_host);
  CHECK_FALSE(room.rules.delete_room(person("ana"), room.now).problem);
  CHECK(room.rules.phase() == Phase::ended);
  CHECK(room.rules.facts().closed_reason == "deleted");
}

TEST_CASE("Asking what a join would meet changes nothing, lets a member with a place back in, and counts stale reservations as free") {
  Room room(facts(2));
  room.join("ana", 1);
  room.join("ben", 2);
  JoinRequest stranger;
  stranger.actor = person("cy");
  CHECK(code_of(room.rules.admission(stranger, room.now)) == "room_full");
  JoinRequest ben;
  ben.actor = person("ben");
  CHECK(code_of(room.rules.admission(ben, room.now)) == "admitted");  // a reload: his place is his
  CHECK(room.rules.admission(ben, room.now).effects.empty());

  Room reserved(facts(2));
  reserved.join("ana", 1);
  reserved.join("ben", 0);
  CHECK(code_of(reserved.rules.admission(stranger, reserved.now)) == "room_full");
  CHECK(code_of(reserved.rules.admission(stranger, reserved.now + Timing{}.reservation_ms)) == "admitted");
  CHECK(reserved.rules.member("ben") != nullptr);  // still there until a join or a tick gives it up
}

TEST_CASE("A call's room lets in its two people only, and ends when the call ends") {
  RoomFacts f = facts(2);
  f.call_between = {"ana", "ben"};
  Room room(f);
  CHECK(code_of(room.join("ana", 1)) == "admitted");
  const Outcome welcome = room.join("ben", 2);
  CHECK(code_of(welcome) == "admitted");
  const auto& joined = std::get<Welcome>(welcome.effects[2]).joined;
  CHECK(joined.room.is_call);
  // Nobody is host in a call: no powers, nobody shown as host, no "host away" when the maker drops.
  CHECK_FALSE(joined.participants.at(0).is_host);
  CHECK(room.rules.role_of("ana") == Role{});
  CHECK(room.rules.use_power(person("ana"), Power::kick, "ben", room.now).problem->code == ErrorCode::not_host);
  CHECK_FALSE(has(room.rules.socket_closed(1, room.now), "c2 room:host-away"));
  CHECK(room.send(2, "ben", cli::ClaimHost{}).problem->code == ErrorCode::not_host);
  room.join("ana", 1);
  CHECK(code_of(room.join("cy", 3)) == "not_invited");  // even with the code, and a place (after ben leaves)
  room.rules.leave("ben", room.now);
  CHECK(code_of(room.join("cy", 3)) == "not_invited");

  const Outcome ended = room.rules.call_ended(room.now);
  CHECK(has(ended, "c1 room:closed"));
  CHECK(room.rules.phase() == Phase::ended);
  CHECK(room.rules.facts().closed_reason == "call_ended");

  Room ordinary;  // any other room carries on when some call ends
  ordinary.join("ana", 1);
  CHECK(ordinary.rules.call_ended(ordinary.now).effects.empty());
  CHECK(ordinary.rules.phase() == Phase::active);
}

TEST_CASE("A callee whose phone rings waits in the call's room held back, and is let in when they answer") {
  RoomFacts f = facts(2);
  f.call_between = {"ana", "ben"};
  f.call_ringing = true;
  Room room(f);
  room.join("ana", 1);
  const Outcome waits = room.join("ben", 2);  // Ben's ringing tab
  const auto joined = std::find_if(waits.effects.begin(), waits.effects.end(), [](const Effect& e) {
    const auto* d = std::get_if<Deliver>(&e);
    return d && std::holds_alternative<srv::ParticipantJoined>(d->message);
  });
  REQUIRE(joined != waits.effects.end());
  CHECK(std::get<srv::ParticipantJoined>(std::get<Deliver>(*joined).message).user.ringing);  // Ana's core holds him back
  CHECK_FALSE(std::get<Welcome>(waits.effects[2]).joined.participants.at(0).ringing);       // Ana is no callee

  const Outcome answered = room.rules.call_answered(true, room.now);
  REQUIRE(answered.effects.size() == 1);
  const auto& updated = std::get<srv::ParticipantUpdated>(std::get<Deliver>(answered.effects[0]).message);
  CHECK(updated.user.user_id == "ben");
  CHECK_FALSE(updated.user.ringing);
  CHECK(std::get<Deliver>(answered.effects[0]).to == std::vector<ConnId>{1, 2});
  CHECK(room.rules.call_answered(true, room.now).effects.empty());  // once

  // Answered on another tab: the waiting tab's place goes, so that tab's link goes with it and the
  // answering tab comes in as a newcomer.
  Room other(f);
  other.join("ana", 1);
  other.join("ben", 2);
  CHECK(lines(other.rules.call_answered(false, other.now)) ==
        std::vector<std::string>{"c2 room:closed", "save ben left", "unbind c2", "c1 room:participant-left", "save room"});
  CHECK(other.rules.member("ben") == nullptr);
  CHECK(code_of(other.join("ben", 3)) == "admitted");
  CHECK_FALSE(other.rules.participant(*other.rules.member("ben")).ringing);

  // Nobody is held back in an ordinary room, nor in a call's room once answered.
  Room ordinary;
  ordinary.join("ana", 1);
  ordinary.join("ben", 2);
  CHECK_FALSE(ordinary.rules.participant(*ordinary.rules.member("ben")).ringing);
  CHECK(ordinary.rules.call_answered(true, ordinary.now).effects.empty());
}

TEST_CASE("Add people: either of a call's two opens its room up, hosts it, and anyone with the code may come") {
  RoomFacts f = facts(2);
  f.call_between = {"ana", "ben"};
  Room room(f);
  room.join("ana", 1);
  room.join("ben", 2);
  CHECK(code_of(room.join("cy", 3)) == "not_invited");
  const Outcome grown = room.send(2, "ben", cli::GrowRoom{});
  REQUIRE_FALSE(grown.problem);
  CHECK(has(grown, "c1 room:grown"));
  CHECK(has(grown, "c2 room:grown"));
  CHECK(has(grown, "save room"));
  CHECK(room.rules.facts().call_between.empty());
  CHECK(room.rules.facts().max_participants == kGrownRoomSize);
  CHECK(room.rules.role_of("ben").is_host);  // the one who opened it up
  CHECK(code_of(room.join("cy", 3)) == "admitted");
  CHECK(room.rules.call_ended(room.now).effects.empty());  // the call is over; the room goes on
  CHECK(room.send(1, "ana", cli::GrowRoom{}).problem->code == ErrorCode::bad_request);  // once
}

TEST_CASE("Invites: anyone in an open room may invite friends who are not here yet, and the invited need no password") {
  // ana hosts, ben is in; cy, dan and fay are ana's friends, eve is not.
  const std::vector<std::string> anas_friends{"cy", "dan", "fay"};
  const auto invite = [](std::vector<std::string> ids) {
    cli::InviteFriends m;
    for (auto& id : ids) m.friends.push_back({id});
    return m;
  };
  const auto [what, locked, max, is_call, from, named, expected] =  // dan was removed from this room once
      GENERATE(table<std::string, bool, int, bool, std::string, std::vector<std::string>, std::string>({
          {"two friends", false, 4, false, "ana", {"cy", "fay"}, "invite cy,fay from ana"},
          {"a friend named twice, and one already here", false, 4, false, "ana", {"cy", "cy", "ben"}, "invite cy from ana"},
          {"someone who is not a friend", false, 4, false, "ana", {"cy", "eve"}, "not_friends"},
          {"nobody", false, 4, false, "ana", {}, "bad_request"},
          {"only people already here", false, 4, false, "ana", {"ben"}, "bad_request"},
          {"oneself", false, 4, false, "ana", {"ana"}, "bad_request"},
          {"into a locked room", true, 4, false, "ana", {"cy"}, "room_locked"},
          {"into a full room", false, 2, false, "ana", {"cy"}, "room_full"},
          {"from a 1:1 call not yet opened up", false, 2, true, "ana", {"cy"}, "bad_request"},
          {"from someone not in the room", false, 4, false, "zed", {"cy"}, "not_in_room"},
          {"a friend the host removed", false, 4, false, "ana", {"cy", "dan"}, "kicked"},
      }));
  INFO(what);
  RoomFacts f = facts(max);
  f.is_locked = locked;
  if (is_call) f.call_between = {"ana", "ben"};
  Room room(f);
  room.join("ana", 1);
  room.join("ben", 2);
  // ben is in the room and counts as a friend of ana's here: being here is what leaves him out.
  InviteFacts facts{anas_friends, {"dan"}};
  facts.friends.push_back("ben");
  facts.friends.push_back("ana");
  const Outcome outcome = room.rules.invite(from == "ana" ? 1 : 9, person(from), invite(named), facts, room.now);
  if (outcome.problem) {
    CHECK(code_of(outcome) == expected);
    CHECK(outcome.effects.empty());
  } else {
    CHECK(lines(outcome) == std::vector<std::string>{expected, "c1 room:invites-sent"});
  }
}

TEST_CASE("An invited friend comes into a password room without the password, but not past a lock or a kick") {
  RoomFacts f = facts(4);
  f.has_password = true;
  Room room(f);
  room.join("ana", 1);
  JoinRequest cy;
  cy.actor = person("cy");
  cy.conn = 3;
  cy.fresh_peer_id = "p-cy";
  CHECK(code_of(room.rules.admission(cy, room.now)) == "wrong_password");
  cy.invited = true;
  CHECK(code_of(room.rules.admission(cy, room.now)) == "admitted");
  cy.was_kicked = true;
  CHECK(code_of(room.rules.admission(cy, room.now)) == "kicked");
  cy.was_kicked = false;
  REQUIRE_FALSE(room.send(1, "ana", cli::LockRoom{true}).problem);
  CHECK(code_of(room.rules.admission(cy, room.now)) == "room_locked");
}

TEST_CASE("Recording: the host or a co-host starts, pauses, resumes and stops it, and everyone hears each change") {
  Room room;
  room.join("ana", 1);  // host
  room.join("ben", 2);
  room.join("cy", 3);
  REQUIRE_FALSE(room.send(1, "ana", cli::MakeCohost{"cy"}).problem);
  CHECK(room.send(2, "ben", cli::StartRecording{}).problem->code == ErrorCode::not_host);
  const Outcome started = room.send(3, "cy", cli::StartRecording{});  // a co-host may
  REQUIRE_FALSE(started.problem);
  for (const char* to : {"c1 room:recording", "c2 room:recording", "c3 room:recording"}) CHECK(has(started, to));
  CHECK(has(started, "recording recording by cy"));  // the shell keeps its row
  const auto& state = std::get<srv::RecordingState>(std::get<Deliver>(started.effects[0]).message);
  CHECK(state.state == "recording");
  CHECK(state.recorder_user_id == "cy");
  CHECK(state.recording_id == "Room2345-" + std::to_string(room.now));

  const auto [step, expected_state, refused] = GENERATE(table<std::string, std::string, std::string>({
      {"start again", "recording", "bad_request"},
      {"resume while recording", "recording", "bad_request"},
      {"pause", "paused", ""},
      {"stop", "off", ""},
  }));
  INFO(step);
  mehfil::protocol::ClientMessage message = cli::StartRecording{};
  if (step == "resume while recording") message = cli::ResumeRecording{};
  if (step == "pause") message = cli::PauseRecording{};
  if (step == "stop") message = cli::StopRecording{};
  const Outcome outcome = room.send(1, "ana", message);
  CHECK(code_of(outcome) == (refused.empty() ? "admitted" : refused));
  CHECK(room.rules.facts().recording.state == expected_state);
  if (step == "pause") {
    CHECK(code_of(room.send(1, "ana", cli::PauseRecording{})) == "bad_request");
    REQUIRE_FALSE(room.send(1, "ana", cli::ResumeRecording{}).problem);
    CHECK(room.rules.facts().recording.state == "recording");
  }
}

TEST_CASE("A joiner hears the recording after room:joined, and when the recorder goes another host or co-host takes it over, until nobody is left") {
  Room room;
  room.join("ana", 1);  // host
  room.join("ben", 2);
  REQUIRE_FALSE(room.send(1, "ana", cli::MakeCohost{"ben"}).problem);
  REQUIRE_FALSE(room.send(1, "ana", cli::StartRecording{}).problem);
  const Outcome joined = room.join("cy", 3);
  CHECK(has(joined, "c3 room:joined"));
  CHECK_FALSE(has(joined, "c3 room:recording"));  // it comes with the room, not after it
  const auto welcome = std::find_if(joined.effects.begin(), joined.effects.end(), [](const Effect& e) { return std::holds_alternative<Welcome>(e); });
  REQUIRE(welcome != joined.effects.end());
  const auto& found = std::get<Welcome>(*welcome).joined.recording;
  REQUIRE(found);
  CHECK(found->state == "recording");
  CHECK(found->recorder_user_id == "ana");

  const Outcome dropped = room.rules.socket_closed(1, room.now);  // the recorder's tab died
  CHECK(has(dropped, "c2 room:recording"));
  CHECK(has(dropped, "recording recording by ben"));
  CHECK(room.rules.facts().recording.recorder_user_id == "ben");
  CHECK(room.rules.facts().recording.state == "recording");

  room.rules.socket_closed(2, room.now);  // ben's too: nobody here may record; it waits for them
  CHECK(room.rules.facts().recording.state == "recording");
  room.now += 60'000;  // past the grace their places go: cy is host now, and records
  const Outcome gone = room.rules.tick(room.now);
  CHECK(has(gone, "c3 room:recording"));
  CHECK(room.rules.role_of("cy").is_host);
  CHECK(room.rules.facts().recording.recorder_user_id == "cy");
  const Outcome left = room.send(3, "cy", cli::LeaveRoom{});  // the last one leaves: it stops
  REQUIRE_FALSE(left.problem);
  CHECK(has(left, "recording off by cy"));
  CHECK(room.rules.facts().recording.state == "off");
}

TEST_CASE("A recording keeps the size it started with, through a handover, and only 720 or 1080 lines are a size") {
  Room room;
  room.join("ana", 1);  // host
  room.join("ben", 2);
  REQUIRE_FALSE(room.send(1, "ana", cli::MakeCohost{"ben"}).problem);
  const auto [height, refused] = GENERATE(table<int, bool>({{721, true}, {1080, false}}));
  INFO(height);
  const Outcome started = room.send(1, "ana", cli::StartRecording{height});
  CHECK(code_of(started) == (refused ? "bad_request" : "admitted"));
  if (refused) {
    CHECK(room.rules.facts().recording.state == "off");
    CHECK(code_of(room.send(1, "ana", cli::StartRecording{})) == "admitted");  // left out: 720
    CHECK(room.rules.facts().recording.height == 720);
    return;
  }
  CHECK(std::get<srv::RecordingState>(std::get<Deliver>(started.effects[0]).message).height == 1080);
  const Outcome dropped = room.rules.socket_closed(1, room.now);  // ben takes it over at the same size
  CHECK(has(dropped, "c2 room:recording"));
  CHECK(room.rules.facts().recording.recorder_user_id == "ben");
  CHECK(room.rules.facts().recording.height == 1080);
}

TEST_CASE("With Record automatically, the host's arrival starts a recording the host records, and nothing else does") {
  RoomFacts f = facts();
  f.settings.record_automatically = true;
  Room room(f);
  const Outcome early = room.join("ben", 2);  // a member before the host: nothing yet
  CHECK_FALSE(has(early, "recording recording by ben"));
  CHECK(room.rules.facts().recording.state == "off");
  const Outcome host = room.join("ana", 1);
  CHECK(has(host, "recording recording by ana"));
  const auto welcome = std::find_if(host.effects.begin(), host.effects.end(), [](const Effect& e) { return std::holds_alternative<Welcome>(e); });
  REQUIRE(welcome != host.effects.end());
  REQUIRE(std::get<Welcome>(*welcome).joined.recording);  // the host's browser hears it is the recorder, with the room
  CHECK(std::get<Welcome>(*welcome).joined.recording->recorder_user_id == "ana");
  CHECK(has(host, "c2 room:recording"));
  CHECK(room.rules.facts().recording.recorder_user_id == "ana");
  REQUIRE_FALSE(room.send(1, "ana", cli::StopRecording{}).problem);
  room.rules.socket_closed(1, room.now);  // the host's socket drops and comes back: not recorded again
  CHECK_FALSE(has(room.join("ana", 3), "recording recording by ana"));
  CHECK(room.rules.facts().recording.state == "off");
}

TEST_CASE("A booked meeting's room opens at its time, warns before its end, and ends on time") {
  RoomFacts f = facts();
  const std::int64_t opens = kStart + 60'000, ends = kStart + 3'600'000;
  f.meeting = MeetingTimes{opens, ends};
  Room room(f);

  // Before the window: nobody comes in, the host neither, and retry_after says when to come back.
  Outcome early = room.join("ana", 1);
  REQUIRE(early.problem);
  CHECK(code_of(early) == "meeting_not_open");
  CHECK(early.problem->retry_after_s == 60);
  room.now = opens - 1500;
  CHECK(room.join("ben", 2).problem->retry_after_s == 2);

  room.now = opens;
  CHECK(code_of(room.join("ana", 1)) == "admitted");
  CHECK(code_of(room.join("ben", 2)) == "admitted");
  CHECK(lines(room.rules.tick(ends - kMeetingWarningMs - 1)).empty());
  // Five minutes before the end, everyone hears when it ends, once.
  const Outcome warned = room.rules.tick(ends - kMeetingWarningMs);
  CHECK(lines(warned) == std::vector<std::string>{"c1 room:ending", "c2 room:ending"});
  CHECK(std::get<srv::RoomEnding>(std::get<Deliver>(warned.effects[0]).message).at == ends);
  CHECK(lines(room.rules.tick(ends - 1000)).empty());
  // Who joins after the warning hears it too.
  room.now = ends - 60'000;
  CHECK(has(room.join("cy", 3), "c3 room:ending"));
  // At the end the room closes for everyone, as "meeting_over".
  const Outcome over = room.rules.tick(ends);
  CHECK(has(over, "c1 room:closed"));
  CHECK(has(over, "c3 room:closed"));
  CHECK(std::get<srv::RoomClosed>(std::get<Deliver>(over.effects[0]).message).reason == "meeting_over");
  CHECK(room.rules.phase() == Phase::ended);
}

TEST_CASE("Nobody comes into a meeting's room from its end on, even before the clock ends the room") {
  RoomFacts f = facts();
  f.meeting = MeetingTimes{kStart - 60'000, kStart};
  Room room(f);
  CHECK(code_of(room.join("ana", 1)) == "expired");
  room.now = kStart - 1;
  CHECK(code_of(room.join("ana", 1)) == "admitted");
}

TEST_CASE("A room that is no meeting never warns or ends on the clock") {
  Room room;
  CHECK(code_of(room.join("ana", 1)) == "admitted");
  CHECK(lines(room.rules.tick(kStart + 365LL * 24 * 3'600'000)).empty());
  CHECK(room.rules.phase() == Phase::active);
}

// ---------------------------------------------------------------------------------------------
// hands, reactions, Mute all (gestures.h)

namespace {

std::optional<std::int64_t> hand_of(const RoomAuthority& rules, const std::string& user_id) {
  return rules.member(user_id)->hand_raised_at;
}

// Who has a hand up, in the order the room shows them (the time each went up).
std::vector<std::string> hands_in_order(const RoomAuthority& rules) {
  std::vector<const Member*> up;
  for (const Member& m : rules.members()) {
    if (m.hand_raised_at) up.push_back(&m);
  }
  std::stable_sort(up.begin(), up.end(), [](const Member* a, const Member* b) { return *a->hand_raised_at < *b->hand_raised_at; });
  std::vector<std::string> names;
  for (const Member* m : up) names.push_back(m->user_id);
  return names;
}

}  // namespace

TEST_CASE("A raised hand tells everyone once, in the order hands went up, and lowering one keeps the others' order") {
  Room room;
  for (const auto& [who, conn] : {std::pair{"ana", 1}, {"ben", 2}, {"cy", 3}, {"dan", 4}}) room.join(who, conn);
  room.now += 1000;
  CHECK(lines(room.send(4, "dan", cli::RaiseHand{true, std::nullopt})) ==
        std::vector<std::string>{"c1 room:participant-updated", "c2 room:participant-updated", "c3 room:participant-updated",
                                 "c4 room:participant-updated"});
  CHECK(hand_of(room.rules, "dan") == room.now);
  room.now += 1000;
  room.send(2, "ben", cli::RaiseHand{true, std::nullopt});
  room.now += 1000;
  room.send(3, "cy", cli::RaiseHand{true, std::nullopt});
  CHECK(hands_in_order(room.rules) == std::vector<std::string>{"dan", "ben", "cy"});
  // Up again changes nothing, tells nobody and uses none of the budget: dan keeps his place.
  room.now += 1000;
  for (int i = 0; i < 2 * kHandChangesPerWindow; ++i) {
    const Outcome again = room.send(4, "dan", cli::RaiseHand{true, std::nullopt});
    REQUIRE_FALSE(again.problem);
    CHECK(lines(again).empty());
  }
  room.send(2, "ben", cli::RaiseHand{false, std::nullopt});
  CHECK(hands_in_order(room.rules) == std::vector<std::string>{"dan", "cy"});
  // What everyone hears carries the hand; a hand is never saved.
  const Outcome down = room.send(4, "dan", cli::RaiseHand{false, std::nullopt});
  CHECK_FALSE(has(down, "save dan"));
  CHECK_FALSE(std::get<srv::ParticipantUpdated>(std::get<Deliver>(down.effects[0]).message).user.hand_raised_at);
  CHECK(hands_in_order(room.rules) == std::vector<std::string>{"cy"});
}

TEST_CASE("The host and co-hosts lower anyone's hand, nobody raises someone else's, and a member lowers only their own") {
  Room room;
  for (const auto& [who, conn] : {std::pair{"ana", 1}, {"ben", 2}, {"cy", 3}}) room.join(who, conn);
  room.send(3, "cy", cli::RaiseHand{true, std::nullopt});
  room.send(1, "ana", cli::RaiseHand{true, std::nullopt});
  const auto [actor, conn, target, raised, expected] = GENERATE(table<std::string, ConnId, std::string, bool, std::string>({
      {"ben", 2, "cy", false, "not_host"},  // a member lowering someone else's
      {"ben", 2, "cy", true, "bad_request"},
      {"ana", 1, "cy", true, "bad_request"},  // not even the host raises a hand for someone
      {"ana", 1, "zed", false, "not_in_room"},
      {"ana", 1, "cy", false, "lowered"},
      {"ben", 2, "ben", false, "own"},  // naming oneself is one's own hand, power or not
  }));
  CAPTURE(actor, target, raised);
  if (expected == "own") {
    REQUIRE_FALSE(room.send(2, "ben", cli::RaiseHand{true, std::nullopt}).problem);
    REQUIRE(hand_of(room.rules, "ben"));
  }
  const Outcome outcome = room.send(conn, actor, cli::RaiseHand{raised, target});
  if (expected == "own") {
    CHECK_FALSE(outcome.problem);
    CHECK_FALSE(hand_of(room.rules, "ben"));
  } else if (expected != "lowered") {
    REQUIRE(outcome.problem);
    CHECK(mehfil::protocol::to_string(outcome.problem->code) == expected);
    CHECK(outcome.effects.empty());
    CHECK(hand_of(room.rules, "cy"));
  } else {
    CHECK_FALSE(outcome.problem);
    CHECK_FALSE(hand_of(room.rules, "cy"));
    // A co-host lowers even the host's hand: it only tidies the queue.
    REQUIRE_FALSE(room.send(1, "ana", cli::MakeCohost{"ben"}).problem);
    REQUIRE_FALSE(room.send(2, "ben", cli::RaiseHand{false, std::string("ana")}).problem);
    CHECK_FALSE(hand_of(room.rules, "ana"));
  }
}

TEST_CASE("Two hands raised in the same millisecond still go up in an order every page agrees on") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  room.send(2, "ben", cli::RaiseHand{true, std::nullopt});
  room.send(1, "ana", cli::RaiseHand{true, std::nullopt});
  CHECK(*hand_of(room.rules, "ben") < *hand_of(room.rules, "ana"));
  CHECK(hands_in_order(room.rules) == std::vector<std::string>{"ben", "ana"});
}

TEST_CASE("Hands and reactions are rate-limited per member, with the seconds to wait, and the window slides") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  for (int i = 0; i < kReactionsPerWindow; ++i) {
    room.now += 10;
    const Outcome sent = room.send(2, "ben", cli::SendReaction{"\U0001F44F"});
    REQUIRE_FALSE(sent.problem);
    CHECK(lines(sent) == std::vector<std::string>{"c1 room:reaction", "c2 room:reaction"});  // the sender sees it too
  }
  const std::int64_t first = kStart + 10;
  room.now += 10;
  const Outcome flooded = room.send(2, "ben", cli::SendReaction{"\U0001F44F"});
  REQUIRE(flooded.problem);
  CHECK(flooded.problem->code == ErrorCode::rate_limited);
  CHECK(flooded.problem->retry_after_s == static_cast<int>((first + kReactionWindowMs - room.now + 999) / 1000));
  CHECK(flooded.effects.empty());
  CHECK_FALSE(room.send(1, "ana", cli::SendReaction{"\U0001F389"}).problem);  // ana's budget is her own
  room.now = first + kReactionWindowMs;  // the first one left the window: one more fits
  CHECK_FALSE(room.send(2, "ben", cli::SendReaction{"\U0001F44F"}).problem);
  CHECK(room.send(2, "ben", cli::SendReaction{"\U0001F44F"}).problem->code == ErrorCode::rate_limited);

  for (int i = 0; i < kHandChangesPerWindow; ++i) REQUIRE_FALSE(room.send(2, "ben", cli::RaiseHand{i % 2 == 0, std::nullopt}).problem);
  const Outcome hand = room.send(2, "ben", cli::RaiseHand{true, std::nullopt});
  REQUIRE(hand.problem);
  CHECK(hand.problem->code == ErrorCode::rate_limited);
  CHECK_FALSE(hand_of(room.rules, "ben"));  // refused: nothing changed
}

TEST_CASE("A hand stays up through a dropped socket, comes back in room:joined, and goes with its owner") {
  Room room;
  room.join("ana", 1);
  room.join("ben", 2);
  room.send(2, "ben", cli::RaiseHand{true, std::nullopt});
  room.rules.socket_closed(2, room.now);
  JoinRequest back;
  back.actor = person("ben");
  back.conn = 5;
  back.resumed_peer = "p-ben";
  const Outcome rejoined = room.rules.join(back, room.now + 1000);
  const auto welcome = std::find_if(rejoined.effects.begin(), rejoined.effects.end(), [](const Effect& e) { return std::holds_alternative<Welcome>(e); });
  REQUIRE(welcome != rejoined.effects.end());
  CHECK(std::get<Welcome>(*welcome).joined.self.hand_raised_at == kStart);
  room.send(5, "ben", cli::LeaveRoom{});
  room.join("ben", 6);
  CHECK_FALSE(hand_of(room.rules, "ben"));
}

TEST_CASE("Mute all mutes everyone whose microphone is on but the one who asks and the host, and members may not") {
  Room room;
  for (const auto& [who, conn] : {std::pair{"ana", 1}, {"ben", 2}, {"cy", 3}, {"dan", 4}}) {
    room.join(who, conn);
    room.send(conn, who, cli::MediaState{who != std::string("dan"), true, false});  // dan's microphone is off already
  }
  CHECK(room.send(3, "cy", cli::MuteAll{}).problem->message == "Only the host or a co-host can mute everyone.");
  REQUIRE_FALSE(room.send(1, "ana", cli::MakeCohost{"ben"}).problem);
  const Outcome muted = room.send(2, "ben", cli::MuteAll{});
  REQUIRE_FALSE(muted.problem);
  // Only cy is told to mute: ben asked, ana is the host, dan was muted already.
  CHECK(lines(muted) == std::vector<std::string>{"c3 room:host-action", "save cy", "c1 room:participant-updated", "c2 room:participant-updated",
                                                 "c3 room:participant-updated", "c4 room:participant-updated"});
  CHECK(room.rules.member("ana")->audio);
  CHECK(room.rules.member("ben")->audio);
  CHECK_FALSE(room.rules.member("cy")->audio);
  const Outcome by_host = room.send(1, "ana", cli::MuteAll{});
  CHECK(has(by_host, "c2 room:host-action"));
  CHECK_FALSE(room.rules.member("ben")->audio);
  CHECK(room.rules.member("ana")->audio);
  CHECK(lines(room.send(1, "ana", cli::MuteAll{})).empty());  // nobody left to mute
}

// ---------------------------------------------------------------------------------------------
// the waiting room

namespace {

RoomFacts with_waiting_room(int max = 4) {
  RoomFacts f = facts(max);
  f.settings.waiting_room = true;
  return f;
}

std::vector<std::string> queue_of(const RoomAuthority& rules) {
  std::vector<std::string> ids;
  for (const Knock& k : rules.knocking()) ids.push_back(k.user_id);
  return ids;
}

// The room:knock the host's socket heard last in this outcome, as user ids.
std::optional<std::vector<std::string>> knock_heard(const Outcome& outcome, ConnId host_conn) {
  std::optional<std::vector<std::string>> heard;
  for (const Effect& e : outcome.effects) {
    const auto* d = std::get_if<Deliver>(&e);
    if (!d || std::find(d->to.begin(), d->to.end(), host_conn) == d->to.end()) continue;
    if (const auto* knock = std::get_if<srv::Knock>(&d->message)) {
      heard.emplace();
      for (const auto& k : knock->waiting) heard->push_back(k.user_id);
    }
  }
  return heard;
}

}  // namespace

TEST_CASE("With the waiting room on, a joiner knocks: they hear room:waiting, the hosts hear the queue, nobody else hears of them") {
  Room room(with_waiting_room());
  room.join("ana", 1);
  const Outcome knocked = room.join("ben", 2);
  CHECK(knocked.knocks);
  CHECK(lines(knocked) == std::vector<std::string>{"bind c2", "c2 room:waiting", "c1 room:knock"});
  CHECK(queue_of(room.rules) == std::vector<std::string>{"ben"});
  CHECK_FALSE(room.rules.member("ben"));
  CHECK(room.rules.announced_count() == 1);
  room.now += 10;
  CHECK(knock_heard(room.join("cy", 3), 1) == std::vector<std::string>{"ben", "cy"});
  // A knocker is no member: room messages are refused.
  CHECK(room.send(2, "ben", cli::ChatSend{"hi", "c1"}).problem->code == ErrorCode::not_in_room);
  // Knocking again from the same tab changes nothing in the order.
  room.join("ben", 2);
  CHECK(queue_of(room.rules) == std::vector<std::string>{"ben", "cy"});
}

TEST_CASE("Admit lets one knocker in as a joiner, Admit all as many as fit, and Deny turns one away for a while") {
  Room room(with_waiting_room(3));
  room.join("ana", 1);
  room.join("ben", 2);
  room.join("cy", 3);
  room.join("dan", 4);
  CHECK(room.send(1, "ana", cli::Admit{std::string("zed")}).problem->code == ErrorCode::not_found);
  const Outcome one = room.send(1, "ana", cli::Admit{std::string("cy")});
  REQUIRE_FALSE(one.problem);
  CHECK(has(one, "c3 room:joined"));
  CHECK(knock_heard(one, 1) == std::vector<std::string>{"ben", "dan"});
  CHECK(room.rules.member("cy")->announced);
  // Three places: ana and cy are in, so Admit all lets ben in and dan waits.
  const Outcome all = room.send(1, "ana", cli::Admit{std::nullopt});
  REQUIRE_FALSE(all.problem);
  CHECK(has(all, "c2 room:joined"));
  CHECK(queue_of(room.rules) == std::vector<std::string>{"dan"});
  CHECK(room.send(1, "ana", cli::Admit{std::string("dan")}).problem->code == ErrorCode::room_full);
  // Deny: dan hears knock_denied and is let go; knocking again at once is rate_limited.
  const Outcome denied = room.send(1, "ana", cli::Deny{"dan"});
  CHECK(lines(denied) == std::vector<std::string>{"c4 error", "unbind c4", "c1 room:knock"});
  CHECK(std::get<srv::ErrorReply>(std::get<Deliver>(denied.effects[0]).message).code == ErrorCode::knock_denied);
  room.send(3, "cy", cli::LeaveRoom{});
  const Outcome again = room.join("dan", 5);
  CHECK(code_of(again) == "rate_limited");
  CHECK(again.problem->retry_after_s == 30);
  room.now += kKnockAgainMs;
  CHECK(room.join("dan", 5).knocks);
  // Someone let in before comes straight back after leaving (a reload), without knocking.
  room.send(2, "ben", cli::LeaveRoom{});
  CHECK(code_of(room.join("ben", 6)) == "admitted");
  CHECK(room.rules.member("ben"));
}

TEST_CASE("Only the host and co-hosts answer the door, a co-host hears the knocks too, and a REST join reserves nothing") {
  Room room(with_waiting_room());
  room.join("ana", 1);
  JoinRequest by_rest;
  by_rest.actor = person("ben");
  by_rest.fresh_peer_id = "p-ben";
  const Outcome rest = room.rules.join(by_rest, room.now);
  CHECK(rest.knocks);
  CHECK(rest.effects.empty());
  CHECK_FALSE(room.rules.member("ben"));
  CHECK(room.rules.knocking().empty());
  CHECK(room.join("cy", 3).knocks);
  REQUIRE_FALSE(room.send(1, "ana", cli::Admit{std::string("cy")}).problem);
  CHECK(room.send(3, "cy", cli::Admit{std::nullopt}).problem->code == ErrorCode::not_host);
  CHECK(room.send(3, "cy", cli::Deny{"x"}).problem->code == ErrorCode::not_host);
  REQUIRE_FALSE(room.send(1, "ana", cli::MakeCohost{"cy"}).problem);
  const Outcome knock = room.join("dan", 4);
  CHECK(knock_heard(knock, 3) == std::vector<std::string>{"dan"});  // the co-host hears it
  CHECK(knock_heard(knock, 1) == std::vector<std::string>{"dan"});
  CHECK_FALSE(room.send(3, "cy", cli::Deny{"dan"}).problem);
  CHECK(room.rules.knocking().empty());
}

TEST_CASE("The door's rules: lock and password come first, the host and a site's host token never knock, a closed tab or leaving leaves the queue") {
  RoomFacts f = with_waiting_room();
  f.has_password = true;
  Room room(f);
  room.join("ana", 1);  // the host: no password, no knock
  CHECK(room.rules.member("ana"));
  CHECK(code_of(room.join("ben", 2)) == "wrong_password");  // no password given: asked first
  JoinRequest with_password;
  with_password.actor = person("ben");
  with_password.conn = 2;
  with_password.fresh_peer_id = "p-ben";
  with_password.password_given = true;
  CHECK(code_of(room.rules.join(with_password, room.now)) == "needs password");
  with_password.password_checked = true;
  CHECK(room.rules.join(with_password, room.now).knocks);
  // A site's host token for this room comes straight in.
  JoinRequest site;
  site.actor = person("sy");
  site.actor.token_room = "Room2345";
  site.actor.token_says_host = true;
  site.conn = 3;
  site.password_checked = true;
  site.fresh_peer_id = "p-sy";
  CHECK(code_of(room.rules.join(site, room.now)) == "admitted");
  CHECK(room.rules.member("sy"));
  // The site's host hears the queue as a co-host would.
  with_password.actor = person("cy");
  with_password.conn = 4;
  CHECK(knock_heard(room.rules.join(with_password, room.now), 3) == std::vector<std::string>{"ben", "cy"});
  // ben closes the tab, cy leaves the door: the queue empties and the hosts hear it.
  CHECK(knock_heard(room.rules.socket_closed(2, room.now), 1) == std::vector<std::string>{"cy"});
  const Outcome left = room.send(4, "cy", cli::LeaveRoom{});
  CHECK(has(left, "unbind c4"));
  CHECK(knock_heard(left, 1) == std::vector<std::string>{});
  // Locked: nobody new knocks.
  room.send(1, "ana", cli::LockRoom{true});
  with_password.actor = person("dan");
  with_password.conn = 5;
  CHECK(code_of(room.rules.join(with_password, room.now)) == "room_locked");
}

TEST_CASE("The host leaving hands the queue to the next host, turning the waiting room off lets everyone in, and the room's end tells the door") {
  Room room(facts(6));
  room.join("ana", 1);
  room.join("ben", 2);  // in before the waiting room went on
  mehfil::protocol::RoomSettings settings;
  settings.waiting_room = true;
  REQUIRE_FALSE(room.send(1, "ana", cli::ChangeSettings{settings}).problem);
  CHECK(room.join("cy", 3).knocks);
  // The host leaves: ben is host now and hears who waits.
  const Outcome left = room.send(1, "ana", cli::LeaveRoom{});
  CHECK(room.rules.facts().host_user_id == "ben");
  CHECK(knock_heard(left, 2) == std::vector<std::string>{"cy"});
  CHECK(room.join("dan", 4).knocks);
  // The waiting room off: both come in, in the order they knocked.
  settings.waiting_room = false;
  const Outcome opened = room.send(2, "ben", cli::ChangeSettings{settings});
  CHECK(has(opened, "c3 room:joined"));
  CHECK(has(opened, "c4 room:joined"));
  CHECK(room.rules.knocking().empty());
  CHECK(room.rules.members().back().user_id == "dan");
  // On again, someone knocks, and the host ends the room: the knocker hears it too.
  settings.waiting_room = true;
  room.send(2, "ben", cli::ChangeSettings{settings});
  room.join("eve", 5);
  const Outcome ended = room.send(2, "ben", cli::EndRoom{});
  CHECK(has(ended, "c5 room:closed"));
  CHECK(has(ended, "unbind c5"));
  CHECK(room.rules.knocking().empty());
}

TEST_CASE("At most kMaxKnocking wait at the door, and the same person from a second tab keeps their place") {
  Room room(with_waiting_room());
  room.join("ana", 1);
  for (std::size_t i = 0; i < kMaxKnocking; ++i) REQUIRE(room.join("k" + std::to_string(i), 100 + i).knocks);
  CHECK(code_of(room.join("late", 999)) == "waiting_room_full");
  // k0 again from another tab: still first, the old tab told joined_elsewhere.
  const Outcome again = room.join("k0", 998);
  CHECK(again.knocks);
  CHECK(has(again, "c100 room:closed"));
  CHECK(has(again, "unbind c100"));
  CHECK(room.rules.knocking().front().conn == 998);
  CHECK(room.rules.knocking().size() == kMaxKnocking);
}

TEST_CASE("A room is listed publicly only while it is public, open and someone is in it, and never a call's or a meeting's") {
  Room room;
  CHECK_FALSE(room.rules.listed_publicly(true));  // nobody in it yet
  room.join("ana", 1);
  CHECK(room.rules.listed_publicly(true));
  CHECK_FALSE(room.rules.listed_publicly(false));  // private rooms never
  JoinRequest held;
  held.actor = person("ben");
  held.fresh_peer_id = "p-ben";
  room.rules.join(held, room.now);  // a REST reservation is nobody in the room
  room.send(1, "ana", cli::LeaveRoom{});
  CHECK_FALSE(room.rules.listed_publicly(true));
  room.join("cy", 3);
  CHECK(room.rules.listed_publicly(true));
  room.rules.expire(room.now);  // the room ends
  CHECK_FALSE(room.rules.listed_publicly(true));

  RoomFacts call = facts();
  call.call_between = {"ana", "ben"};
  Room call_room(call);
  call_room.join("ana", 1);
  CHECK_FALSE(call_room.rules.listed_publicly(true));
  RoomFacts meeting = facts();
  meeting.meeting = MeetingTimes{0, kStart + 3'600'000};
  Room meeting_room(meeting);
  meeting_room.join("ana", 1);
  CHECK_FALSE(meeting_room.rules.listed_publicly(true));
}

TEST_CASE("Someone at the door who comes in another way leaves the queue, and is never admitted twice") {
  Room room(with_waiting_room());
  room.join("ana", 1);
  CHECK(room.join("ben", 2).knocks);
  JoinRequest resumed;  // ben's other tab, with a resume token from an earlier stay
  resumed.actor = person("ben");
  resumed.conn = 3;
  resumed.resumed_peer = "p-ben-old";
  const Outcome in = room.rules.join(resumed, room.now);
  CHECK(has(in, "c2 room:closed"));
  CHECK(has(in, "unbind c2"));
  CHECK(room.rules.knocking().empty());
  CHECK(knock_heard(in, 1) == std::vector<std::string>{});
  CHECK(room.send(1, "ana", cli::Admit{std::string("ben")}).problem->code == ErrorCode::not_found);
  CHECK(std::count_if(room.rules.members().begin(), room.rules.members().end(), [](const Member& m) { return m.user_id == "ben"; }) == 1);
}

TEST_CASE("Turning the waiting room off in a locked room lets nobody in, and a site's host token is a co-host who hears the door") {
  Room room(with_waiting_room());
  room.join("ana", 1);
  room.join("ben", 2);
  room.send(1, "ana", cli::LockRoom{true});
  mehfil::protocol::RoomSettings open;
  const Outcome off = room.send(1, "ana", cli::ChangeSettings{open});
  CHECK_FALSE(has(off, "c2 room:joined"));
  CHECK(queue_of(room.rules) == std::vector<std::string>{"ben"});  // still for the host to answer
  room.send(1, "ana", cli::LockRoom{false});
  JoinRequest site;
  site.actor = person("sy");
  site.actor.token_room = "Room2345";
  site.actor.token_says_host = true;
  site.conn = 3;
  site.fresh_peer_id = "p-sy";
  CHECK(has(room.rules.join(site, room.now), "c3 room:knock"));
  CHECK(room.rules.member("sy")->is_cohost);
}

TEST_CASE("Only someone in the room shares a file in its chat, and only while chat is on, and only someone in it fetches one") {
  Room room;
  REQUIRE(code_of(room.join("ana", 1)) == "admitted");
  CHECK_FALSE(room.rules.may_share_file("ana"));
  CHECK_FALSE(room.rules.may_fetch_file("ana"));
  CHECK(room.rules.may_share_file("ben")->code == ErrorCode::not_in_room);
  CHECK(room.rules.may_fetch_file("ben")->code == ErrorCode::not_member);
  REQUIRE(code_of(room.join("ben", 0)) == "admitted");  // a REST join's reservation is no one in the room yet
  CHECK(room.rules.may_share_file("ben")->code == ErrorCode::not_in_room);

  mehfil::protocol::client::ChangeSettings off;
  off.settings.chat = false;
  REQUIRE_FALSE(room.send(1, "ana", off).problem);
  CHECK(room.rules.may_share_file("ana")->code == ErrorCode::chat_disabled);
  CHECK_FALSE(room.rules.may_fetch_file("ana"));  // what was shared stays theirs to open

  REQUIRE_FALSE(room.rules.leave("ana", room.now).problem);
  CHECK(room.rules.may_fetch_file("ana")->code == ErrorCode::not_member);
}

TEST_CASE("A member reports someone else here: it is saved, the hosts but the one reported hear of it without the reporter, the reporter hears it was taken, five in ten minutes, kept through leaving") {
  Room room;
  for (const auto& [who, conn] : {std::pair{"ana", 1}, {"ben", 2}, {"cy", 3}}) REQUIRE(code_of(room.join(who, conn)) == "admitted");
  mehfil::protocol::client::MakeCohost cohost{"ben"};
  REQUIRE_FALSE(room.send(1, "ana", cohost).problem);
  const mehfil::protocol::client::Report about_ben{"ben", "spam", "the same link", "m1"};
  const Outcome reported = room.send(3, "cy", about_ben);
  REQUIRE_FALSE(reported.problem);
  // ben is a co-host, but the one reported; cy hears only that the report was taken
  CHECK(lines(reported) == std::vector<std::string>{"report ben by cy", "c1 room:reported", "c3 room:report-taken"});
  const auto* told = std::get_if<Deliver>(&reported.effects[1]);
  REQUIRE(told);
  CHECK(std::get<mehfil::protocol::server::Reported>(told->message) ==
        mehfil::protocol::server::Reported{"Room2345", "ben", "ben name", "spam"});
  CHECK(std::get<mehfil::protocol::server::ReportTaken>(std::get<Deliver>(reported.effects[2]).message) ==
        mehfil::protocol::server::ReportTaken{"Room2345", "ben"});

  CHECK(code_of(room.send(3, "cy", mehfil::protocol::client::Report{"cy", "spam", {}, {}})) == "not_reportable");
  CHECK(code_of(room.send(3, "cy", mehfil::protocol::client::Report{"dee", "spam", {}, {}})) == "not_reportable");
  for (int i = 0; i < 3; ++i) REQUIRE_FALSE(room.send(3, "cy", about_ben).problem);
  REQUIRE_FALSE(room.rules.leave("cy", room.now).problem);
  room.now += 60'000;
  REQUIRE(code_of(room.join("cy", 4)) == "admitted");
  REQUIRE_FALSE(room.send(4, "cy", about_ben).problem);  // the fifth
  CHECK(code_of(room.send(4, "cy", about_ben)) == "rate_limited");
  room.now += mehfil::authority::kReportWindowMs;
  CHECK_FALSE(room.send(4, "cy", about_ben).problem);
}
