// SimWorld: the executor, the network and the connectivity model (sim_world.h).
#include "sim_world.h"

#include <set>
#include <type_traits>

#include "protocol/codec.h"
#include "whiteboard/element_json.h"

namespace mehfil::sim {

namespace {

using namespace mehfil::room;

std::string describe(const RoomCommand& command) {
  return std::visit(
      [](const auto& c) -> std::string {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, room::SendMessage>) {
          return "send " + protocol::encode(c.message).substr(0, 160);
        } else if constexpr (std::is_same_v<T, OpenSocket>) {
          return "open-socket";
        } else if constexpr (std::is_same_v<T, CloseSocket>) {
          return "close-socket";
        } else if constexpr (std::is_same_v<T, ShowToast>) {
          return "toast " + std::string(to_string(c.kind)) + " " + c.detail;
        } else if constexpr (std::is_same_v<T, ShowScreen>) {
          return "screen " + std::string(to_string(c.screen));
        } else if constexpr (std::is_same_v<T, ApplyParticipants>) {
          std::string s = "participants";
          for (const auto& p : c.participants) s += " " + p.peer_id + (p.is_host ? "*" : "");
          return s;
        } else if constexpr (std::is_same_v<T, Rejected>) {
          return "rejected: " + c.reason;
        } else if constexpr (std::is_same_v<T, CreatePeer>) {
          return "create-peer " + c.peer_id + (c.polite ? " polite" : " impolite");
        } else if constexpr (std::is_same_v<T, CreateOffer>) {
          return "create-offer " + c.peer_id + " op" + std::to_string(c.op);
        } else if constexpr (std::is_same_v<T, CreateAnswer>) {
          return "create-answer " + c.peer_id + " op" + std::to_string(c.op);
        } else if constexpr (std::is_same_v<T, SetLocalDescription>) {
          return "set-local " + std::string(to_string(c.type)) + " " + c.peer_id + " op" + std::to_string(c.op);
        } else if constexpr (std::is_same_v<T, SetRemoteDescription>) {
          return "set-remote " + std::string(to_string(c.type)) + " " + c.peer_id + " op" + std::to_string(c.op);
        } else if constexpr (std::is_same_v<T, AddIceCandidate>) {
          return "add-ice " + c.peer_id + " op" + std::to_string(c.op);
        } else if constexpr (std::is_same_v<T, RestartIce>) {
          return "restart-ice " + c.peer_id;
        } else if constexpr (std::is_same_v<T, UseRelayOnly>) {
          return "use-relay-only " + c.peer_id;
        } else if constexpr (std::is_same_v<T, SetIceServers>) {
          return "set-ice-servers " + c.peer_id;
        } else if constexpr (std::is_same_v<T, ClosePeer>) {
          return "close-peer " + c.peer_id;
        } else if constexpr (std::is_same_v<T, SetSendCap>) {
          return "send-cap " + c.peer_id + " " + std::to_string(c.cap.max_bitrate_bps) + " /" +
                 std::to_string(c.cap.scale_down_by) + " " + std::to_string(c.cap.max_framerate) + "fps";
        } else if constexpr (std::is_same_v<T, HoldMedia>) {
          return (c.held ? "hold-media " : "send-media ") + c.peer_id;
        } else if constexpr (std::is_same_v<T, ScheduleTimer>) {
          return "timer " + c.key + " @" + std::to_string(c.at_ms);
        } else if constexpr (std::is_same_v<T, AppendChat>) {
          return "chat " + c.message.text;
        } else {
          return "mute-microphone";
        }
      },
      command);
}

std::string describe(const PeerEvent& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, NegotiationNeeded>) return "negotiationneeded";
        else if constexpr (std::is_same_v<T, DescriptionCreated>) return "created op" + std::to_string(e.op) + " " + e.sdp;
        else if constexpr (std::is_same_v<T, LocalDescriptionSet>) return "local-set op" + std::to_string(e.op);
        else if constexpr (std::is_same_v<T, RemoteDescriptionSet>) return "remote-set op" + std::to_string(e.op);
        else if constexpr (std::is_same_v<T, IceCandidateAdded>) return "ice-added op" + std::to_string(e.op);
        else if constexpr (std::is_same_v<T, OperationFailed>) return "FAILED op" + std::to_string(e.op) + " " + e.error;
        else if constexpr (std::is_same_v<T, IceCandidateGathered>) return "gathered " + e.candidate.candidate;
        else if constexpr (std::is_same_v<T, ConnectionStateChanged>) return "connection " + std::string(to_string(e.state));
        else if constexpr (std::is_same_v<T, SignalingStateChanged>) return "signaling " + std::string(to_string(e.state));
        else return "event";
      },
      event);
}

std::string session_of(const FakePeerConnection& pc) {
  if (!pc.current_local() || !pc.current_remote()) return "-";
  return pc.current_local()->id + "/" + pc.current_remote()->id;
}

}  // namespace

SimWorld::SimWorld(std::uint32_t seed, bool tracing)
    : rng_(seed), tracing_(tracing), server_(clock_, rng_, [this](int conn, const protocol::ServerMessage& m) {
        server_send(conn, m);
      }) {
  server_.create_room(kRoomCode, "u0");  // client 0 made the room
  tick_loop();
}

void SimWorld::log(const std::string& line) {
  if (tracing_) trace_.push_back("[" + std::to_string(clock_.now()) + "] " + line);
}

void SimWorld::violation(const std::string& what) {
  violations_.push_back("t=" + std::to_string(clock_.now()) + " " + what);
  log("VIOLATION " + what);
}

void SimWorld::add_clients(int count) {
  for (int i = 0; i < count; ++i) {
    auto c = std::make_unique<SimClient>();
    c->index = static_cast<int>(clients_.size());
    c->user_id = "u" + std::to_string(c->index);
    c->display_name = "User " + std::to_string(c->index);
    c->editor = whiteboard::BoardEditor(c->user_id);
    clients_.push_back(std::move(c));
  }
}

std::int64_t SimWorld::latency() { return rng_.between(5, 150); }

void SimWorld::feed(int client, const RoomEvent& event) {
  SimClient& c = *clients_[static_cast<std::size_t>(client)];
  for (auto& command : c.room.handle(event, clock_.now())) execute(client, std::move(command));
}

void SimWorld::join(int client, std::int64_t at) {
  clock_.at(at, [this, client] {
    const SimClient& c = *clients_[static_cast<std::size_t>(client)];
    log("c" + std::to_string(client) + " JOIN");
    feed(client, Join{kRoomCode, c.display_name, std::nullopt});
  });
}

void SimWorld::reserve(int client, std::int64_t at) {
  clock_.at(at, [this, client] {
    const std::string refused = server_.reserve(kRoomCode, clients_[static_cast<std::size_t>(client)]->user_id);
    log("c" + std::to_string(client) + " RESERVE " + (refused.empty() ? "ok" : refused));
  });
}

void SimWorld::leave(int client, std::int64_t at) {
  clock_.at(at, [this, client] {
    log("c" + std::to_string(client) + " LEAVE");
    feed(client, Leave{});
  });
}

void SimWorld::act(int client, RoomEvent event, std::int64_t at) {
  clock_.at(at, [this, client, event = std::move(event)] {
    log("c" + std::to_string(client) + " ACT");
    feed(client, event);
  });
}

void SimWorld::drop_connection(int client, std::int64_t at) {
  clock_.at(at, [this, client] {
    SimClient& c = *clients_[static_cast<std::size_t>(client)];
    if (c.conn < 0) return;
    const int id = c.conn;
    Connection& conn = connections_[id];
    if (conn.dropped || conn.client_closed) return;
    conn.dropped = true;
    log("c" + std::to_string(client) + " DROP conn" + std::to_string(id));
    clock_.after(rng_.between(0, 200), [this, id] { server_.on_close(id); });
    clock_.after(rng_.between(250, 700), [this, client, id] {
      SimClient& owner = *clients_[static_cast<std::size_t>(client)];
      if (owner.conn != id) return;
      owner.conn = -1;
      feed(client, SocketClosed{rng_.unit()});
    });
  });
}

void SimWorld::cut_off(int client, std::int64_t from, std::int64_t until) {
  clock_.at(from, [this, client, until] {
    clients_[static_cast<std::size_t>(client)]->offline_until = until;
    log("c" + std::to_string(client) + " CUT OFF until " + std::to_string(until));
  });
  drop_connection(client, from);
}

void SimWorld::remake_room(int max_participants, std::optional<std::string> password) {
  server_.create_room(kRoomCode, "u0", std::move(password), max_participants);
}

void SimWorld::send_board_ops(int client, const std::vector<whiteboard::Element>& ops) {
  SimClient& c = *clients_[static_cast<std::size_t>(client)];
  log("c" + std::to_string(client) + " BOARD " + std::to_string(ops.size()) + " ops");
  if (ops.empty()) return;
  // Like js-glue: sent only while the socket is open, else lost (the replica keeps the change).
  const auto conn = connections_.find(c.conn);
  if (c.conn < 0 || conn == connections_.end() || !conn->second.open || conn->second.dropped) {
    return log("c" + std::to_string(client) + " board ops lost (no open socket)");
  }
  protocol::client::WhiteboardOps message;
  for (const whiteboard::Element& op : ops) message.ops.push_back(whiteboard::write_element(op));
  client_send(client, message);
}

void SimWorld::draw(int client, int strokes, std::int64_t at) {
  clock_.at(at, [this, client, strokes] {
    SimClient& c = *clients_[static_cast<std::size_t>(client)];
    std::vector<whiteboard::Element> ops;
    for (int i = 0; i < strokes; ++i) {
      whiteboard::Element stroke;
      const auto x = static_cast<float>(rng_.between(0, 500));
      stroke.points = {{x, 0}, {x + 10, 20}, {x + 30, 25}};
      ops.push_back(c.editor.add(c.board, stroke, static_cast<std::uint32_t>(rng_.between(1, 1'000'000))));
    }
    send_board_ops(client, ops);
  });
}

void SimWorld::erase_drawings_of(int client, int author, std::int64_t at) {
  clock_.at(at, [this, client, author] {
    SimClient& c = *clients_[static_cast<std::size_t>(client)];
    const std::string prefix = clients_[static_cast<std::size_t>(author)]->user_id + ":";
    std::vector<std::string> ids;
    for (const whiteboard::Element* e : c.board.ordered()) {
      if (e->id.rfind(prefix, 0) == 0) ids.push_back(e->id);
    }
    std::vector<whiteboard::Element> ops;
    for (const std::string& id : ids) {
      if (auto op = c.editor.erase(c.board, id, static_cast<std::uint32_t>(rng_.between(1, 1'000'000)))) ops.push_back(*op);
    }
    send_board_ops(client, ops);
  });
}

void SimWorld::clear_board(int client, std::int64_t at) {
  clock_.at(at, [this, client] {
    SimClient& c = *clients_[static_cast<std::size_t>(client)];
    send_board_ops(client, c.editor.clear(c.board, static_cast<std::uint32_t>(rng_.between(1, 1'000'000))));
  });
}

void SimWorld::restart_ice_everywhere(std::int64_t at) {
  clock_.at(at, [this] {
    log("RESTART ICE EVERYWHERE");
    for (auto& info : pcs_) {
      if (!info.pc->closed()) info.pc->restart_ice();
    }
  });
}

void SimWorld::open_socket(int client) {
  SimClient& c = *clients_[static_cast<std::size_t>(client)];
  const int id = next_conn_++;
  c.conn = id;
  connections_[id] = Connection{client};
  clock_.after(latency(), [this, client, id] {
    Connection& conn = connections_[id];
    if (conn.dropped || conn.client_closed) return;
    SimClient& owner = *clients_[static_cast<std::size_t>(client)];
    if (clock_.now() < owner.offline_until) {  // cut off: the socket never reaches the server
      conn.dropped = true;
      if (owner.conn == id) owner.conn = -1;
      return feed(client, SocketClosed{rng_.unit()});
    }
    conn.open = true;
    server_.on_open(id, clients_[static_cast<std::size_t>(client)]->user_id);
    feed(client, SocketOpened{});
  });
}

void SimWorld::close_socket(int client) {
  SimClient& c = *clients_[static_cast<std::size_t>(client)];
  if (c.conn < 0) return;
  const int id = c.conn;
  c.conn = -1;
  Connection& conn = connections_[id];
  conn.client_closed = true;
  if (!conn.open || conn.dropped) return;
  // A graceful close: frames already sent still arrive first.
  const std::int64_t arrival = std::max(clock_.now() + latency(), conn.up_last);
  conn.up_last = arrival;
  clock_.at(arrival, [this, id] {
    if (!connections_[id].dropped) server_.on_close(id);
  });
}

void SimWorld::client_send(int client, const protocol::ClientMessage& message) {
  SimClient& c = *clients_[static_cast<std::size_t>(client)];
  if (c.conn < 0) return violation("c" + std::to_string(client) + " sent with no socket");
  const int id = c.conn;
  Connection& conn = connections_[id];
  if (conn.dropped) return log("c" + std::to_string(client) + " frame lost (dropped connection)");
  if (!conn.open) return violation("c" + std::to_string(client) + " sent before the socket opened");
  std::string frame = protocol::encode(message);
  const std::int64_t arrival = std::max(clock_.now() + latency(), conn.up_last);
  conn.up_last = arrival;
  clock_.at(arrival, [this, id, frame = std::move(frame)] {
    if (connections_[id].dropped) return;
    server_.on_frame(id, frame);
  });
}

void SimWorld::server_send(int id, const protocol::ServerMessage& message) {
  Connection& conn = connections_[id];
  if (conn.dropped || conn.client_closed || !conn.open) return;
  std::string frame = protocol::encode(message);
  const std::int64_t arrival = std::max(clock_.now() + latency(), conn.down_last);
  conn.down_last = arrival;
  clock_.at(arrival, [this, id, frame = std::move(frame)] {
    const Connection& c = connections_[id];
    if (c.dropped || c.client_closed) return;
    auto decoded = protocol::decode_server(frame);
    if (!decoded.ok()) return violation("client could not decode " + frame + ": " + decoded.error.message);
    log("c" + std::to_string(c.client) + " <- " + frame.substr(0, 200));
    if (const auto* ops = std::get_if<protocol::server::WhiteboardOps>(&*decoded.message)) {
      // js-glue hands every wb:ops it hears to the board; the core merges them.
      SimClient& owner = *clients_[static_cast<std::size_t>(c.client)];
      owner.board_from.insert(ops->from);
      for (const auto& op : ops->ops) {
        auto read = whiteboard::read_element(op);
        if (!read.element) return violation("c" + std::to_string(c.client) + " heard a bad board op: " + read.problem);
        owner.board.apply(*read.element);
      }
    }
    feed(c.client, ServerMessageReceived{std::move(*decoded.message)});
  });
}

void SimWorld::create_pc(int client, const std::string& remote_peer) {
  SimClient& c = *clients_[static_cast<std::size_t>(client)];
  if (c.pcs.count(remote_peer)) return violation("c" + std::to_string(client) + " second pc for " + remote_peer);
  const std::size_t index = pcs_.size();
  const std::string name = "pc" + std::to_string(index);
  pcs_.push_back(PcInfo{});
  PcInfo& info = pcs_.back();
  info.client = client;
  info.self_peer = c.room.self().peer_id;
  info.remote_peer = remote_peer;
  info.pc = std::make_unique<FakePeerConnection>(
      clock_, rng_, name,
      [this, client, remote_peer, name](const PeerEvent& event) {
        log("c" + std::to_string(client) + " " + name + "(" + remote_peer + ") " + describe(event));
        if (const auto* failed = std::get_if<OperationFailed>(&event)) {
          const bool benign = failed->error.rfind("InvalidAccessError: answer to another offer", 0) == 0 ||
                              failed->error.rfind("OperationError: unknown ufrag", 0) == 0;
          if (!benign) violation("c" + std::to_string(client) + " " + name + ": " + failed->error);
        }
        feed(client, PeerEventReceived{remote_peer, event});
      },
      [this, index] { evaluate(pcs_[index]); });
  pc_index_[info.pc.get()] = index;
  c.pcs[remote_peer] = info.pc.get();
}

FakePeerConnection* SimWorld::pc_for(int client, const std::string& remote_peer, const char* command) {
  SimClient& c = *clients_[static_cast<std::size_t>(client)];
  const auto found = c.pcs.find(remote_peer);
  if (found == c.pcs.end()) {
    violation("c" + std::to_string(client) + " " + command + " for a pc it never created: " + remote_peer);
    return nullptr;
  }
  return found->second;
}

void SimWorld::execute(int client, RoomCommand command) {
  SimClient& c = *clients_[static_cast<std::size_t>(client)];
  log("c" + std::to_string(client) + " -> " + describe(command));
  if (auto* send = std::get_if<room::SendMessage>(&command)) {
    client_send(client, send->message);
  } else if (std::holds_alternative<OpenSocket>(command)) {
    open_socket(client);
  } else if (std::holds_alternative<CloseSocket>(command)) {
    close_socket(client);
  } else if (auto* create = std::get_if<CreatePeer>(&command)) {
    create_pc(client, create->peer_id);
  } else if (auto* offer = std::get_if<CreateOffer>(&command)) {
    if (auto* pc = pc_for(client, offer->peer_id, "create-offer")) pc->create_offer(offer->op);
  } else if (auto* answer = std::get_if<CreateAnswer>(&command)) {
    if (auto* pc = pc_for(client, answer->peer_id, "create-answer")) pc->create_answer(answer->op);
  } else if (auto* local = std::get_if<SetLocalDescription>(&command)) {
    if (auto* pc = pc_for(client, local->peer_id, "set-local")) pc->set_local_description(local->op, local->type, local->sdp);
  } else if (auto* remote = std::get_if<SetRemoteDescription>(&command)) {
    if (auto* pc = pc_for(client, remote->peer_id, "set-remote")) pc->set_remote_description(remote->op, remote->type, remote->sdp);
  } else if (auto* ice = std::get_if<AddIceCandidate>(&command)) {
    if (auto* pc = pc_for(client, ice->peer_id, "add-ice")) pc->add_ice_candidate(ice->op, ice->candidate);
  } else if (auto* restart = std::get_if<RestartIce>(&command)) {
    if (auto* pc = pc_for(client, restart->peer_id, "restart-ice")) pc->restart_ice();
  } else if (std::holds_alternative<UseRelayOnly>(command) || std::holds_alternative<SetIceServers>(command)) {
    // The simulated network has no NATs or STUN/TURN: every path is direct, so neither changes anything.
  } else if (auto* close = std::get_if<ClosePeer>(&command)) {
    if (auto* pc = pc_for(client, close->peer_id, "close-peer")) {
      pc->close();
      c.pcs.erase(close->peer_id);
    }
  } else if (auto* timer = std::get_if<ScheduleTimer>(&command)) {
    clock_.at(timer->at_ms, [this, client] { feed(client, Tick{}); });
  } else if (auto* toast = std::get_if<ShowToast>(&command)) {
    c.toasts.push_back(toast->kind);
    if (toast->kind == Toast::refused) c.refusals.push_back(toast->detail);
  } else if (auto* reported = std::get_if<ShowReported>(&command)) {
    c.reported.push_back(*reported);
  } else if (auto* screen = std::get_if<ShowScreen>(&command)) {
    c.screens.push_back(screen->screen);
  } else if (std::holds_alternative<Rejected>(command)) {
    ++c.rejected;
  }
}

SimWorld::PcInfo* SimWorld::counterpart(const PcInfo& info) {
  return const_cast<PcInfo*>(static_cast<const SimWorld*>(this)->counterpart(info));
}

const SimWorld::PcInfo* SimWorld::counterpart(const PcInfo& info) const {
  for (const auto& other : clients_) {
    if (other->room.self().peer_id != info.remote_peer) continue;
    const auto found = other->pcs.find(info.self_peer);
    if (found == other->pcs.end()) return nullptr;
    const PcInfo& candidate = pcs_[pc_index_.at(found->second)];
    if (candidate.self_peer != info.remote_peer || candidate.pc->closed()) return nullptr;
    return &candidate;
  }
  return nullptr;
}

void SimWorld::evaluate(PcInfo& info) {
  FakePeerConnection& x = *info.pc;
  if (x.closed()) return;
  PcInfo* other = counterpart(info);
  FakePeerConnection* y = other ? other->pc.get() : nullptr;
  const std::int64_t now = clock_.now();
  auto agreed = [&] {
    if (!y || !x.current_local() || !x.current_remote() || !y->current_local() || !y->current_remote()) return false;
    return x.current_local()->ufrag == y->current_remote()->ufrag && x.current_remote()->ufrag == y->current_local()->ufrag &&
           x.has_remote_candidate(x.current_remote()->ufrag) && y->has_remote_candidate(y->current_remote()->ufrag);
  };
  if (agreed()) {
    x.set_connection_state(ConnectionState::connected);
    if (y->connection_state() != ConnectionState::connected) evaluate(*other);
    return;
  }
  const std::string key = (x.current_local() ? x.current_local()->ufrag : "") + "|" +
                          (x.current_remote() ? x.current_remote()->ufrag : "");
  if (key != info.ice_key) {  // new ICE credentials: checking starts over
    info.ice_key = key;
    if (x.current_remote() && x.connection_state() != ConnectionState::connected) {
      info.connecting_since = now;
      x.set_connection_state(ConnectionState::connecting);
    }
  }
  const bool negotiating = x.signaling_state() != SignalingState::stable ||
                           (y && y->signaling_state() != SignalingState::stable);
  switch (x.connection_state()) {
    case ConnectionState::connected:
      if (!y || !negotiating) {
        info.disconnected_since = now;
        x.set_connection_state(ConnectionState::disconnected);
      }
      break;
    case ConnectionState::disconnected:
      if (now - info.disconnected_since >= 15'000) x.set_connection_state(ConnectionState::failed);
      break;
    case ConnectionState::fresh:
      if (x.current_remote()) {
        info.connecting_since = now;
        x.set_connection_state(ConnectionState::connecting);
      }
      break;
    case ConnectionState::connecting:
      if (now - info.connecting_since >= 10'000) x.set_connection_state(ConnectionState::failed);
      break;
    case ConnectionState::failed:
    case ConnectionState::closed:
      break;
  }
}

void SimWorld::evaluate_all() {
  for (auto& info : pcs_) evaluate(info);
}

void SimWorld::tick_loop() {
  clock_.after(250, [this] {
    evaluate_all();
    tick_loop();
  });
}

void SimWorld::run_until(std::int64_t until) { clock_.run_until(until); }

int SimWorld::rollbacks() const {
  int total = 0;
  for (const auto& info : pcs_) total += info.pc->rollbacks();
  return total;
}

std::string SimWorld::check_settled() const {
  const authority::RoomAuthority* room = server_.room(kRoomCode);
  if (!room) return "the server lost the room";
  std::string problems;
  auto problem = [&](const std::string& what) {
    if (problems.size() < 4000) problems += what + "\n";
  };
  if (server_.bad_frames() > 0) problem("the server could not decode " + std::to_string(server_.bad_frames()) + " frames");
  for (const auto& v : violations_) problem(v);

  std::set<std::string> present_peers;
  for (const auto& c : clients_) {
    const std::string who = "c" + std::to_string(c->index) + " (" + c->room.self().peer_id + ")";
    if (c->room.state() != RoomState::in_room) {
      if (!c->room.links().empty()) problem(who + " is " + std::string(to_string(c->room.state())) + " but keeps links");
      if (!c->pcs.empty()) problem(who + " is " + std::string(to_string(c->room.state())) + " but keeps pcs");
      continue;
    }
    present_peers.insert(c->room.self().peer_id);
    const authority::Member* me = nullptr;
    std::vector<protocol::Participant> expected;
    for (const auto& m : room->members()) {
      if (m.peer_id == c->room.self().peer_id) {
        me = &m;
      } else if (m.announced) {
        expected.push_back(room->participant(m));
      }
    }
    if (!me) {
      problem(who + " thinks it is in the room; the server does not have it");
      continue;
    }
    if (SimServer::conn_of(*me) < 0 || SimServer::conn_of(*me) != c->conn) problem(who + " is not connected to the server on its socket");
    if (c->room.participants() != expected) {
      std::string have, want;
      for (const auto& p : c->room.participants()) have += " " + p.peer_id + (p.is_host ? "*" : "") + (p.is_cohost ? "+" : "");
      for (const auto& p : expected) want += " " + p.peer_id + (p.is_host ? "*" : "") + (p.is_cohost ? "+" : "");
      problem(who + " participants [" + have + " ] but the server has [" + want + " ]");
    }
    if (c->room.room().host_user_id != room->facts().host_user_id) problem(who + " thinks the host is " + c->room.room().host_user_id);
    if (c->room.self().is_host != (c->user_id == room->facts().host_user_id)) problem(who + " is wrong about being host");
    if (c->room.self().hand_raised_at != me->hand_raised_at) problem(who + " is wrong about its own hand");
    if (c->room.links().size() != expected.size()) {
      problem(who + " has " + std::to_string(c->room.links().size()) + " links for " + std::to_string(expected.size()) + " others");
    }
    if (c->pcs.size() != c->room.links().size()) problem(who + " has " + std::to_string(c->pcs.size()) + " pcs");
    for (const auto& p : expected) {
      const PeerLink* link = c->room.link(p.peer_id);
      if (!link) {
        problem(who + " has no link to " + p.peer_id);
        continue;
      }
      if (link->state() != LinkState::connected) {
        problem(who + " link to " + p.peer_id + " is " + std::string(to_string(link->state())));
      }
      const auto pc = c->pcs.find(p.peer_id);
      if (pc == c->pcs.end()) {
        problem(who + " has no pc for " + p.peer_id);
        continue;
      }
      const PcInfo& info = pcs_[pc_index_.at(pc->second)];
      const PcInfo* other = counterpart(info);
      if (!other) {
        problem(who + " pc for " + p.peer_id + " has no counterpart");
        continue;
      }
      const FakePeerConnection& x = *info.pc;
      const FakePeerConnection& y = *other->pc;
      if (x.connection_state() != ConnectionState::connected || x.signaling_state() != SignalingState::stable) {
        problem(who + " pc for " + p.peer_id + " is " + std::string(to_string(x.connection_state())) + "/" +
                std::string(to_string(x.signaling_state())));
      }
      const std::string sx = session_of(x), sy = session_of(y);
      const std::string flipped = sy == "-" ? "-" : sy.substr(sy.find('/') + 1) + "/" + sy.substr(0, sy.find('/'));
      if (sx != flipped) problem(who + " and " + p.peer_id + " disagree on the session: " + sx + " vs " + sy);
    }
  }
  for (const auto& m : room->members()) {
    if (!present_peers.count(m.peer_id)) problem("ghost on the server: " + m.peer_id + " (" + m.user_id + ")");
  }
  return problems;
}

}  // namespace mehfil::sim
