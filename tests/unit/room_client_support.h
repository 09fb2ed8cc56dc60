// Helpers for the RoomClient tests: a participant by number, a room:joined snapshot, feeding a server
// message, and a client already in a room with the host and one other person.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "room/room_client.h"

namespace room_test {

using namespace mehfil::room;
namespace protocol = mehfil::protocol;
namespace server = mehfil::protocol::server;
namespace client = mehfil::protocol::client;

inline protocol::Participant person(const std::string& n, bool host = false) {
  protocol::Participant p;
  p.user_id = "u" + n;
  p.peer_id = "p" + n;
  p.display_name = "User " + n;
  p.is_host = host;
  return p;
}

inline server::RoomJoined snapshot(const std::string& self, std::vector<protocol::Participant> others,
                            const std::string& host = "u1") {
  server::RoomJoined joined;
  joined.self = {"u" + self, "p" + self, "User " + self, host == "u" + self};
  joined.room.room_code = "AbCdEf23";
  joined.room.host_user_id = host;
  joined.room.max_participants = 10;
  joined.participants = std::move(others);
  joined.resume_token = "token-" + self;
  return joined;
}

using Out = std::vector<RoomCommand>;

inline Out receive(RoomClient& room, protocol::ServerMessage message, std::int64_t now = 0) {
  return room.handle(ServerMessageReceived{std::move(message)}, now);
}

// A client in the room as p5, with p1 (the host) and p2 already there.
inline RoomClient in_room(const std::string& self = "5", const std::string& host = "u1") {
  RoomClient room;
  room.handle(Join{"AbCdEf23", "User " + self, std::nullopt}, 0);
  room.handle(SocketOpened{}, 10);
  receive(room, snapshot(self, {person("1", host == "u1"), person("2")}, host), 20);
  REQUIRE(room.state() == RoomState::in_room);
  return room;
}


}  // namespace room_test
