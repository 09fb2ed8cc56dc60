// Relay: the simulation's in-memory signaling server, implementing the room rules the real server has.
//
// It speaks the real protocol: every frame it receives is decoded with the protocol codec and every
// message it sends is a typed server message (SimWorld encodes it onto the wire). Rules:
//  - room:join: unknown room → room_not_found, locked → room_locked, full (max_participants) →
//    room_full, wrong password → wrong_password; otherwise a new peer id, a resume token, a
//    room:joined snapshot to the newcomer and room:participant-joined to everybody else. The first
//    person in an empty room becomes host.
//  - chat:send becomes chat:message to everyone; the room keeps the last kChatHistory of them and
//    sends them, oldest first, as chat:message frames right after every room:joined (resumes too).
//  - a join carrying a known resume_token re-attaches that peer to the new connection (same peer id,
//    same place, nobody else is told); an unknown token is ignored and the join is a fresh one.
//  - a fresh join by a user whose earlier connection is gone replaces that stale peer (participant-left
//    for it first), so a lost room:joined cannot leave a ghost taking a seat.
//  - a connection that closes without room:leave keeps its peer for kGraceMs (room for a resume), then
//    the peer is removed.
//  - host leaves or is removed → the first co-host in join order, else the longest present, becomes
//    host (room:host-changed). Who may mute, kick, make co-hosts, transfer, lock and end is asked of
//    authority::check_power, the table the real server asks.
//  - signal:offer/answer/ice go only to a peer of the sender's own room, and only while that peer is
//    connected; anything else is dropped, as a real relay drops signals for a peer that is gone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "sim_clock.h"

namespace mehfil::sim {

class Relay {
 public:
  static constexpr std::int64_t kGraceMs = 20'000;
  static constexpr std::size_t kChatHistory = 50;  // as many as the real server replays
  using Send = std::function<void(int conn, const protocol::ServerMessage&)>;

  struct Member {
    std::string user_id;
    std::string peer_id;
    std::string display_name;
    std::string resume_token;
    bool is_cohost = false;
    int conn = -1;  // -1 while its connection is gone
    std::int64_t disconnected_at = 0;
  };
  struct Room {
    std::string code;
    std::optional<std::string> password;
    std::string host_user_id;
    int max_participants = 10;
    bool locked = false;
    bool closed = false;
    protocol::RoomSettings settings;
    std::vector<Member> members;  // join order
    std::vector<protocol::server::ChatMessage> chat;  // the last kChatHistory, oldest first
  };

  Relay(Clock& clock, Rng& rng, Send send);

  void create_room(const std::string& code, std::optional<std::string> password = std::nullopt, int max = 10);
  void on_open(int conn, const std::string& user_id);
  void on_frame(int conn, std::string_view frame);
  void on_close(int conn);

  const Room* room(const std::string& code) const;
  protocol::Participant participant(const Room& room, const Member& member) const;
  int bad_frames() const { return bad_frames_; }

 private:
  struct Connection {
    std::string user_id;
    std::string room_code;  // bound member, when any
    std::string peer_id;
    bool open = false;
  };
  void on_message(int conn, const protocol::ClientMessage& message);
  void join(int conn, const protocol::client::JoinRoom& join);
  void remove_member(Room& room, const std::string& peer_id);
  void broadcast(const Room& room, const protocol::ServerMessage& message, const std::string& except_peer = {});
  void error(int conn, protocol::ErrorCode code, std::string message);
  void send_snapshot(int conn, const Room& room, const Member& member);
  Member* member_of(int conn, Room** room_out);

  Clock& clock_;
  Rng& rng_;
  Send send_;
  std::map<std::string, Room> rooms_;
  std::map<int, Connection> connections_;
  int next_peer_ = 0;
  int next_chat_ = 0;
  int bad_frames_ = 0;
};

}  // namespace mehfil::sim
