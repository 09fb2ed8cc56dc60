// SimServer: the simulation's signaling server. It is a shell around the real room rules
// (wasm/core/authority/room_authority.h), the very RoomAuthority the real server runs, doing for it
// what RoomHub does with sockets and SQLite, in memory and on virtual time:
//  - every frame it receives is decoded with the protocol codec; join, ping and the rest go to the
//    rules as typed messages, and what the rules return is carried out (messages to sockets, binds);
//  - a password is compared as it is (the real server hashes it; the rule that asks is the same);
//  - resume tokens are random strings it remembers, standing in for the real server's signed ones;
//  - the store is a set of kicked users, the chat history (the last kChatHistory messages) and the
//    board, both sent after every room:joined as the real server does;
//  - wb:ops go through the real board rule (authority/board_rules.h), then to the board and the room;
//  - a REST join (reserve) holds a place the same way, without a socket;
//  - the sweeper is a tick when a dropped member's grace or a reservation runs out.
// So the simulation's seeds test the rules the real server has, not a copy of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "authority/board_rules.h"
#include "authority/room_authority.h"
#include "protocol/messages.h"
#include "sim_clock.h"
#include "whiteboard/board.h"

namespace mehfil::sim {

class SimServer {
 public:
  static constexpr std::size_t kChatHistory = 50;
  using Send = std::function<void(int conn, const protocol::ServerMessage&)>;

  SimServer(Clock& clock, Rng& rng, Send send);

  // A room made by `host_user_id` (the real server's REST create).
  void create_room(const std::string& code, const std::string& host_user_id, std::optional<std::string> password = std::nullopt,
                   int max = 10);
  // POST /api/rooms/CODE/join: a place held until the user's socket comes; "" or the refusal's code.
  std::string reserve(const std::string& code, const std::string& user_id);
  void on_open(int conn, const std::string& user_id);
  void on_frame(int conn, std::string_view frame);
  void on_close(int conn);

  const authority::RoomAuthority* room(const std::string& code) const;
  const whiteboard::Board* board(const std::string& code) const;
  // The reports the room's rules had stored (the real server keeps them in SQLite).
  std::vector<authority::SaveReport> reports(const std::string& code) const;
  // The simulation's socket number of a member, or -1 while they have none.
  static int conn_of(const authority::Member& member) { return socket_of(member.conn); }
  int bad_frames() const { return bad_frames_; }

 private:
  struct Socket {
    std::string user_id;
    std::string room_code;  // bound by the rules
  };
  struct Ticket {  // what a resume token stands for
    std::string user_id;
    std::string room_code;
    std::string peer_id;
  };
  struct Stored {  // what the real server keeps in SQLite
    std::optional<std::string> password;
    std::set<std::string> kicked;
    std::vector<protocol::server::ChatMessage> chat;
    whiteboard::Board board;
    std::size_t board_bytes = 0;
    std::vector<authority::SaveReport> reports;
  };
  // The rules' names for sockets are ours plus one, since 0 means "none".
  static authority::ConnId id_of(int conn) { return static_cast<authority::ConnId>(conn) + 1; }
  static int socket_of(authority::ConnId id) { return static_cast<int>(id) - 1; }
  void on_message(int conn, const protocol::ClientMessage& message);
  void join(int conn, const protocol::client::JoinRoom& join);
  void whiteboard_ops(int conn, const std::string& code, const protocol::client::WhiteboardOps& ops);
  void apply(const std::string& code, const authority::Outcome& outcome);
  void answer(int conn, const std::string& code, const authority::Outcome& outcome);
  void sweep_after(std::int64_t delay);

  Clock& clock_;
  Rng& rng_;
  Send send_;
  std::map<std::string, authority::RoomAuthority> rooms_;
  std::map<std::string, Stored> stored_;
  std::map<int, Socket> sockets_;
  std::map<std::string, Ticket> tickets_;
  authority::BoardRules board_rules_;  // the real server's defaults
  int next_peer_ = 0;
  int next_chat_ = 0;
  int bad_frames_ = 0;
};

}  // namespace mehfil::sim
