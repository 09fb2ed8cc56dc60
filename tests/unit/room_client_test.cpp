// RoomClient: joining, passwords, error screens, reconnecting with a resume token and reconciling the
// snapshot, host changes, kicks, host actions, leaving.
#include <catch2/catch.hpp>

#include "room/reconnect_backoff.h"
#include "room/room_client.h"
#include "room_client_support.h"
#include "room_test_support.h"

using namespace mehfil::room;
using namespace room_test;


TEST_CASE("Joining opens the socket, sends room:join and builds a link per participant") {
  RoomClient room;
  CHECK(first_of<ShowScreen>(room.handle(StartPreview{}, 0)).screen == Screen::preview);
  CHECK(room.state() == RoomState::previewing);
  auto out = room.handle(Join{"AbCdEf23", "Asha", std::nullopt}, 0);
  CHECK(room.state() == RoomState::joining);
  CHECK(count_of<OpenSocket>(out) == 1);
  out = room.handle(SocketOpened{}, 10);
  const auto sent = first_of<SendMessage>(out);
  const auto* join = std::get_if<client::JoinRoom>(&sent.message);
  REQUIRE(join);
  CHECK(join->room_code == "AbCdEf23");
  CHECK(join->display_name == "Asha");
  CHECK_FALSE(join->resume_token);
  out = receive(room, snapshot("5", {person("1", true), person("2")}), 20);
  CHECK(room.state() == RoomState::in_room);
  const auto peers = all_of<CreatePeer>(out);
  REQUIRE(peers.size() == 2);
  CHECK(peers[0].peer_id == "p1");
  CHECK(peers[1].peer_id == "p2");
  CHECK(peers[0].offers_first);  // we are the newcomer to everyone already there
  CHECK(peers[1].offers_first);
  CHECK(first_of<ApplyParticipants>(out).participants.size() == 2);
  for (const auto& cap : all_of<SetSendCap>(out)) CHECK(cap.cap.max_bitrate_bps == 500'000);  // three people
  CHECK(room.handle(Join{"AbCdEf23", "Asha", std::nullopt}, 30).size() == 1);  // Rejected: already in
}

TEST_CASE("A wrong password asks for the password and joins again with it") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "Asha", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  auto out = receive(room, server::ErrorReply{protocol::ErrorCode::wrong_password, "wrong password", std::nullopt});
  CHECK(room.state() == RoomState::password_needed);
  CHECK(first_of<ShowScreen>(out).screen == Screen::password);
  out = room.handle(SubmitPassword{"sesame"}, 20);
  CHECK(room.state() == RoomState::joining);
  const auto sent = first_of<SendMessage>(out);
  const auto* join = std::get_if<client::JoinRoom>(&sent.message);
  REQUIRE(join);
  CHECK(join->password == "sesame");
}

TEST_CASE("Errors answering a join lead to their screens") {
  const auto [code, screen] = GENERATE(table<protocol::ErrorCode, Screen>({
      {protocol::ErrorCode::room_not_found, Screen::room_not_found},
      {protocol::ErrorCode::room_full, Screen::room_full},
      {protocol::ErrorCode::room_locked, Screen::room_locked},
      {protocol::ErrorCode::expired, Screen::expired}}));
  RoomClient room;
  room.handle(Join{"AbCdEf23", "Asha", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  const auto out = receive(room, server::ErrorReply{code, "no", std::nullopt});
  CHECK(room.state() == RoomState::failed);
  CHECK(first_of<ShowScreen>(out).screen == screen);
  CHECK(count_of<CloseSocket>(out) == 1);
}

TEST_CASE("A socket that goes silent is pinged, and closed and reconnected when nothing answers") {
  RoomClient room = in_room();  // the socket opened at 10 and last heard at 20
  auto pings = [](const Out& out) {
    int n = 0;
    for (const auto& command : out) {
      if (const auto* sent = std::get_if<SendMessage>(&command)) n += std::holds_alternative<client::Ping>(sent->message);
    }
    return n;
  };
  CHECK(pings(room.handle(Tick{}, 10 + kPingEveryMs - 1)) == 0);
  CHECK(pings(room.handle(Tick{}, 10 + kPingEveryMs)) == 1);
  SECTION("a pong (or any frame) keeps it") {
    receive(room, server::Pong{}, 20 + kSilentSocketMs - 1);
    CHECK(count_of<CloseSocket>(room.handle(Tick{}, 20 + kSilentSocketMs + 1000)) == 0);
    CHECK(room.state() == RoomState::in_room);
  }
  SECTION("silence for 25 s: closed, and the room reconnects with its links kept") {
    CHECK(count_of<CloseSocket>(room.handle(Tick{}, 20 + kSilentSocketMs - 1)) == 0);
    const auto out = room.handle(Tick{}, 20 + kSilentSocketMs);
    CHECK(count_of<CloseSocket>(out) == 1);
    CHECK(count_of<ClosePeer>(out) == 0);
    CHECK(room.state() == RoomState::reconnecting);
    CHECK(first_of<ShowToast>(out).kind == Toast::reconnecting);
  }
}

TEST_CASE("A dropped socket keeps the links and reconnects with backoff and the resume token") {
  RoomClient room = in_room();
  auto out = room.handle(SocketClosed{0.0}, 1000);
  CHECK(room.state() == RoomState::reconnecting);
  CHECK(count_of<ClosePeer>(out) == 0);  // media keeps flowing
  CHECK(first_of<ShowToast>(out).kind == Toast::reconnecting);
  CHECK(count_of<OpenSocket>(out) == 1);  // attempt 0 waits 0 s
  out = room.handle(SocketClosed{0.0}, 1100);
  CHECK(first_of<ScheduleTimer>(out).at_ms == 1100 + 300);  // attempt 1: 0.3 s
  CHECK(count_of<OpenSocket>(room.handle(Tick{}, 1399)) == 0);
  CHECK(count_of<OpenSocket>(room.handle(Tick{}, 1400)) == 1);
  out = room.handle(SocketClosed{0.0}, 1500);
  CHECK(first_of<ScheduleTimer>(out).at_ms == 1500 + 1200);  // attempt 2: 1.2 s
  room.handle(Tick{}, 2700);
  out = room.handle(SocketOpened{}, 2750);
  const auto sent = first_of<SendMessage>(out);
  const auto* join = std::get_if<client::JoinRoom>(&sent.message);
  REQUIRE(join);
  CHECK(join->resume_token == "token-5");

  SECTION("the snapshot is reconciled: gone peers closed, kept peers kept, new peers linked") {
    out = receive(room, snapshot("5", {person("1", true), person("3")}), 2800);
    CHECK(room.state() == RoomState::in_room);
    const auto closed = all_of<ClosePeer>(out);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].peer_id == "p2");
    const auto created = all_of<CreatePeer>(out);
    REQUIRE(created.size() == 1);
    CHECK(created[0].peer_id == "p3");
    CHECK(room.links().size() == 2);
    CHECK(room.link("p1") != nullptr);
    CHECK(first_of<ShowToast>(out).kind == Toast::reconnected);
    CHECK(room.reconnect_attempt() == 0);
  }
  SECTION("a new peer id from the server rebuilds every link") {
    out = receive(room, snapshot("6", {person("1", true), person("2")}), 2800);
    CHECK(count_of<ClosePeer>(out) == 2);
    CHECK(count_of<CreatePeer>(out) == 2);
    CHECK(room.self().peer_id == "p6");
  }
  SECTION("a room that is gone meanwhile ends on its screen with every link closed") {
    out = receive(room, server::ErrorReply{protocol::ErrorCode::room_not_found, "gone", std::nullopt}, 2800);
    CHECK(room.state() == RoomState::failed);
    CHECK(count_of<ClosePeer>(out) == 2);
    CHECK(first_of<ShowScreen>(out).screen == Screen::room_not_found);
  }
}

TEST_CASE("Signals go to the sender's link and are dropped from strangers") {
  RoomClient room = in_room();
  CHECK(count_of<SetRemoteDescription>(receive(room, server::SignalOffer{"p1", "offer"})) == 1);
  CHECK(receive(room, server::SignalOffer{"p9", "offer"}).empty());
}

TEST_CASE("Every new peer connection gets the STUN and TURN servers of the socket's latest hello") {
  RoomClient room = in_room();
  CHECK(first_of<CreatePeer>(receive(room, server::ParticipantJoined{"AbCdEf23", person("3"), 4})).ice_servers.empty());
  const std::vector<mehfil::protocol::IceServer> servers{{"stun:stun.example.org", std::nullopt, std::nullopt},
                                                          {"turn:turn.example.org", "1700000000:u5", "c3Rh"}};
  CHECK(receive(room, server::Hello{1, 0, servers}).empty());
  CHECK(first_of<CreatePeer>(receive(room, server::ParticipantJoined{"AbCdEf23", person("4"), 5})).ice_servers == servers);
}

TEST_CASE("Fresh ICE servers from the server reach every open link and every later one") {
  RoomClient room = in_room();
  const std::vector<mehfil::protocol::IceServer> fresh{{"turn:turn.example.org", "1700086400:u5", "ZnJlc2g="}};
  const auto out = receive(room, server::IceServers{fresh});
  const auto updates = all_of<SetIceServers>(out);
  REQUIRE(updates.size() == room.links().size());
  for (const auto& update : updates) CHECK(update.ice_servers == fresh);
  CHECK(first_of<CreatePeer>(receive(room, server::ParticipantJoined{"AbCdEf23", person("3"), 4})).ice_servers == fresh);
}

TEST_CASE("Participants joining and leaving open and close links and move the bitrate cap") {
  RoomClient room = in_room();
  auto out = receive(room, server::ParticipantJoined{"AbCdEf23", person("3"), 4});
  CHECK(first_of<CreatePeer>(out).peer_id == "p3");
  CHECK_FALSE(first_of<CreatePeer>(out).offers_first);  // the newcomer offers; we answer
  CHECK(room.participants().size() == 3);
  CHECK(count_of<SetSendCap>(out) == 1);  // only the new link; four people keep 500 kbit/s
  out = receive(room, server::ParticipantJoined{"AbCdEf23", person("4"), 5});
  for (const auto& cap : all_of<SetSendCap>(out)) CHECK(cap.cap == SendCap{300'000, 2, 15});
  CHECK(count_of<SetSendCap>(out) == 4);
  out = receive(room, server::ParticipantLeft{"AbCdEf23", "u2", "p2", 4});
  CHECK(first_of<ClosePeer>(out).peer_id == "p2");
  CHECK(room.link("p2") == nullptr);
  CHECK(receive(room, server::ParticipantJoined{"AbCdEf23", person("5"), 4}).empty());  // about ourselves: ignored
  CHECK(room.participants().size() == 3);
}

TEST_CASE("Becoming host shows a toast and unlocks the host actions") {
  RoomClient room = in_room();
  HostIntent kick;
  kick.action = HostActionKind::kick;
  kick.target_user_id = "u2";
  CHECK(count_of<Rejected>(room.handle(kick, 0)) == 1);
  const auto out = receive(room, server::HostChanged{"AbCdEf23", "u5", std::string("u1")});
  CHECK(first_of<ShowToast>(out).kind == Toast::you_are_host);
  CHECK(room.self().is_host);
  CHECK_FALSE(room.participants()[0].is_host);
  const auto sent = room.handle(kick, 0);
  REQUIRE(count_of<SendMessage>(sent) == 1);
  CHECK(std::get<client::HostKick>(first_of<SendMessage>(sent).message).target_user_id == "u2");
  SECTION("someone else becoming host is no toast") {
    CHECK(count_of<ShowToast>(receive(room, server::HostChanged{"AbCdEf23", "u2", std::string("u5")})) == 0);
  }
}

TEST_CASE("Become Host is offered only while the host is away, and any host change ends it") {
  RoomClient room = in_room();  // the host is u1
  CHECK_FALSE(room.host_away());
  CHECK(count_of<Rejected>(room.handle(ClaimHost{}, 0)) == 1);  // the host is here
  receive(room, server::HostAway{"AbCdEf23", "u9"});            // not our host: ignored
  CHECK_FALSE(room.host_away());

  receive(room, server::HostAway{"AbCdEf23", "u1"});
  CHECK(room.host_away());
  const auto sent = room.handle(ClaimHost{}, 0);
  REQUIRE(count_of<SendMessage>(sent) == 1);
  CHECK(std::holds_alternative<client::ClaimHost>(first_of<SendMessage>(sent).message));

  SECTION("someone else claims first") {
    receive(room, server::HostChanged{"AbCdEf23", "u2", std::string("u1")});
    CHECK_FALSE(room.host_away());
    CHECK(count_of<Rejected>(room.handle(ClaimHost{}, 0)) == 1);
  }
  SECTION("the host comes back") {
    receive(room, server::HostChanged{"AbCdEf23", "u1", std::string("u1")});
    CHECK_FALSE(room.host_away());
    CHECK_FALSE(room.self().is_host);
  }
}

TEST_CASE("A friend request or a new friendship from the server becomes a toast with their name") {
  RoomClient room = in_room();
  const auto asked = first_of<ShowToast>(receive(room, server::FriendUpdate{"u2", "Ben", false}));
  CHECK(asked.kind == Toast::friend_request);
  CHECK(asked.detail == "Ben");
  CHECK(first_of<ShowToast>(receive(room, server::FriendUpdate{"u2", "Ben", true})).kind == Toast::now_friends);
}

TEST_CASE("A co-host may moderate but not transfer the host role, make co-hosts or end the room") {
  RoomClient room = in_room();
  auto me = person("5");
  me.is_cohost = true;
  receive(room, server::ParticipantUpdated{"AbCdEf23", me});
  CHECK(room.role().is_cohost);
  HostIntent intent;
  intent.target_user_id = "u2";
  intent.action = HostActionKind::mute;
  CHECK(count_of<SendMessage>(room.handle(intent, 0)) == 1);
  intent.action = HostActionKind::transfer;
  CHECK(count_of<Rejected>(room.handle(intent, 0)) == 1);
  intent.action = HostActionKind::make_cohost;
  CHECK(count_of<Rejected>(room.handle(intent, 0)) == 1);
  intent.action = HostActionKind::lock;
  CHECK(count_of<SendMessage>(room.handle(intent, 0)) == 1);
  intent.action = HostActionKind::end;
  CHECK(count_of<Rejected>(room.handle(intent, 0)) == 1);
  intent.action = HostActionKind::mute;
  intent.target_user_id = "u1";  // the host
  CHECK(count_of<Rejected>(room.handle(intent, 0)) == 1);
  intent.action = HostActionKind::kick;
  intent.target_user_id = "u1";  // the host
  CHECK(count_of<Rejected>(room.handle(intent, 0)) == 1);
}

TEST_CASE("Being kicked ends the room on the kicked screen") {
  RoomClient room = in_room();
  SECTION("kick naming us") {
    const auto out = receive(room, server::HostAction{server::HostActionKind::kick, "u5", "u1"});
    CHECK(room.state() == RoomState::kicked);
    CHECK(count_of<ClosePeer>(out) == 2);
    CHECK(count_of<CloseSocket>(out) == 1);
    CHECK(first_of<ShowScreen>(out).screen == Screen::kicked);
    CHECK(room.participants().empty());
  }
  SECTION("mute naming us turns the microphone off") {
    const auto out = receive(room, server::HostAction{server::HostActionKind::mute, "u5", "u1"});
    CHECK(count_of<MuteMicrophone>(out) == 1);
    CHECK(room.state() == RoomState::in_room);
  }
  SECTION("kick naming someone else is a toast") {
    const auto out = receive(room, server::HostAction{server::HostActionKind::kick, "u2", "u1"});
    CHECK(first_of<ShowToast>(out).kind == Toast::participant_removed);
    CHECK(room.state() == RoomState::in_room);
  }
}

TEST_CASE("A logged-out session ends the call without reconnecting, and other errors in a call only say so") {
  RoomClient room = in_room();
  SECTION("session_revoked") {
    const auto out = receive(room, server::ErrorReply{protocol::ErrorCode::session_revoked, "You were logged out.", std::nullopt});
    CHECK(first_of<ReportError>(out).code == protocol::ErrorCode::session_revoked);
    CHECK(count_of<CloseSocket>(out) == 1);
    CHECK(count_of<ClosePeer>(out) == 2);
    CHECK(room.state() == RoomState::failed);
    // The socket closing afterwards starts no reconnect, then or later.
    room.handle(SocketClosed{0.0}, 1000);
    CHECK(room.state() == RoomState::failed);
    CHECK(count_of<OpenSocket>(room.handle(Tick{}, 120000)) == 0);
  }
  SECTION("another refusal") {
    const auto out = receive(room, server::ErrorReply{protocol::ErrorCode::chat_disabled, "Chat is off.", std::nullopt});
    CHECK(count_of<CloseSocket>(out) == 0);
    CHECK(room.state() == RoomState::in_room);
  }
}

TEST_CASE("A closed room shows its screen, expired rooms their own") {
  const auto [reason, screen] = GENERATE(table<std::string, Screen>({
      {"ended_by_host", Screen::room_closed}, {"expired", Screen::expired}, {"deleted", Screen::room_closed}}));
  RoomClient room = in_room();
  const auto out = receive(room, server::RoomClosed{"AbCdEf23", reason});
  CHECK(room.state() == RoomState::closed);
  CHECK(first_of<ShowScreen>(out).screen == screen);
  CHECK(count_of<ClosePeer>(out) == 2);
}

TEST_CASE("Leaving says so, closes every link and the socket") {
  RoomClient room = in_room();
  const auto out = room.handle(Leave{}, 0);
  CHECK(room.state() == RoomState::left);
  REQUIRE(count_of<SendMessage>(out) == 1);
  CHECK(std::holds_alternative<client::LeaveRoom>(first_of<SendMessage>(out).message));
  CHECK(count_of<ClosePeer>(out) == 2);
  CHECK(count_of<CloseSocket>(out) == 1);
  CHECK(count_of<Rejected>(room.handle(Leave{}, 0)) == 1);
  CHECK(count_of<Rejected>(room.handle(SendChat{"hi", "c1"}, 0)) == 1);
}

TEST_CASE("A room without its host waits, then links up when the host arrives") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "Asha", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  auto out = receive(room, snapshot("5", {person("2")}, ""));
  CHECK(room.state() == RoomState::waiting);
  CHECK(count_of<CreatePeer>(out) == 0);
  out = receive(room, server::HostChanged{"AbCdEf23", "u2", std::nullopt});
  CHECK(room.state() == RoomState::in_room);
  CHECK(first_of<CreatePeer>(out).peer_id == "p2");
}

TEST_CASE("Chat is sent while connected and each message shown once") {
  RoomClient room = in_room();
  const auto sent = room.handle(SendChat{"hello", "draft-1"}, 0);
  CHECK(std::get<client::ChatSend>(first_of<SendMessage>(sent).message).text == "hello");
  server::ChatMessage message{"m1", "u1", "User 1", "hi", 5, "x"};
  CHECK(count_of<AppendChat>(receive(room, message)) == 1);
  CHECK(count_of<AppendChat>(receive(room, message)) == 0);
}

TEST_CASE("Chat history sent as chat:message after room:joined, and again after a resume, shows each message once") {
  const auto line = [](int n) {
    return server::ChatMessage{"m" + std::to_string(n), "u1", "User 1", "line " + std::to_string(n), n, "c" + std::to_string(n)};
  };
  const auto appended = [](const Out& out) {
    std::vector<std::string> ids;
    for (const auto& a : all_of<AppendChat>(out)) ids.push_back(a.message.id);
    return ids;
  };
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  const auto joined = receive(room, snapshot("5", {person("1", true), person("2")}), 20);
  CHECK(count_of<AppendChat>(joined) == 0);  // the snapshot carries no chat
  Out history;
  for (int n = 1; n <= 3; ++n) {
    const auto out = receive(room, line(n), 30);
    history.insert(history.end(), out.begin(), out.end());
  }
  CHECK(appended(history) == std::vector<std::string>{"m1", "m2", "m3"});  // oldest first, as sent
  CHECK(appended(receive(room, line(4), 40)) == std::vector<std::string>{"m4"});

  // The socket drops; m5 is said meanwhile. The resume's room:joined is followed by the last page of
  // history again (m2..m5): only m5 is new.
  room.handle(SocketClosed{0.0}, 1000);
  room.handle(SocketOpened{}, 1010);
  REQUIRE(room.state() == RoomState::reconnecting);
  const auto rejoined = receive(room, snapshot("5", {person("1", true), person("2")}), 1020);
  CHECK(count_of<AppendChat>(rejoined) == 0);
  REQUIRE(room.state() == RoomState::in_room);
  Out again;
  for (int n = 2; n <= 5; ++n) {
    const auto out = receive(room, line(n), 1030);
    again.insert(again.end(), out.begin(), out.end());
  }
  CHECK(appended(again) == std::vector<std::string>{"m5"});

  SECTION("a new peer id (the resume was not honoured) still shows nothing twice") {
    receive(room, snapshot("6", {person("1", true)}), 2000);
    CHECK(count_of<AppendChat>(receive(room, line(1), 2010)) == 0);
    CHECK(appended(receive(room, line(6), 2020)) == std::vector<std::string>{"m6"});
  }
  SECTION("joining afresh after leaving shows the history again") {
    room.handle(Leave{}, 2000);
    room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 2010);
    room.handle(SocketOpened{}, 2020);
    receive(room, snapshot("7", {person("1", true)}), 2030);
    CHECK(appended(receive(room, line(1), 2040)) == std::vector<std::string>{"m1"});
  }
}

TEST_CASE("Reconnecting gives up after its tries with the connection_lost screen, and Reconnect resumes from there") {
  RoomClient room = in_room();
  std::int64_t now = 1000;
  Out out = room.handle(SocketClosed{0.0}, now);
  for (int tries = 1; tries <= kReconnectAttempts; ++tries) {  // the drop itself is not a try
    REQUIRE(room.state() == RoomState::reconnecting);
    now += 40'000;  // past any backoff
    room.handle(Tick{}, now);
    out = room.handle(SocketClosed{0.0}, now + 10);
  }
  CHECK(room.state() == RoomState::failed);
  CHECK(first_of<ShowScreen>(out).screen == Screen::connection_lost);
  CHECK(count_of<ClosePeer>(out) == 2);
  CHECK(room.links().empty());
  CHECK(count_of<OpenSocket>(room.handle(Tick{}, now + 100'000)) == 0);  // no more tries on its own

  out = room.handle(Reconnect{}, now + 200'000);
  CHECK(room.state() == RoomState::reconnecting);
  CHECK(count_of<OpenSocket>(out) == 1);
  out = room.handle(SocketOpened{}, now + 200'050);
  const auto sent = first_of<SendMessage>(out);
  const auto* join = std::get_if<client::JoinRoom>(&sent.message);
  REQUIRE(join);
  CHECK(join->resume_token == "token-5");
  out = receive(room, snapshot("5", {person("1", true), person("2")}), now + 200'100);
  CHECK(room.state() == RoomState::in_room);
  CHECK(count_of<CreatePeer>(out) == 2);
}

TEST_CASE("Reconnect while the backoff waits tries at once, Reconnect in the room is refused") {
  RoomClient room = in_room();
  CHECK(count_of<Rejected>(room.handle(Reconnect{}, 500)) == 1);
  room.handle(SocketClosed{0.0}, 1000);
  room.handle(SocketClosed{0.0}, 1100);
  room.handle(SocketClosed{0.0}, 1200);  // the next try waits 1.2 s
  CHECK(count_of<OpenSocket>(room.handle(Reconnect{}, 1300)) == 1);
  CHECK(room.reconnect_attempt() == 0);
}

TEST_CASE("In a 1:1 call's room, Add people sends room:grow, and room:grown makes it an ordinary room with its host") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  server::RoomJoined joined = snapshot("5", {person("1")});
  joined.room.is_call = true;
  joined.room.max_participants = 2;
  joined.self.is_host = false;  // a call has no host
  receive(room, joined, 20);
  REQUIRE(room.state() == RoomState::in_room);
  const auto out = room.handle(GrowRoom{}, 30);
  CHECK(std::holds_alternative<client::GrowRoom>(first_of<SendMessage>(out).message));
  receive(room, server::RoomGrown{"AbCdEf23", "u5", 10}, 40);
  CHECK_FALSE(room.room().is_call);
  CHECK(room.room().max_participants == 10);
  CHECK(room.role().is_host);
  CHECK(count_of<Rejected>(room.handle(GrowRoom{}, 50)) == 1);  // an ordinary room does not grow
}

TEST_CASE("Send Invites in an open room sends room:invite, and room:invites-sent is a toast of how many were invited") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  receive(room, snapshot("5", {person("1")}), 20);
  REQUIRE(room.state() == RoomState::in_room);
  const auto out = room.handle(InviteFriends{{"u7", "u8"}}, 30);
  const auto sent = std::get<client::InviteFriends>(first_of<SendMessage>(out).message);
  REQUIRE(sent.friends.size() == 2);
  CHECK(sent.friends[1].user_id == "u8");
  CHECK(count_of<Rejected>(room.handle(InviteFriends{{}}, 35)) == 1);
  const auto told = receive(room, server::InvitesSent{{{"u7"}, {"u8"}}}, 40);
  CHECK(first_of<ShowToast>(told).kind == Toast::invites_sent);
  CHECK(first_of<ShowToast>(told).detail == "2");
}

TEST_CASE("Report sends room:report, and only room:report-taken says it was sent, as a toast naming who was reported") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  receive(room, snapshot("5", {person("1")}), 20);
  REQUIRE(room.state() == RoomState::in_room);
  const auto out = room.handle(ReportMember{"u1", "spam", "the same link", std::nullopt}, 30);
  const auto sent = std::get<client::Report>(first_of<SendMessage>(out).message);
  CHECK(sent.target_user_id == "u1");
  CHECK(sent.reason == "spam");
  CHECK(count_of<ShowToast>(out) == 0);  // nothing is said before the server answers
  CHECK(count_of<Rejected>(room.handle(ReportMember{"u5", "spam", "", std::nullopt}, 35)) == 1);  // ourselves
  const auto told = receive(room, server::ReportTaken{"AbCdEf23", "u1"}, 40);
  CHECK(first_of<ShowToast>(told).kind == Toast::report_sent);
  CHECK(first_of<ShowToast>(told).detail == "u1");
}

TEST_CASE("A 1:1 call's room invites nobody until Add people opens it up") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  server::RoomJoined joined = snapshot("5", {person("1")});
  joined.room.is_call = true;
  receive(room, joined, 20);
  CHECK(count_of<Rejected>(room.handle(InviteFriends{{"u7"}}, 30)) == 1);
  receive(room, server::RoomGrown{"AbCdEf23", "u5", 10}, 40);
  CHECK(count_of<SendMessage>(room.handle(InviteFriends{{"u7"}}, 50)) == 1);
}

TEST_CASE("Recording: the host's Record sends recording:start, a member's is refused, and room:recording is kept and toasted on each change") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  receive(room, snapshot("5", {person("1")}, "u5"), 20);  // User 5 is the host here
  REQUIRE(room.role().is_host);
  CHECK(std::holds_alternative<client::StartRecording>(first_of<SendMessage>(room.handle(Record{Record::Action::start}, 30)).message));
  const auto full_hd = first_of<SendMessage>(room.handle(Record{Record::Action::start, 1080}, 30)).message;
  CHECK(std::get<client::StartRecording>(full_hd).height == 1080);
  CHECK(std::holds_alternative<client::StopRecording>(first_of<SendMessage>(room.handle(Record{Record::Action::stop}, 31)).message));
  const auto told = receive(room, server::RecordingState{"AbCdEf23", "AbCdEf23-40", "recording", "u5", 40}, 40);
  CHECK(first_of<ShowToast>(told).kind == Toast::recording);
  CHECK(first_of<ShowToast>(told).detail == "recording");
  CHECK(room.recording().recording_id == "AbCdEf23-40");
  CHECK(count_of<ShowToast>(receive(room, server::RecordingState{"AbCdEf23", "AbCdEf23-40", "recording", "u1", 40}, 50)) == 0);
  receive(room, server::HostChanged{"AbCdEf23", "u1", "u5"}, 60);  // no longer host: no controls
  CHECK(count_of<Rejected>(room.handle(Record{Record::Action::pause}, 70)) == 1);
}

TEST_CASE("A rejoin takes the recording from room:joined: the recorder records on through a reconnect, and one that stopped meanwhile is gone") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  receive(room, snapshot("5", {person("1")}, "u5"), 20);
  const server::RecordingState running{"AbCdEf23", "AbCdEf23-40", "recording", "u5", 40};
  receive(room, running, 40);
  CHECK(room.records_here());  // this browser records the room
  room.handle(SocketClosed{0.5}, 45);
  CHECK(room.state() == RoomState::reconnecting);
  CHECK(room.records_here());  // media and the recorder go on while the socket comes back
  auto rejoined = snapshot("5", {person("1")}, "u5");
  rejoined.recording = running;
  CHECK(count_of<ShowToast>(receive(room, rejoined, 50)) == 1);  // "reconnected"; the same recording is no news
  CHECK(room.records_here());  // never a moment without it: the recorder's segment goes on
  receive(room, server::RecordingState{"AbCdEf23", "AbCdEf23-40", "recording", "u1", 40}, 70);  // handed over
  CHECK_FALSE(room.records_here());

  auto out = receive(room, snapshot("5", {person("1")}, "u5"), 80);  // a rejoin finds it stopped while we were away
  CHECK(room.recording().state == "off");
  CHECK_FALSE(room.records_here());
  CHECK(first_of<ShowToast>(out).detail == "off");                             // "Recording stopped", once
  CHECK(count_of<ShowToast>(receive(room, snapshot("5", {person("1")}, "u5"), 90)) == 0);  // the next rejoin: no news
}

TEST_CASE("A callee whose phone still rings gets a link but no tile, and no media until they answer") {
  RoomClient room = in_room();
  auto callee = person("3");
  callee.ringing = true;
  auto out = receive(room, server::ParticipantJoined{"AbCdEf23", callee, 4});
  // The link negotiates now (so the answer finds it connected) with the media held back: the hold
  // comes after the peer is made, in the same batch, before any offer could carry media.
  const auto made = std::find_if(out.begin(), out.end(), [](const RoomCommand& c) { return std::holds_alternative<CreatePeer>(c); });
  const auto held = std::find_if(out.begin(), out.end(), [](const RoomCommand& c) { return std::holds_alternative<HoldMedia>(c); });
  REQUIRE(made != out.end());
  REQUIRE(held != out.end());
  CHECK(made < held);
  CHECK(std::get<HoldMedia>(*held).peer_id == "p3");
  CHECK(std::get<HoldMedia>(*held).held);
  CHECK(room.link("p3") != nullptr);
  // Not here yet: no tile, nobody "joined", no host action on them.
  CHECK(first_of<ApplyParticipants>(out).participants.size() == 2);
  CHECK(first_of<ApplyParticipants>(out).joined.empty());
  CHECK(room.participants().size() == 2);

  callee.ringing = false;  // they answered
  out = receive(room, server::ParticipantUpdated{"AbCdEf23", callee});
  CHECK(first_of<HoldMedia>(out).peer_id == "p3");
  CHECK_FALSE(first_of<HoldMedia>(out).held);
  REQUIRE(first_of<ApplyParticipants>(out).joined.size() == 1);
  CHECK(first_of<ApplyParticipants>(out).joined[0].peer_id == "p3");
  CHECK(room.participants().size() == 3);
  CHECK(count_of<HoldMedia>(receive(room, server::ParticipantUpdated{"AbCdEf23", callee})) == 0);  // told once

  // Found ringing in the room we join: the same.
  RoomClient caller;
  caller.handle(Join{"AbCdEf23", "Ana", std::nullopt}, 0);
  caller.handle(SocketOpened{}, 10);
  callee.ringing = true;
  out = receive(caller, snapshot("5", {callee}), 20);
  CHECK(count_of<CreatePeer>(out) == 1);
  CHECK(first_of<HoldMedia>(out).held);
  CHECK(first_of<ApplyParticipants>(out).participants.empty());
}

TEST_CASE("Our hand goes up and down by message, follows what the server says of it, and others' hands are in the list") {
  RoomClient room = in_room();
  const auto sent = room.handle(RaiseHand{true}, 30);
  REQUIRE(count_of<SendMessage>(sent) == 1);
  CHECK(std::get<client::RaiseHand>(first_of<SendMessage>(sent).message) == client::RaiseHand{true, std::nullopt});
  CHECK_FALSE(room.self().hand_raised_at);  // up once the server says so
  auto me = person("5");
  me.hand_raised_at = 40;
  receive(room, server::ParticipantUpdated{"AbCdEf23", me});
  CHECK(room.self().hand_raised_at == 40);
  auto other = person("2");
  other.hand_raised_at = 50;
  const auto out = receive(room, server::ParticipantUpdated{"AbCdEf23", other});
  CHECK(first_of<ApplyParticipants>(out).updated.at(0).hand_raised_at == 50);
  // The host lowers it: a host intent naming them, sent as room:raise-hand.
  RoomClient host = in_room("1", "u1");
  receive(host, server::ParticipantUpdated{"AbCdEf23", other});
  HostIntent lower;
  lower.action = HostActionKind::lower_hand;
  lower.target_user_id = "u2";
  CHECK(std::get<client::RaiseHand>(first_of<SendMessage>(host.handle(lower, 60)).message) == client::RaiseHand{false, "u2"});
  HostIntent all;
  all.action = HostActionKind::mute_all;
  CHECK(std::holds_alternative<client::MuteAll>(first_of<SendMessage>(host.handle(all, 60)).message));
  CHECK(count_of<Rejected>(room.handle(all, 60)) == 1);  // not for a member
}

TEST_CASE("A reaction is sent only from the set and only in a room, and each one heard is shown") {
  RoomClient before;
  CHECK(count_of<Rejected>(before.handle(SendReaction{"\U0001F44D"}, 0)) == 1);
  RoomClient room = in_room();
  CHECK(count_of<Rejected>(room.handle(SendReaction{"<b>"}, 30)) == 1);
  CHECK(count_of<SendMessage>(room.handle(SendReaction{"\U0001F389"}, 30)) == 1);
  const auto out = receive(room, server::Reaction{"AbCdEf23", "u2", "p2", "\U0001F389"});
  const auto shown = first_of<ShowReaction>(out);
  CHECK(shown.peer_id == "p2");
  CHECK(shown.emoji == "\U0001F389");
}

TEST_CASE("Knocking: room:waiting shows the waiting room, a deny ends on knock_denied, a closed socket knocks again, and being let in is a join") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User 5", std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  const auto waiting = receive(room, server::Waiting{"AbCdEf23", "Standup"}, 20);
  CHECK(room.state() == RoomState::knocking);
  CHECK(first_of<ShowScreen>(waiting).screen == Screen::waiting_room);
  CHECK(first_of<ShowScreen>(waiting).detail.reason == "Standup");
  SECTION("let in") {
    receive(room, snapshot("5", {person("1", true)}), 30);
    CHECK(room.state() == RoomState::in_room);
    CHECK(room.links().size() == 1);
  }
  SECTION("turned away") {
    const auto out = receive(room, server::ErrorReply{protocol::ErrorCode::knock_denied, "The host did not let you in.", std::nullopt}, 30);
    CHECK(room.state() == RoomState::failed);
    CHECK(first_of<ShowScreen>(out).screen == Screen::knock_denied);
    CHECK(count_of<CloseSocket>(out) == 1);
  }
  SECTION("the socket drops: back to joining, and the next socket knocks again") {
    room.handle(SocketClosed{0.5}, 30);
    CHECK(room.state() == RoomState::joining);
    room.handle(Tick{}, 60'000);
    const auto again = room.handle(SocketOpened{}, 60'010);
    CHECK(std::holds_alternative<client::JoinRoom>(first_of<SendMessage>(again).message));
  }
  SECTION("leaving the door") {
    const auto out = room.handle(Leave{}, 30);
    CHECK(std::holds_alternative<client::LeaveRoom>(first_of<SendMessage>(out).message));
    CHECK(room.state() == RoomState::left);
  }
}

TEST_CASE("The host hears the queue with who is new, admits one or all, denies one, and a member may not") {
  RoomClient host = in_room("1", "u1");
  const auto first = receive(host, server::Knock{"AbCdEf23", {{"u7", "Ann", 5}}});
  CHECK(first_of<ApplyKnocks>(first).arrived.size() == 1);
  const auto second = receive(host, server::Knock{"AbCdEf23", {{"u7", "Ann", 5}, {"u8", "Bo", 6}}});
  REQUIRE(first_of<ApplyKnocks>(second).arrived.size() == 1);
  CHECK(first_of<ApplyKnocks>(second).arrived[0].user_id == "u8");
  CHECK(host.knocking().size() == 2);
  HostIntent admit;
  admit.action = HostActionKind::admit;
  CHECK(std::get<client::Admit>(first_of<SendMessage>(host.handle(admit, 40)).message) == client::Admit{std::nullopt});
  admit.target_user_id = "u7";
  CHECK(std::get<client::Admit>(first_of<SendMessage>(host.handle(admit, 40)).message) == client::Admit{std::string("u7")});
  HostIntent deny;
  deny.action = HostActionKind::deny;
  deny.target_user_id = "u8";
  CHECK(std::get<client::Deny>(first_of<SendMessage>(host.handle(deny, 40)).message) == client::Deny{"u8"});
  RoomClient member = in_room();
  CHECK(count_of<Rejected>(member.handle(admit, 40)) == 1);
  // Handing the room over: the old host shows no queue any more.
  const auto handed = receive(host, server::HostChanged{"AbCdEf23", "u2", "u1"});
  CHECK(first_of<ApplyKnocks>(handed).waiting.empty());
  CHECK(host.knocking().empty());
}
