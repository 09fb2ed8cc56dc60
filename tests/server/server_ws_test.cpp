// Signaling over /ws against a real server: joining, relaying, host powers, succession, chat.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <thread>

#include "server_fixture.h"

using namespace server_test;

TEST_CASE("Joiners get a snapshot, and everyone already in hears about them") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const User ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana, {{"room_name", "Standup"}});
  WsClient a(server.port(), ana.token);
  const json first = a.join(code);
  REQUIRE(first["type"] == "room:joined");
  CHECK(first["self"]["is_host"] == true);
  CHECK(first["room"]["room_name"] == "Standup");
  CHECK(first["participants"].empty());
  CHECK(!first["resume_token"].get<std::string>().empty());

  WsClient b(server.port(), ben.token);
  const json second = b.join(code);
  REQUIRE(second["type"] == "room:joined");
  REQUIRE(second["participants"].size() == 1);
  CHECK(second["participants"][0]["user_id"] == ana.user_id);
  const auto joined = a.receive_type("room:participant-joined");
  REQUIRE(joined);
  CHECK((*joined)["user"]["user_id"] == ben.user_id);
  CHECK((*joined)["participant_count"] == 2);

  b.send({{"type", "room:leave"}});
  const auto left = a.receive_type("room:participant-left");
  REQUIRE(left);
  CHECK((*left)["user_id"] == ben.user_id);
  CHECK((*left)["peer_id"] == b.peer_id);
  CHECK((*left)["participant_count"] == 1);
}

TEST_CASE("Signaling is relayed between members of the same room only") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const User ben = new_user(server.port(), "Ben");
  const User eve = new_user(server.port(), "Eve");
  const std::string code = new_room(server.port(), ana);
  const std::string other = new_room(server.port(), eve);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), e(server.port(), eve.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  REQUIRE(e.join(other)["type"] == "room:joined");

  a.send({{"type", "signal:offer"}, {"to", b.peer_id}, {"sdp", "v=0 offer"}, {"offer_id", 3}});
  const auto offer = b.receive_type("signal:offer");
  REQUIRE(offer);
  CHECK((*offer)["from"] == a.peer_id);
  CHECK((*offer)["sdp"] == "v=0 offer");
  CHECK((*offer)["offer_id"] == 3);
  b.send({{"type", "signal:answer"}, {"to", a.peer_id}, {"sdp", "v=0 answer"}, {"offer_id", 3}});
  const auto answer = a.receive_type("signal:answer");
  REQUIRE(answer);
  CHECK((*answer)["offer_id"] == 3);
  b.send({{"type", "signal:ice"}, {"to", a.peer_id}, {"candidate", {{"candidate", "candidate:1 1 udp 1 127.0.0.1 5000 typ host"}, {"sdp_mid", "0"}, {"sdp_mline_index", 0}}}});
  const auto ice = a.receive_type("signal:ice");
  REQUIRE(ice);
  CHECK((*ice)["candidate"]["sdp_mid"] == "0");

  e.send({{"type", "signal:offer"}, {"to", a.peer_id}, {"sdp", "v=0 intrusion"}, {"id", 7}});
  const auto refused = e.receive_type("error");
  REQUIRE(refused);
  CHECK((*refused)["code"] == "not_in_room");
  CHECK((*refused)["ref"] == 7);
  CHECK_FALSE(a.receive_type("signal:offer", std::chrono::milliseconds(300)));
}

TEST_CASE("Messages before joining a room are refused with not_in_room") {
  ServerProcess server;
  WsClient a(server.port(), new_user(server.port(), "Ana").token);
  a.send({{"type", "chat:send"}, {"text", "hi"}, {"client_msg_id", "c1"}, {"id", "r1"}});
  const auto refused = a.receive_type("error");
  REQUIRE(refused);
  CHECK((*refused)["code"] == "not_in_room");
  CHECK((*refused)["ref"] == "r1");
}

TEST_CASE("Leaving a room that already closed is acked, not refused: both ends of a call may leave as it ends") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  a.send({{"type", "room:end"}});
  REQUIRE(b.receive_type("room:closed"));
  b.send({{"type", "room:leave"}, {"id", "bye"}});
  const auto answer = b.receive_type("ack");
  REQUIRE(answer);
  CHECK((*answer)["id"] == "bye");
}

TEST_CASE("The host mutes, kicks, locks and ends, others may not") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  REQUIRE(c.join(code)["type"] == "room:joined");

  b.send({{"type", "room:host-kick"}, {"target_user_id", cy.user_id}});
  CHECK(b.receive_type("error").value()["code"] == "not_host");

  a.send({{"type", "room:host-mute"}, {"target_user_id", ben.user_id}});
  CHECK(b.receive_type("room:host-action").value()["action"] == "mute");
  const auto updated = c.receive_type("room:participant-updated");
  REQUIRE(updated);
  CHECK((*updated)["user"]["user_id"] == ben.user_id);
  CHECK((*updated)["user"]["audio"] == false);

  a.send({{"type", "room:host-kick"}, {"target_user_id", cy.user_id}});
  CHECK(c.receive_type("room:host-action").value()["action"] == "kick");
  CHECK(b.receive_type("room:participant-left").value()["user_id"] == cy.user_id);
  CHECK(c.join(code)["code"] == "kicked");  // a kicked user cannot come back

  a.send({{"type", "room:lock"}, {"locked", true}});
  CHECK(b.receive_type("room:settings-changed").value()["is_locked"] == true);
  WsClient d(server.port(), new_user(server.port(), "Dee").token);
  CHECK(d.join(code)["code"] == "room_locked");

  a.send({{"type", "room:end"}});
  CHECK(b.receive_type("room:closed").value()["reason"] == "ended_by_host");
  CHECK(a.receive_type("room:closed"));
}

TEST_CASE("When the host leaves, a co-host takes over, else whoever has been here longest") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  REQUIRE(c.join(code)["type"] == "room:joined");

  SECTION("a co-host first") {
    a.send({{"type", "room:make-cohost"}, {"target_user_id", cy.user_id}});
    REQUIRE(b.receive_type("room:participant-updated"));
    a.send({{"type", "room:leave"}});
    const auto changed = b.receive_type("room:host-changed");
    REQUIRE(changed);
    CHECK((*changed)["host_user_id"] == cy.user_id);
    CHECK((*changed)["previous_host_user_id"] == ana.user_id);
  }
  SECTION("else the longest present") {
    a.send({{"type", "room:leave"}});
    const auto changed = c.receive_type("room:host-changed");
    REQUIRE(changed);
    CHECK((*changed)["host_user_id"] == ben.user_id);
    // The new host has the powers now.
    b.send({{"type", "room:host-mute"}, {"target_user_id", cy.user_id}, {"id", 1}});
    CHECK(b.receive_type("ack"));
  }
}

TEST_CASE("Chat is stored and follows room:joined for whoever joins later") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  a.send({{"type", "chat:send"}, {"text", "<b>hello</b> 👋"}, {"client_msg_id", "c1"}});
  const auto echoed = a.receive_type("chat:message");
  REQUIRE(echoed);
  CHECK((*echoed)["text"] == "<b>hello</b> 👋");
  CHECK((*echoed)["client_msg_id"] == "c1");
  WsClient b(server.port(), new_user(server.port(), "Ben").token);
  const json joined = b.join(code);
  CHECK_FALSE(joined.contains("chat"));  // the snapshot stays small; history follows it
  const auto history = b.receive_type("chat:message");
  REQUIRE(history);
  CHECK((*history)["text"] == "<b>hello</b> 👋");
}

TEST_CASE("Eleven people joining a room of ten at the same instant: ten get in, one is told it is full") {
  ServerProcess server;
  const User host = new_user(server.port(), "Host");
  const bool with_password = GENERATE(false, true);
  json options = {{"max_participants", 10}};
  if (with_password) options["password"] = "sesame";
  const std::string code = new_room(server.port(), host, options);
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 11; ++i) clients.push_back(std::make_unique<WsClient>(server.port(), new_user(server.port(), "P" + std::to_string(i)).token));
  for (auto& client : clients) {
    json join = {{"type", "room:join"}, {"room_code", code}};
    if (with_password) join["password"] = "sesame";
    client->send(join);
  }
  int joined = 0, full = 0;
  for (auto& client : clients) {
    for (;;) {
      const auto frame = client->receive(std::chrono::milliseconds(10000));
      REQUIRE(frame);
      if ((*frame)["type"] == "room:joined") { ++joined; break; }
      if ((*frame)["type"] == "error") { CHECK((*frame)["code"] == "room_full"); ++full; break; }
    }
  }
  CHECK(joined == 10);
  CHECK(full == 1);
}

TEST_CASE("A dropped socket keeps its place and comes back as the same peer with its resume token") {
  ServerProcess server({"--resume-grace-ms", "2000", "--sweep-ms", "100"});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  std::string token, peer;
  {
    WsClient b(server.port(), ben.token);
    const json joined = b.join(code);
    token = joined["resume_token"];
    peer = b.peer_id;
    REQUIRE(a.receive_type("room:participant-joined"));
  }  // the socket drops without room:leave
  CHECK_FALSE(a.receive_type("room:participant-left", std::chrono::milliseconds(500)));
  WsClient again(server.port(), ben.token);
  again.send({{"type", "room:join"}, {"room_code", code}, {"resume_token", token}});
  const auto rejoined = again.receive_type("room:joined");
  REQUIRE(rejoined);
  CHECK((*rejoined)["self"]["peer_id"] == peer);
  CHECK_FALSE(a.receive_type("room:participant-joined", std::chrono::milliseconds(300)));  // no duplicate

  SECTION("and after the grace, everyone hears it left") {
    std::string c_peer;
    {
      WsClient c(server.port(), new_user(server.port(), "Cy").token);
      REQUIRE(c.join(code)["type"] == "room:joined");
      c_peer = c.peer_id;
      REQUIRE(a.receive_type("room:participant-joined"));
    }  // dropped, and never back
    const auto left = a.receive_type("room:participant-left", std::chrono::milliseconds(4000));
    REQUIRE(left);
    CHECK((*left)["peer_id"] == c_peer);
  }
}

TEST_CASE("While the host's socket is down, the others hear the host is away and one of them can become host") {
  ServerProcess server({"--resume-grace-ms", "5000", "--sweep-ms", "100"});
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient b(server.port(), ben.token), c(server.port(), cy.token);

  // Before the host has ever arrived there is nobody to take over from.
  REQUIRE(b.join(code)["type"] == "room:joined");
  b.send({{"type", "room:claim-host"}, {"id", 1}});
  CHECK(b.receive_type("error").value()["message"] == "The host has not arrived yet.");

  std::string host_token;
  {
    WsClient a(server.port(), ana.token);
    host_token = a.join(code)["resume_token"];
    REQUIRE(b.receive_type("room:participant-joined"));
    b.send({{"type", "room:claim-host"}, {"id", 2}});
    CHECK(b.receive_type("error").value()["message"] == "The host is here.");
  }  // the host's socket drops without room:leave
  const auto away = b.receive_type("room:host-away");
  REQUIRE(away);
  CHECK((*away)["host_user_id"] == ana.user_id);

  SECTION("someone joining meanwhile hears it too") {
    REQUIRE(c.join(code)["type"] == "room:joined");
    CHECK(c.receive_type("room:host-away").value()["host_user_id"] == ana.user_id);
  }
  SECTION("the first claim wins, and the new host has the powers") {
    REQUIRE(c.join(code)["type"] == "room:joined");
    b.send({{"type", "room:claim-host"}, {"id", 3}});
    const auto changed = c.receive_type("room:host-changed");
    REQUIRE(changed);
    CHECK((*changed)["host_user_id"] == ben.user_id);
    CHECK((*changed)["previous_host_user_id"] == ana.user_id);
    CHECK(b.receive_type("ack"));
    c.send({{"type", "room:claim-host"}, {"id", 4}});
    CHECK(c.receive_type("error").value()["code"] == "not_host");
    b.send({{"type", "room:host-mute"}, {"target_user_id", cy.user_id}, {"id", 5}});
    CHECK(b.receive_type("ack"));

    // The old host comes back as an ordinary member.
    WsClient a(server.port(), ana.token);
    a.send({{"type", "room:join"}, {"room_code", code}, {"resume_token", host_token}});
    const auto rejoined = a.receive_type("room:joined");
    REQUIRE(rejoined);
    CHECK((*rejoined)["room"]["host_user_id"] == ben.user_id);
    CHECK((*rejoined)["self"]["is_host"] == false);
  }
  SECTION("the host coming back ends it, and stays host") {
    WsClient a(server.port(), ana.token);
    a.send({{"type", "room:join"}, {"room_code", code}, {"resume_token", host_token}});
    REQUIRE(a.receive_type("room:joined"));
    const auto back = b.receive_type("room:host-changed");
    REQUIRE(back);
    CHECK((*back)["host_user_id"] == ana.user_id);
    b.send({{"type", "room:claim-host"}, {"id", 6}});
    CHECK(b.receive_type("error").value()["message"] == "The host is here.");
  }
}

TEST_CASE("Add Friend: a request to someone in the same call, accepted by them, and kept across a restart") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  const auto request = [&](const User& from, const User& to) {
    return http(server.port(), "POST", "/api/friends/request", json{{"target_user_id", to.user_id}}, from.token);
  };
  const auto friends_of = [&](const User& user) {
    std::map<std::string, std::string> relation;  // display name -> relation
    const auto listed = http(server.port(), "GET", "/api/friends", std::nullopt, user.token);
    for (const auto& f : listed.body["friends"]) {
      relation[f["display_name"]] = f["relation"];
    }
    return relation;
  };

  CHECK(request(ana, ben).body["error"]["code"] == "not_in_room");  // strangers: not in a call together
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  CHECK(request(ana, ana).status == 400);
  CHECK(http(server.port(), "POST", "/api/friends/request", json{{"target_user_id", 7}}, ana.token).status == 400);
  CHECK(request(ana, cy).status == 403);  // Cy is not in this call

  const auto sent = request(ana, ben);
  CHECK(sent.status == 200);
  CHECK(sent.body["relation"] == "outgoing");
  const auto heard = b.receive_type("friend:update");  // Ben hears it at once, on his open socket
  REQUIRE(heard);
  CHECK((*heard)["user_id"] == ana.user_id);
  CHECK((*heard)["display_name"] == "Ana");
  CHECK((*heard)["friends"] == false);
  CHECK(request(ana, ben).body["relation"] == "outgoing");  // asking twice is one request
  CHECK(friends_of(ana) == std::map<std::string, std::string>{{"Ben", "outgoing"}});
  CHECK(friends_of(ben) == std::map<std::string, std::string>{{"Ana", "incoming"}});
  CHECK(friends_of(cy).empty());

  // Cy cannot accept a request that was not made to them.
  CHECK(http(server.port(), "POST", "/api/friends/accept", json{{"target_user_id", ana.user_id}}, cy.token).status == 404);
  SECTION("Ben accepts") {
    CHECK(http(server.port(), "POST", "/api/friends/accept", json{{"target_user_id", ana.user_id}}, ben.token).body["relation"] == "friends");
  }
  SECTION("Ben adds Ana back, which is a yes") {
    CHECK(request(ben, ana).body["relation"] == "friends");
  }
  CHECK(friends_of(ana) == std::map<std::string, std::string>{{"Ben", "friends"}});
  CHECK(friends_of(ben) == std::map<std::string, std::string>{{"Ana", "friends"}});
  // Both hear it, whoever said yes.
  for (auto* socket : {&a, &b}) {
    const auto now_friends = socket->receive_type("friend:update");
    REQUIRE(now_friends);
    CHECK((*now_friends)["friends"] == true);
  }

  server.kill_hard();
  server.restart();
  CHECK(friends_of(ana) == std::map<std::string, std::string>{{"Ben", "friends"}});
  CHECK(request(ana, ben).body["relation"] == "friends");  // already friends: no call needed
}

TEST_CASE("Errors say what happened: chat_disabled and screenshare_disabled when they are off, user_offline and not_found for calls") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  auto a = std::make_unique<WsClient>(server.port(), ana.token);
  WsClient b(server.port(), ben.token);
  REQUIRE(a->join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");

  a->send({{"type", "room:settings"}, {"settings", {{"video", true}, {"audio", true}, {"screenshare", true}, {"chat", false}}}});
  REQUIRE(b.receive_type("room:settings-changed"));
  b.send({{"type", "chat:send"}, {"text", "hello?"}, {"client_msg_id", "c1"}, {"id", "r1"}});
  const auto chat = b.receive_type("error");
  REQUIRE(chat);
  CHECK((*chat)["code"] == "chat_disabled");
  CHECK((*chat)["ref"] == "r1");
  CHECK_FALSE(a->receive_type("chat:message", std::chrono::milliseconds(300)));

  a->send({{"type", "room:settings"}, {"settings", {{"video", true}, {"audio", true}, {"screenshare", false}, {"chat", false}}}});
  REQUIRE(b.receive_type("room:settings-changed"));
  b.send({{"type", "media:state"}, {"audio", true}, {"video", true}, {"screen", true}, {"id", "r3"}});
  const auto share = b.receive_type("error");
  REQUIRE(share);
  CHECK((*share)["code"] == "screenshare_disabled");
  CHECK((*share)["ref"] == "r3");
  CHECK_FALSE(a->receive_type("room:participant-updated", std::chrono::milliseconds(300)));

  b.send({{"type", "call:accept"}, {"call_id", "never-rung"}, {"id", "r2"}});
  CHECK(b.receive_type("error").value()["code"] == "not_found");

  // Ben is in a room with Ana, so he may ring her; once her socket is gone she is offline.
  a.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  b.send({{"type", "call:ring"}, {"to_user_id", ana.user_id}, {"call_id", "ring-1"}, {"id", "r3"}});
  CHECK(b.receive_type("error").value()["code"] == "user_offline");
}

TEST_CASE("Friends see each other online, in a call and offline, live and in the friends list") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben");
  const std::string code = new_room(server.port(), ana);
  auto a = std::make_unique<WsClient>(server.port(), ana.token);
  auto b = std::make_unique<WsClient>(server.port(), ben.token);
  REQUIRE(a->join(code)["type"] == "room:joined");
  REQUIRE(b->join(code)["type"] == "room:joined");
  REQUIRE(make_friends(server.port(), ana, ben));
  const auto presence_of_ben = [&] {
    const auto heard = a->receive_type("friend:presence");
    REQUIRE(heard);
    CHECK((*heard)["user_id"] == ben.user_id);
    return (*heard)["presence"].get<std::string>();
  };
  const auto listed = [&] {
    const auto friends = http(server.port(), "GET", "/api/friends", std::nullopt, ana.token).body["friends"];
    REQUIRE(friends.size() == 1);
    return friends[0]["presence"].get<std::string>();
  };
  CHECK(listed() == "in_call");  // Ben is in the room

  b->send({{"type", "room:leave"}});
  CHECK(presence_of_ben() == "online");
  CHECK(listed() == "online");
  b.reset();  // Ben closes his last tab
  CHECK(presence_of_ben() == "offline");
  CHECK(listed() == "offline");
  b = std::make_unique<WsClient>(server.port(), ben.token);
  CHECK(presence_of_ben() == "online");

  // A 1:1 call: ringing is still online; answered, both are in a call; hung up, online again.
  a->send({{"type", "room:leave"}});
  a->send({{"type", "call:ring"}, {"to_user_id", ben.user_id}, {"call_id", "k1"}, {"video", true}});
  const auto incoming = b->receive_type("call:incoming");
  REQUIRE(incoming);
  CHECK((*incoming)["video"] == true);
  CHECK_FALSE(a->receive_type("friend:presence", std::chrono::milliseconds(300)));
  b->send({{"type", "call:accept"}, {"call_id", "k1"}});
  CHECK(presence_of_ben() == "in_call");
  // Ben heard Ana too: online when she left the room, in a call now.
  for (const char* expected : {"online", "in_call"}) {
    const auto ana_heard = b->receive_type("friend:presence");
    REQUIRE(ana_heard);
    CHECK((*ana_heard)["user_id"] == ana.user_id);
    CHECK((*ana_heard)["presence"] == expected);
  }
  a->send({{"type", "call:cancel"}, {"call_id", "k1"}});
  CHECK(presence_of_ben() == "online");
}

TEST_CASE("A 1:1 call meets in its own room: the caller waits there while it rings, the callee comes in on answering, nobody else can, and hanging up closes it") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token);
  for (WsClient* each : {&a, &b, &c}) REQUIRE(each->join(code)["type"] == "room:joined");
  REQUIRE(make_friends(server.port(), ana, ben));
  for (WsClient* each : {&a, &b, &c}) each->send({{"type", "room:leave"}});

  a.send({{"type", "call:ring"}, {"to_user_id", ben.user_id}, {"call_id", "k1"}, {"video", true}});
  const auto ringing = a.receive_type("call:ringing");
  REQUIRE(ringing);
  const std::string call_room = (*ringing)["room_code"];
  CHECK(call_room != code);
  const json waiting = a.join(call_room);
  REQUIRE(waiting["type"] == "room:joined");
  CHECK(waiting["room"]["is_call"] == true);
  CHECK(waiting["room"]["max_participants"] == 2);
  CHECK(c.join(call_room)["code"] == "not_invited");  // a room code that leaked is no way in
  const json yours = http(server.port(), "GET", "/api/user/rooms", std::nullopt, ana.token).body;
  CHECK(yours["created"].size() + yours["joined"].size() == 1);  // the call's room is not in Your Rooms

  REQUIRE(b.receive_type("call:incoming"));
  b.send({{"type", "call:accept"}, {"call_id", "k1"}});
  const auto accepted = b.receive_type("call:accepted");
  REQUIRE(accepted);
  CHECK((*accepted)["room_code"] == call_room);
  CHECK(a.receive_type("call:accepted").value()["room_code"] == call_room);
  REQUIRE(b.join(call_room)["type"] == "room:joined");
  REQUIRE(a.receive_type("room:participant-joined"));

  b.send({{"type", "call:cancel"}, {"call_id", "k1"}});  // Ben hangs up: the call and its room end for both
  REQUIRE(a.receive_type("call:cancelled"));
  const auto closed = a.receive_type("room:closed");
  REQUIRE(closed);
  CHECK((*closed)["reason"] == "call_ended");
  CHECK(a.join(call_room)["code"] == "room_not_found");
}

TEST_CASE("The call history lists each end's calls: answered with a duration, declined, missed, busy and offline, newest first") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  auto a = std::make_unique<WsClient>(server.port(), ana.token);
  auto b = std::make_unique<WsClient>(server.port(), ben.token);
  WsClient c(server.port(), cy.token);
  for (WsClient* each : {a.get(), b.get(), &c}) REQUIRE(each->join(code)["type"] == "room:joined");  // roommates may ring
  const auto ring = [&](WsClient& from, const User& to, const std::string& id) {
    from.send({{"type", "call:ring"}, {"to_user_id", to.user_id}, {"call_id", id}});
  };
  ring(*a, ben, "h1");
  REQUIRE(b->receive_type("call:incoming"));
  b->send({{"type", "call:accept"}, {"call_id", "h1"}});
  REQUIRE(a->receive_type("call:accepted"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  a->send({{"type", "call:cancel"}, {"call_id", "h1"}});  // hung up after ~300 ms
  REQUIRE(b->receive_type("call:cancelled"));
  ring(*a, ben, "h2");
  REQUIRE(b->receive_type("call:incoming"));
  b->send({{"type", "call:reject"}, {"call_id", "h2"}});
  REQUIRE(a->receive_type("call:rejected"));
  ring(c, ben, "h3");  // Cy rings Ben, and while it rings Ana is told he is busy
  REQUIRE(b->receive_type("call:incoming"));
  ring(*a, ben, "h4");
  REQUIRE(a->receive_type("call:busy"));
  c.send({{"type", "call:cancel"}, {"call_id", "h3"}});
  REQUIRE(b->receive_type("call:cancelled"));
  b.reset();  // Ben goes offline
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ring(*a, ben, "h5");
  CHECK(a->receive_type("error").value()["code"] == "user_offline");

  // Each list, newest first; rings made within the same millisecond may come in either order, so
  // the calls are looked up by id.
  const auto history = [&](const User& who) {
    const json calls = http(server.port(), "GET", "/api/calls", std::nullopt, who.token).body["calls"];
    std::map<std::string, json> by_id;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      if (i > 0) CHECK(calls[i - 1]["at"].get<std::int64_t>() >= calls[i]["at"].get<std::int64_t>());
      by_id[calls[i]["call_id"]] = calls[i];
    }
    return by_id;
  };
  const auto anas = history(ana);
  REQUIRE(anas.size() == 4);
  CHECK(anas.at("h1")["end"] == "hung_up");
  CHECK(anas.at("h1")["direction"] == "outgoing");
  CHECK(anas.at("h1")["display_name"] == "Ben");
  CHECK(anas.at("h1")["answered"] == true);
  CHECK(anas.at("h1")["duration_ms"].get<std::int64_t>() >= 250);
  CHECK(anas.at("h2")["end"] == "declined");
  CHECK(anas.at("h4")["end"] == "busy");
  CHECK(anas.at("h5")["end"] == "offline");
  const auto bens = history(ben);
  REQUIRE(bens.size() == 5);  // the rings that found him busy or offline are his missed calls too
  CHECK(bens.at("h4")["direction"] == "incoming");
  CHECK(bens.at("h3")["display_name"] == "Cy");
  CHECK(bens.at("h3")["answered"] == false);
  CHECK(bens.at("h3")["end"] == "cancelled");
  CHECK(history(cy).size() == 1);
}

TEST_CASE("Add people opens a call's room: both stay in, the call ends as moved, and a third person can come in") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  REQUIRE(make_friends(server.port(), ana, ben));
  a.send({{"type", "room:leave"}});
  b.send({{"type", "room:leave"}});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  a.send({{"type", "call:ring"}, {"to_user_id", ben.user_id}, {"call_id", "g1"}});
  const std::string call_room = a.receive_type("call:ringing").value()["room_code"];
  REQUIRE(a.join(call_room)["type"] == "room:joined");
  REQUIRE(b.receive_type("call:incoming"));
  b.send({{"type", "call:accept"}, {"call_id", "g1"}});
  REQUIRE(b.receive_type("call:accepted"));
  REQUIRE(b.join(call_room)["type"] == "room:joined");
  CHECK(c.join(call_room)["code"] == "not_invited");

  b.send({{"type", "room:grow"}});
  const auto grown = a.receive_type("room:grown");
  REQUIRE(grown);
  CHECK((*grown)["host_user_id"] == ben.user_id);
  CHECK((*grown)["max_participants"] == 10);
  CHECK(a.receive_type("call:moved").value()["room_code"] == call_room);
  CHECK(b.receive_type("call:moved"));
  CHECK_FALSE(a.receive_type("room:closed", std::chrono::milliseconds(300)));  // the room goes on
  const json third = c.join(call_room);
  REQUIRE(third["type"] == "room:joined");
  CHECK(third["room"]["is_call"] == false);
  CHECK(third["participants"].size() == 2);
}

TEST_CASE("Invite from friends: each invited friend hears it on every socket, finds it in Your Rooms, and comes in without the password") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), cy = new_user(server.port(), "Cy"), eve = new_user(server.port(), "Eve");
  const std::string meet = new_room(server.port(), ana);
  {  // ana and cy become friends while in a call together
    WsClient a(server.port(), ana.token), c(server.port(), cy.token);
    REQUIRE(a.join(meet)["type"] == "room:joined");
    REQUIRE(c.join(meet)["type"] == "room:joined");
    REQUIRE(make_friends(server.port(), ana, cy));
  }
  const std::string code = new_room(server.port(), ana, json{{"password", "open sesame"}});
  WsClient a(server.port(), ana.token), c1(server.port(), cy.token), c2(server.port(), cy.token), e(server.port(), eve.token);
  REQUIRE(a.join(code, "open sesame")["type"] == "room:joined");

  a.send({{"type", "room:invite"}, {"id", "x1"}, {"friends", json::array({{{"user_id", eve.user_id}}})}});
  CHECK(a.receive_type("error").value()["code"] == "not_friends");
  CHECK_FALSE(e.receive_type("invite:received", std::chrono::milliseconds(200)));

  a.send({{"type", "room:invite"}, {"id", "x2"}, {"friends", json::array({{{"user_id", cy.user_id}}})}});
  CHECK(a.receive_type("room:invites-sent").value()["friends"][0]["user_id"] == cy.user_id);
  const json card = c1.receive_type("invite:received").value();
  CHECK(card["room_code"] == code);
  CHECK(card["from_display_name"] == "Ana");
  CHECK(c2.receive_type("invite:received").value()["invite_id"] == card["invite_id"]);  // every tab

  const json rooms = http(server.port(), "GET", "/api/user/rooms", std::nullopt, cy.token).body;
  REQUIRE(rooms["invited"].size() == 1);
  CHECK(rooms["invited"][0]["invite_id"] == card["invite_id"]);
  CHECK(rooms["invited"][0]["room_name"].is_string());
  CHECK(http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, cy.token).body["admission"] == "ok");
  CHECK(http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, eve.token).body["admission"] == "password");

  REQUIRE(c1.join(code)["type"] == "room:joined");  // no password: the invite lets them in
  CHECK(c2.receive_type("invite:gone").value()["invite_id"] == card["invite_id"]);
  CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, cy.token).body["invited"].empty());
}

TEST_CASE("Dismissing an invite takes it from every tab and from Your Rooms, and only its invitee may") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), c1(server.port(), cy.token), c2(server.port(), cy.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(c1.join(code)["type"] == "room:joined");
  REQUIRE(make_friends(server.port(), ana, cy));
  c1.send({{"type", "room:leave"}});
  REQUIRE(a.receive_type("room:participant-left"));
  a.send({{"type", "room:invite"}, {"friends", json::array({{{"user_id", cy.user_id}}})}});
  const std::string invite_id = c1.receive_type("invite:received").value()["invite_id"];
  REQUIRE(c2.receive_type("invite:received"));

  a.send({{"type", "invite:dismiss"}, {"id", "d0"}, {"invite_id", invite_id}});  // not ana's to dismiss
  CHECK(a.receive_type("error").value()["code"] == "not_found");
  c2.send({{"type", "invite:dismiss"}, {"id", "d1"}, {"invite_id", invite_id}});
  CHECK(c1.receive_type("invite:gone").value()["invite_id"] == invite_id);
  CHECK(c2.receive_type("invite:gone"));
  CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, cy.token).body["invited"].empty());
}

TEST_CASE("Invites stop standing when their sender is removed by the host, or their room ends: the cards go and the password is needed again") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana, json{{"password", "open sesame"}});
  WsClient a(server.port(), ana.token), b(server.port(), ben.token), c(server.port(), cy.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code, "open sesame")["type"] == "room:joined");
  REQUIRE(c.join(code, "open sesame")["type"] == "room:joined");
  for (const User* other : {&ben, &cy}) {  // everyone befriends everyone while they are together
    for (const User* one : {&ana, &ben}) {
      if (one == other) continue;
      REQUIRE(make_friends(server.port(), *one, *other));
    }
  }
  c.send({{"type", "room:leave"}});
  REQUIRE(a.receive_type("room:participant-left"));

  b.send({{"type", "room:invite"}, {"friends", json::array({{{"user_id", cy.user_id}}})}});
  const std::string from_ben = c.receive_type("invite:received").value()["invite_id"];
  CHECK(http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, cy.token).body["admission"] == "ok");
  a.send({{"type", "room:host-kick"}, {"target_user_id", ben.user_id}});
  CHECK(c.receive_type("invite:gone").value()["invite_id"] == from_ben);
  CHECK(http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, cy.token).body["admission"] == "password");
  b.send({{"type", "room:invite"}, {"id", "k1"}, {"friends", json::array({{{"user_id", cy.user_id}}})}});
  CHECK(b.receive_type("error").value()["code"] == "not_in_room");

  a.send({{"type", "room:invite"}, {"friends", json::array({{{"user_id", cy.user_id}}})}});
  const std::string from_ana = c.receive_type("invite:received").value()["invite_id"];
  a.send({{"type", "room:end"}});
  CHECK(c.receive_type("invite:gone").value()["invite_id"] == from_ana);
  CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, cy.token).body["invited"].empty());
}

TEST_CASE("Recording goes through the room's rules: the host starts it, a member may not, everyone hears it, and the room's preview says so") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana"), ben = new_user(server.port(), "Ben"), cy = new_user(server.port(), "Cy");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token), b(server.port(), ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  b.send({{"type", "recording:start"}, {"id", "r1"}});
  CHECK(b.receive_type("error").value()["code"] == "not_host");
  CHECK(http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, cy.token).body["recording"] == "off");

  a.send({{"type", "recording:start"}, {"id", "r2"}});
  const json told = b.receive_type("room:recording").value();
  CHECK(told["state"] == "recording");
  CHECK(told["recorder_user_id"] == ana.user_id);
  CHECK(http(server.port(), "GET", "/api/rooms/" + code, std::nullopt, cy.token).body["recording"] == "recording");
  WsClient c(server.port(), cy.token);
  const json joined = c.join(code);
  REQUIRE(joined["type"] == "room:joined");
  CHECK(joined["recording"]["recording_id"] == told["recording_id"]);  // a joiner finds it with the room

  a.send({{"type", "recording:stop"}});
  CHECK(c.receive_type("room:recording").value()["state"] == "off");
}
