// SimWorld: whole rooms of RoomClients, run natively, deterministically, on virtual time.
//
// Each simulated client is a RoomClient whose commands SimWorld carries out the way js-glue would:
// WebSocket frames go through a simulated network to the SimServer, which runs the real room rules (encoded and decoded with the real
// protocol codec on the way, so the simulation exercises the codec too), peer commands drive
// FakePeerConnections, timers become scheduled Ticks. The network has a latency per frame drawn from
// the seeded Rng, so frames on different connections overtake each other, while each connection
// stays FIFO like a WebSocket. A dropped connection loses everything in flight both ways; the server
// notices within 200 ms, the client within 250–700 ms (so a rejoin always finds the server aware).
//
// Connectivity between two FakePeerConnections (evaluate): connected when both ends have a current
// local and remote description whose ICE ufrags match crosswise and each has a candidate of the
// other's ufrag. A connected pc stays connected while either end is renegotiating; it goes
// disconnected when both are stable and no longer agree (or the other end is gone), failed after
// 15 s disconnected or 10 s connecting.
//
// The whiteboard travels outside RoomClient, as in the browser (js-glue's whiteboard sends wb:ops on
// the call's socket): draw, erase_drawings_of and clear_board make ops with the client's own
// BoardEditor on its own replica and send them, and every wb:ops a client hears is merged into it.
//
// check_settled() is the property the scenarios assert once the network has been quiet long enough:
// every pair of present peers has exactly one connected link on both sides over the same session,
// every client's participant list equals the relay's (raised hands too) and so does its own hand,
// and there are no ghosts on either side.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fake_peer_connection.h"
#include "sim_server.h"
#include "room/room_client.h"
#include "sim_clock.h"
#include "whiteboard/board.h"

namespace mehfil::sim {

inline const std::string kRoomCode = "SimRoom2";

struct SimClient {
  int index = 0;
  std::string user_id;
  std::string display_name;
  room::RoomClient room;
  std::map<std::string, FakePeerConnection*> pcs;  // by remote peer id
  int conn = -1;
  std::vector<room::Toast> toasts;
  std::vector<room::Screen> screens;
  std::vector<std::string> refusals;  // the server's words in each "refused" toast
  std::vector<room::ShowReported> reported;  // room:reported, as a host or co-host heard it
  whiteboard::Board board;            // this client's replica of the room's whiteboard
  whiteboard::BoardEditor editor{""};  // made with the client's user id
  std::set<std::string> board_from;   // who the wb:ops it heard came from ("server": the history)
  int rejected = 0;
  std::int64_t offline_until = 0;  // cut_off
};

class SimWorld {
 public:
  SimWorld(std::uint32_t seed, bool tracing);

  void add_clients(int count);
  int client_count() const { return static_cast<int>(clients_.size()); }
  const SimClient& client(int index) const { return *clients_[static_cast<std::size_t>(index)]; }

  // Scenario actions, each at a virtual time.
  void join(int client, std::int64_t at);
  // A REST join (POST /api/rooms/CODE/join): a place held for the client until its socket comes.
  void reserve(int client, std::int64_t at);
  void leave(int client, std::int64_t at);
  void act(int client, room::RoomEvent event, std::int64_t at);
  void drop_connection(int client, std::int64_t at);
  void restart_ice_everywhere(std::int64_t at);  // a network change on every machine at once
  // The client's network is gone from `from` until `until`: its socket drops and no new one opens.
  void cut_off(int client, std::int64_t from, std::int64_t until);
  // The room made anew (before anyone joins) with this many places and this password.
  void remake_room(int max_participants, std::optional<std::string> password = std::nullopt);
  // The whiteboard: `strokes` new freehand strokes; erasing every live element `author` drew, in one
  // wb:ops; erasing everything (the host's Clear). A client without an open socket sends nothing.
  void draw(int client, int strokes, std::int64_t at);
  void erase_drawings_of(int client, int author, std::int64_t at);
  void clear_board(int client, std::int64_t at);

  void run_until(std::int64_t until);
  std::int64_t now() const { return clock_.now(); }
  Rng& rng() { return rng_; }
  const SimServer& server() const { return server_; }

  // "" when the settled-room property holds; otherwise what is wrong.
  std::string check_settled() const;
  // Problems seen while running (bad frames, a pc operation that must never fail...).
  const std::vector<std::string>& violations() const { return violations_; }
  int rollbacks() const;
  const std::vector<std::string>& trace() const { return trace_; }

 private:
  struct Connection {
    int client = -1;
    bool open = false;
    bool client_closed = false;
    bool dropped = false;
    std::int64_t up_last = 0;    // arrival of the last client → server frame
    std::int64_t down_last = 0;  // arrival of the last server → client frame
  };
  struct PcInfo {
    std::unique_ptr<FakePeerConnection> pc;
    int client = -1;
    std::string self_peer;
    std::string remote_peer;
    std::string ice_key;
    std::int64_t connecting_since = 0;
    std::int64_t disconnected_since = 0;
  };

  void feed(int client, const room::RoomEvent& event);
  void execute(int client, room::RoomCommand command);
  void open_socket(int client);
  void close_socket(int client);
  void client_send(int client, const protocol::ClientMessage& message);
  void send_board_ops(int client, const std::vector<whiteboard::Element>& ops);
  void server_send(int conn, const protocol::ServerMessage& message);
  std::int64_t latency();
  void create_pc(int client, const std::string& remote_peer);
  FakePeerConnection* pc_for(int client, const std::string& remote_peer, const char* command);
  PcInfo* counterpart(const PcInfo& info);
  const PcInfo* counterpart(const PcInfo& info) const;
  void evaluate(PcInfo& info);
  void evaluate_all();
  void tick_loop();
  void log(const std::string& line);
  void violation(const std::string& what);

  Clock clock_;
  Rng rng_;
  bool tracing_ = false;
  SimServer server_;
  std::vector<std::unique_ptr<SimClient>> clients_;
  std::map<int, Connection> connections_;
  int next_conn_ = 0;
  std::deque<PcInfo> pcs_;
  std::map<const FakePeerConnection*, std::size_t> pc_index_;
  std::vector<std::string> violations_;
  std::vector<std::string> trace_;
};

}  // namespace mehfil::sim
