// The chaos client (chaos_client.h). Every 200-800 ms a connected client picks one action:
//   in a room   chat 24, wb:ops 14 (new strokes), wb:ops 6 (move or erase an own acked stroke: a
//               new version), signal:ice 6, invalid chat 10 (too long, control characters,
//               bad JSON, unknown type, binary frame), invalid wb:ops 5, host kick or mute 5 (a
//               non-host is refused), leave 3, join while in a room 1.5, reconnect and resume 3,
//               drop the socket mid-write of a large frame 1.5, a frame over 64 KiB 0.7, stop
//               reading for 1-6 s 1 (weights, per mille of the tick: x10)
//   outside     join 75 (one in seven over REST first: POST /api/rooms/:code/join, then the socket
//               joins or never comes; a password room with a wrong password one time in eight), chat 8
//               (not_in_room), bad JSON 5, reconnect 4, stop reading 1, drop mid-write 1
// New board elements carry the client's own "<user_id>:<n>" ids. Invalid wb:ops batches mix a
// well-formed element of the client's own (ids from 500000000 up, never reused) with a bad op, so
// the server must refuse the batch whole and that element may never appear on any board.
#include "chaos_client.h"

#include <algorithm>

#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include "protocol/codec.h"

namespace chaos {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
namespace net = boost::asio;
namespace proto = mehfil::protocol;
using tcp = net::ip::tcp;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t kQueueLimit = 256;
constexpr std::int64_t kRefusedIdBase = 500000000;  // ids of elements sent only in batches that must fail
constexpr std::int64_t kForgedIdBase = 900000000;   // ids under someone else's user id: never on a board

std::string words(std::mt19937_64& rng, int count) {
  static const char* const kWords[] = {"tea", "chai", "samosa", "José", "naïve", "✓", "mehfil", "line\nbreak",
                                       "tab\there", "ok", "😀", "नमस्ते", "board", "again", "why?"};
  std::string text;
  for (int i = 0; i < count; ++i) {
    if (i) text += ' ';
    text += kWords[std::uniform_int_distribution<std::size_t>(0, std::size(kWords) - 1)(rng)];
  }
  return text;
}

std::string cause_of(const beast::error_code& ec, const websocket::stream<beast::tcp_stream>& ws) {
  if (ec == websocket::error::closed) return "server closed the socket with code " + std::to_string(ws.reason().code);
  if (ec == net::error::eof || ec == beast::http::error::end_of_stream) return "server ended the connection (EOF)";
  if (ec == net::error::connection_reset) return "connection reset";
  return "read failed: " + ec.message();
}

}  // namespace

ChaosClient::ChaosClient(World& world, UserInfo user, std::uint64_t seed, std::optional<std::size_t> home_room)
    : w_(world), user_(std::move(user)), rng_(seed), home_room_(home_room), tick_timer_(world.io),
      reconnect_timer_(world.io), pause_timer_(world.io) {}

void ChaosClient::start(milliseconds after) {
  reconnect_after(after);
  arm_tick();
}

void ChaosClient::stop() {
  stopped_ = true;
  tick_timer_.cancel();
  reconnect_timer_.cancel();
  pause_timer_.cancel();
  if (conn_ && !conn_->dead) {
    conn_->dead = true;
    w_.ledger.unanswered += pending_.size();
    pending_.clear();
    beast::error_code ignored;
    beast::get_lowest_layer(conn_->ws).socket().close(ignored);
  }
}

// ---------------------------------------------------------------------------------------------
// The socket

void ChaosClient::reconnect_after(milliseconds delay) {
  if (stopped_) return;
  reconnect_timer_.expires_after(delay);
  reconnect_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec && !self->stopped_) self->connect();
  });
}

void ChaosClient::connect() {
  auto conn = std::make_shared<Conn>(w_.io);
  conn_ = conn;
  beast::get_lowest_layer(conn->ws).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(conn->ws).async_connect(w_.endpoint, [self = shared_from_this(), conn](beast::error_code ec) {
    if (conn != self->conn_ || self->stopped_) return;
    if (ec) {
      conn->dead = true;
      self->w_.ledger.count(self->w_.ledger.events, "connect refused or failed (server down)");
      return self->reconnect_after(milliseconds(self->uniform(200, 1000)));
    }
    beast::error_code ignored;
    beast::get_lowest_layer(conn->ws).socket().set_option(tcp::no_delay(true), ignored);
    conn->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    conn->ws.read_message_max(8 * 1024 * 1024);
    const std::string host = "127.0.0.1:" + std::to_string(self->w_.endpoint.port());
    conn->ws.async_handshake(host, "/ws?token=" + self->user_.token, [self, conn](beast::error_code ec2) {
      if (conn != self->conn_ || self->stopped_) return;
      if (ec2) {
        conn->dead = true;
        self->w_.ledger.count(self->w_.ledger.events, "WebSocket handshake failed: " + ec2.message());
        return self->reconnect_after(milliseconds(self->uniform(200, 1000)));
      }
      beast::get_lowest_layer(conn->ws).expires_never();
      self->w_.ledger.count(self->w_.ledger.events, "connected");
      self->read(conn);
    });
  });
}

// The socket is gone: everything it had in flight goes unanswered, and the room is resumed later.
void ChaosClient::lost(const std::shared_ptr<Conn>& conn, const std::string& cause, milliseconds retry_after) {
  if (conn->dead) return;
  conn->dead = true;
  beast::error_code ignored;
  beast::get_lowest_layer(conn->ws).socket().close(ignored);
  w_.ledger.count(w_.ledger.events, cause);
  w_.ledger.unanswered += pending_.size();
  pending_.clear();
  if (room_) resume_room_ = room_;
  room_.reset();
  joining_.reset();
  peers_.clear();
  if (!stopped_) reconnect_after(retry_after);
}

void ChaosClient::read(const std::shared_ptr<Conn>& conn) {
  conn->reading = true;
  conn->ws.async_read(conn->buffer, [self = shared_from_this(), conn](beast::error_code ec, std::size_t) {
    conn->reading = false;
    if (conn != self->conn_ || conn->dead) return;
    if (ec && conn->closing) return self->lost(conn, "closed by the client (reconnect)", milliseconds(self->uniform(50, 500)));
    if (ec) return self->lost(conn, cause_of(ec, conn->ws), milliseconds(self->uniform(100, 1500)));
    const auto data = conn->buffer.data();
    self->on_frame(std::string_view(static_cast<const char*>(data.data()), data.size()));
    conn->buffer.consume(conn->buffer.size());
    if (conn == self->conn_ && !conn->dead && !conn->paused) self->read(conn);
  });
}

void ChaosClient::send(std::string data, bool binary) {
  if (!conn_ || conn_->dead || !conn_->ready) return;
  if (conn_->queue.size() >= kQueueLimit) {
    w_.ledger.count(w_.ledger.events, "client send queue full (frame not sent)");
    return;
  }
  conn_->queue.push_back({std::move(data), binary});
  if (!conn_->writing) write(conn_);
}

void ChaosClient::write(const std::shared_ptr<Conn>& conn) {
  conn->writing = true;
  conn->ws.binary(conn->queue.front().binary);
  conn->ws.async_write(net::buffer(conn->queue.front().data), [self = shared_from_this(), conn](beast::error_code ec, std::size_t) {
    conn->writing = false;
    conn->queue.pop_front();
    if (conn->dead || conn != self->conn_) return;
    if (ec) return self->lost(conn, "write failed: " + ec.message(), milliseconds(self->uniform(100, 1500)));
    if (!conn->queue.empty()) self->write(conn);
  });
}

bool ChaosClient::idle_socket() const {
  return conn_ && conn_->ready && !conn_->dead && !conn_->writing && conn_->queue.empty();
}

// ---------------------------------------------------------------------------------------------
// What the server says

void ChaosClient::on_frame(std::string_view frame) {
  Ledger& l = w_.ledger;
  ++l.frames;
  if (const auto decoded = proto::decode_server(frame); !decoded.ok()) {
    ++l.undecodable;
    if (l.undecodable_samples.size() < 5) {
      l.undecodable_samples.push_back(decoded.error.message + " in: " + std::string(frame.substr(0, 300)));
    }
  }
  const json message = json::parse(frame, nullptr, false);
  if (!message.is_object()) return;
  try {
    on_message(message);
  } catch (const json::exception& e) {  // a field of an unexpected type: noted, not fatal
    l.count(l.events, std::string("a server frame this test could not read: ") + e.what());
  }
}

void ChaosClient::forget_room() {
  room_.reset();
  peers_.clear();
}

void ChaosClient::on_message(const json& m) {
  Ledger& l = w_.ledger;
  const std::string type = m.value("type", "");
  if (type == "hello") {
    conn_->ready = true;
    if (resume_room_) {
      const std::string code = *resume_room_;
      resume_room_.reset();
      const auto token = resume_tokens_.find(code);
      const auto room = std::find_if(w_.rooms.begin(), w_.rooms.end(), [&](const RoomInfo& r) { return r.code == code; });
      if (token != resume_tokens_.end() && room != w_.rooms.end() && !kicked_from_.count(code)) {
        l.count(l.actions, "resume (room:join with the resume token)");
        join(*room, std::nullopt, token->second);
      }
    }
  } else if (type == "room:joined") {
    const json& room = m.value("room", json::object());
    const std::string code = room.value("room_code", "");
    if (joining_ && *joining_ == code) {
      l.join_ms[join_kind_].push_back(std::chrono::duration<double, std::milli>(Clock::now() - join_sent_).count());
    }
    joining_.reset();
    room_ = code;
    host_user_id_ = room.value("host_user_id", "");
    resume_tokens_[code] = m.value("resume_token", "");
    peers_.clear();
    for (const json& p : m.value("participants", json::array())) peers_[p.value("peer_id", "")] = p.value("user_id", "");
  } else if (type == "room:participant-joined") {
    const json& u = m.value("user", json::object());
    peers_[u.value("peer_id", "")] = u.value("user_id", "");
  } else if (type == "room:participant-left") {
    peers_.erase(m.value("peer_id", ""));
  } else if (type == "room:host-changed") {
    host_user_id_ = m.value("host_user_id", "");
  } else if (type == "room:host-action") {
    if (m.value("action", "") == "kick" && m.value("target_user_id", "") == user_.user_id && room_) {
      l.count(l.events, "kicked by the host");
      kicked_from_.insert(*room_);
      resume_tokens_.erase(*room_);
      forget_room();
    }
  } else if (type == "room:closed") {
    l.count(l.events, "room:closed " + m.value("reason", ""));
    forget_room();
  } else if (type == "ack") {
    if (!m.contains("id") || !m["id"].is_number_integer()) return;
    const auto it = pending_.find(m["id"].get<std::int64_t>());
    if (it == pending_.end()) return;
    Pending& p = it->second;
    switch (p.kind) {
      case Kind::chat:
        ++l.chat_acks;
        l.chats[p.room].push_back({p.client_msg_id, p.text, p.sent_ms});
        break;
      case Kind::wb:
        ++l.wb_acks;
        l.wb_elements_acked += p.elements.size();
        for (const auto& [id, state] : p.elements) {
          auto [at, fresh] = l.elements[p.room].try_emplace(id, state);
          if (fresh) mine_[p.room].push_back(id);
          else if (state.version > at->second.version) at->second = state;
        }
        break;
      case Kind::join: ++l.join_acks; break;
      case Kind::other: ++l.other_acks; break;
    }
    pending_.erase(it);
  } else if (type == "error") {
    const std::string code = m.value("code", "?");
    l.count(l.errors, code);
    if (!l.error_samples.count(code)) l.error_samples[code] = m.value("message", "");
    if (!m.contains("ref") || !m["ref"].is_number_integer()) return;
    const auto it = pending_.find(m["ref"].get<std::int64_t>());
    if (it == pending_.end()) return;
    if (it->second.kind == Kind::join) {
      joining_.reset();
      next_join_ = Clock::now() + milliseconds(uniform(2000, 5000));  // as a person would: not at once again
      if (code == "unauthorized") kicked_from_.insert(it->second.room);  // removed by the host earlier
      resume_tokens_.erase(it->second.room);
    }
    pending_.erase(it);
  }
}

// ---------------------------------------------------------------------------------------------
// Actions

void ChaosClient::arm_tick() {
  tick_timer_.expires_after(milliseconds(uniform(200, 800)));
  tick_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->stopped_) return;
    self->tick();
    self->arm_tick();
  });
}

void ChaosClient::tick() {
  if (!conn_ || conn_->dead || !conn_->ready || conn_->paused) return;
  if (joining_) {
    if (Clock::now() - join_sent_ > std::chrono::seconds(10)) {
      w_.ledger.count(w_.ledger.events, "room:join unanswered for 10 s on an open socket");
      joining_.reset();
    }
    return;
  }
  if (room_) act_in_room();
  else act_outside();
}

int ChaosClient::pick(std::initializer_list<int> weights) {
  int total = 0;
  for (int weight : weights) total += weight;
  int at = uniform(0, total - 1), index = 0;
  for (int weight : weights) {
    if (at < weight) return index;
    at -= weight;
    ++index;
  }
  return index - 1;
}

void ChaosClient::act(const std::string& kind) { w_.ledger.count(w_.ledger.actions, kind); }

void ChaosClient::act_in_room() {
  switch (pick({240, 140, 60, 100, 50, 50, 30, 15, 30, 15, 7, 10, 60})) {
    case 0: return send_chat();
    case 1: return send_board_ops();
    case 12: return edit_own_element();
    case 2: {
      if (peers_.empty()) return;
      auto peer = peers_.begin();
      std::advance(peer, uniform(0, static_cast<int>(peers_.size()) - 1));
      act("signal:ice to a peer");
      return send(proto::encode(proto::client::SignalIce{peer->first, proto::IceCandidate{"candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host", "0", 0}}));
    }
    case 3: return send_invalid_chat();
    case 4: return send_invalid_board_ops();
    case 5: return host_action(chance(0.4));
    case 6: {
      act("room:leave");
      resume_tokens_.erase(*room_);
      forget_room();
      const std::int64_t id = request({Kind::other, {}, {}, {}, 0, {}});
      return send(proto::encode(proto::client::LeaveRoom{}, proto::RequestId{id}));
    }
    case 7: {
      const RoomInfo& other = w_.rooms[static_cast<std::size_t>(uniform(0, static_cast<int>(w_.rooms.size()) - 1))];
      if (other.code == *room_) return;
      act("room:join while in another room");
      const std::int64_t id = request({Kind::other, other.code, {}, {}, 0, {}});
      return send(proto::encode(proto::client::JoinRoom{other.code, other.password, std::nullopt, std::nullopt},
                                proto::RequestId{id}));
    }
    case 8: return close_and_resume(chance(0.5));
    case 9: return drop_mid_write();
    case 10: {
      act("frame over 64 KiB (the server closes with 1009)");
      return send(json{{"type", "chat:send"}, {"text", std::string(70 * 1024, 'x')}, {"client_msg_id", "big"}}.dump());
    }
    case 11: return stop_reading();
  }
}

void ChaosClient::act_outside() {
  switch (pick({750, 80, 50, 40, 10, 10})) {
    case 0: {
      if (Clock::now() < next_join_) return;
      std::vector<std::size_t> open;
      for (std::size_t i = 0; i < w_.rooms.size(); ++i) {
        if (!kicked_from_.count(w_.rooms[i].code)) open.push_back(i);
      }
      if (open.empty()) return;
      std::size_t index = open[static_cast<std::size_t>(uniform(0, static_cast<int>(open.size()) - 1))];
      if (home_room_ && !kicked_from_.count(w_.rooms[*home_room_].code)) index = *home_room_;
      home_room_.reset();
      const RoomInfo& room = w_.rooms[index];
      if (chance(0.15)) return rest_join(room, chance(0.5));
      if (room.password && chance(0.125)) {
        act("room:join with a wrong password");
        return join(room, *room.password + "-wrong", std::nullopt);
      }
      act("room:join");
      return join(room, room.password, std::nullopt);
    }
    case 1: {
      act("chat:send outside a room");
      const std::int64_t id = request({Kind::other, {}, {}, {}, 0, {}});
      return send(proto::encode(proto::client::ChatSend{"hello?", "c-out"}, proto::RequestId{id}));
    }
    case 2: act("bad JSON"); return send(R"({"type":"room:join","room_code":"ABCDEFGH)");
    case 3: return close_and_resume(chance(0.5));
    case 4: return stop_reading();
    default: return drop_mid_write();
  }
}

std::int64_t ChaosClient::request(Pending pending) {
  const std::int64_t id = next_request_++;
  pending_[id] = std::move(pending);
  return id;
}

void ChaosClient::join(const RoomInfo& room, std::optional<std::string> password, std::optional<std::string> resume_token) {
  const std::int64_t id = request({Kind::join, room.code, {}, {}, 0, {}});
  joining_ = room.code;
  join_sent_ = Clock::now();
  join_kind_ = resume_token ? "resume" : room.password ? "a password room" : "a room without a password";
  send(proto::encode(proto::client::JoinRoom{room.code, std::move(password), std::move(resume_token), std::nullopt},
                     proto::RequestId{id}));
}

// POST /api/rooms/:code/join reserves a seat for --reservation-ms; half the time the socket then
// joins (a member already: no password again), half the time it never comes and the seat must
// come back by itself.
void ChaosClient::rest_join(const RoomInfo& room, bool then_socket) {
  act(then_socket ? "REST join, then room:join on the socket" : "REST join, and the socket never comes");
  struct Call {
    explicit Call(net::io_context& io) : stream(io) {}
    beast::tcp_stream stream;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
    beast::flat_buffer buffer;
  };
  auto call = std::make_shared<Call>(w_.io);
  call->request = {http::verb::post, "/api/rooms/" + room.code + "/join", 11};
  call->request.set(http::field::host, "127.0.0.1:" + std::to_string(w_.endpoint.port()));
  call->request.set(http::field::authorization, "Bearer " + user_.token);
  call->request.set(http::field::content_type, "application/json");
  call->request.body() = room.password ? json{{"password", *room.password}}.dump() : "{}";
  call->request.prepare_payload();
  call->stream.expires_after(std::chrono::seconds(10));
  next_join_ = Clock::now() + milliseconds(uniform(1000, 3000));
  const auto failed = [this](const char* what, const beast::error_code& ec) {
    w_.ledger.count(w_.ledger.events, std::string("REST join: ") + what + " (" + ec.message() + ")");
  };
  call->stream.async_connect(w_.endpoint, [self = shared_from_this(), call, room, then_socket, failed](beast::error_code ec) {
    if (ec) return failed("no connection", ec);
    http::async_write(call->stream, call->request, [self, call, room, then_socket, failed](beast::error_code ec2, std::size_t) {
      if (ec2) return failed("write failed", ec2);
      http::async_read(call->stream, call->buffer, call->response, [self, call, room, then_socket, failed](beast::error_code ec3, std::size_t) {
        if (ec3) return failed("no answer", ec3);
        const json body = json::parse(call->response.body(), nullptr, false);
        const std::string code = body.is_object() && body.contains("error") ? body["error"].value("code", "?") : "ok";
        self->w_.ledger.count(self->w_.ledger.events, "REST join answered " + std::to_string(call->response.result_int()) + " " + code);
        if (self->stopped_ || !then_socket || call->response.result_int() != 200) return;
        if (self->conn_ && self->conn_->ready && !self->conn_->dead && !self->room_ && !self->joining_) {
          self->join(room, std::nullopt, std::nullopt);
        }
      });
    });
  });
}

void ChaosClient::send_chat() {
  act("chat:send");
  const std::string client_msg_id = "c" + user_.user_id.substr(0, 40) + "-" + std::to_string(++chat_n_);
  const std::string text = "chaos " + std::to_string(chat_n_) + " " + words(rng_, uniform(1, 8));
  const std::int64_t id = request({Kind::chat, *room_, client_msg_id, text, system_ms(), {}});
  send(proto::encode(proto::client::ChatSend{text, client_msg_id}, proto::RequestId{id}));
}

void ChaosClient::send_invalid_chat() {
  const int variant = uniform(0, 4);
  // Bad JSON and binary frames get an error without a ref: nothing to wait for.
  const std::int64_t id = variant == 2 || variant == 4 ? 0 : request({Kind::other, {}, {}, {}, 0, {}});
  switch (variant) {
    case 0:
      act("chat:send too long (4100 characters)");
      return send(json{{"type", "chat:send"}, {"id", id}, {"text", std::string(4100, 'y')}, {"client_msg_id", "long"}}.dump());
    case 1:
      act("chat:send with control characters");
      return send(json{{"type", "chat:send"}, {"id", id}, {"text", "bell\x07 and \x1b[31m"}, {"client_msg_id", "ctl"}}.dump());
    case 2: act("bad JSON"); return send(R"({"type":"chat:send","id":)" + std::to_string(id) + R"(,"text":"unfinished)");
    case 3: act("unknown type"); return send(json{{"type", "chat:shout"}, {"id", id}, {"text", "hi"}}.dump());
    default:
      act("binary frame");
      return send(json{{"type", "chat:send"}, {"id", id}, {"text", "binary"}, {"client_msg_id", "bin"}}.dump(), true);
  }
}

json ChaosClient::stroke(const std::string& element_id, std::int64_t version) {
  json points = json::array();
  const int count = uniform(1, 10);
  const double x0 = uniform(-2000, 2000), y0 = uniform(-2000, 2000);
  for (int i = 0; i < count; ++i) {
    points.push_back(x0 + uniform(0, 300) / 10.0);
    points.push_back(y0 + uniform(0, 300) / 10.0);
  }
  return {{"id", element_id}, {"kind", "freehand"}, {"points", std::move(points)}, {"stroke", "#1e1e1eff"},
          {"width", uniform(1, 8)}, {"z", "a" + std::to_string(uniform(0, 9))}, {"version", version},
          {"version_nonce", uniform(0, 1 << 30)}};
}

void ChaosClient::send_board_ops() {
  act("wb:ops (new strokes)");
  Pending p{Kind::wb, *room_, {}, {}, 0, {}};
  std::vector<json> ops;
  for (int i = uniform(1, 3); i > 0; --i) {
    const std::string element_id = user_.user_id + ":" + std::to_string(++element_n_);
    sent_version_[element_id] = 1;
    p.elements.push_back({element_id, {1, false}});
    ops.push_back(stroke(element_id));
  }
  const std::int64_t id = request(std::move(p));
  send(proto::encode(proto::client::WhiteboardOps{std::move(ops)}, proto::RequestId{id}));
}

// A new version of one of this client's acknowledged strokes: moved, or erased (a tombstone).
void ChaosClient::edit_own_element() {
  const auto& mine = mine_[*room_];
  if (mine.empty()) return send_board_ops();
  const std::string& element_id = mine[static_cast<std::size_t>(uniform(0, static_cast<int>(mine.size()) - 1))];
  const std::int64_t version = ++sent_version_[element_id];
  const bool erase = chance(0.3);
  act(erase ? "wb:ops (erase an own stroke)" : "wb:ops (move an own stroke)");
  json op = stroke(element_id, version);
  op["deleted"] = erase;
  const std::int64_t id = request({Kind::wb, *room_, {}, {}, 0, {{element_id, {version, erase}}}});
  send(proto::encode(proto::client::WhiteboardOps{{std::move(op)}}, proto::RequestId{id}));
}

std::string ChaosClient::other_user_id() {
  if (peers_.empty()) return "u_nobody_here";
  auto peer = peers_.begin();
  std::advance(peer, uniform(0, static_cast<int>(peers_.size()) - 1));
  return peer->second;
}

void ChaosClient::send_invalid_board_ops() {
  const std::int64_t id = request({Kind::other, {}, {}, {}, 0, {}});
  const auto own_refused = [&] {
    const std::string element_id = user_.user_id + ":" + std::to_string(kRefusedIdBase + static_cast<std::int64_t>(refused_n_++));
    w_.ledger.refused_elements[*room_].insert(element_id);
    return stroke(element_id);
  };
  json ops = json::array();
  ops.push_back(own_refused());
  switch (uniform(0, 5)) {
    case 0: {
      act("wb:ops with an unknown kind");
      json bad = stroke(user_.user_id + ":" + std::to_string(++element_n_));
      bad["kind"] = "blob";
      ops.push_back(std::move(bad));
      break;
    }
    case 1: {
      act("wb:ops with coordinates out of range");
      json bad = stroke(user_.user_id + ":" + std::to_string(++element_n_));
      bad["points"] = {1e9, 0};
      ops.push_back(std::move(bad));
      break;
    }
    case 2: {
      act("wb:ops forging another user's element id");
      ops.push_back(stroke(other_user_id() + ":" + std::to_string(kForgedIdBase + uniform(0, 1 << 20))));
      w_.ledger.refused_elements[*room_].insert(ops.back()["id"].get<std::string>());
      break;
    }
    case 3:
      act("wb:ops with 300 ops (over the 256 limit)");
      while (ops.size() < 300) ops.push_back(own_refused());
      break;
    case 4: act("wb:ops with an op that is not an object"); ops.push_back(42); break;
    default: {
      act("wb:ops with an element without a version");
      json bad = stroke(user_.user_id + ":" + std::to_string(++element_n_));
      bad.erase("version");
      ops.push_back(std::move(bad));
      break;
    }
  }
  send(json{{"type", "wb:ops"}, {"id", id}, {"ops", std::move(ops)}}.dump());
}

void ChaosClient::host_action(bool kick) {
  const bool host = host_user_id_ == user_.user_id;
  act(std::string(kick ? "room:host-kick" : "room:host-mute") + (host ? " (as host)" : " (not host: refused)"));
  const std::string target = other_user_id();
  const std::int64_t id = request({Kind::other, {}, {}, {}, 0, {}});
  if (kick) send(proto::encode(proto::client::HostKick{target}, proto::RequestId{id}));
  else send(proto::encode(proto::client::HostMute{target}, proto::RequestId{id}));
}

void ChaosClient::close_and_resume(bool graceful) {
  if (graceful && idle_socket()) {
    act("reconnect (close handshake, then resume)");
    auto conn = conn_;
    conn->ws.async_close(websocket::close_code::normal, [self = shared_from_this(), conn](beast::error_code) {
      if (conn == self->conn_) self->lost(conn, "closed by the client (reconnect)", milliseconds(self->uniform(50, 500)));
    });
    conn->ready = false;  // nothing more goes out on it
    conn->closing = true;
    return;
  }
  act("reconnect (TCP close, then resume)");
  lost(conn_, "closed by the client (reconnect)", milliseconds(uniform(50, 500)));
}

// A large text frame's header and half its payload, then the socket goes: FIN or RST.
void ChaosClient::drop_mid_write() {
  if (!idle_socket()) return;
  act("drop the socket mid-write of a large frame");
  constexpr std::size_t kPayload = 60000;
  std::string frame;
  frame += static_cast<char>(0x81);         // FIN, text
  frame += static_cast<char>(0x80 | 126);   // masked, 16-bit length
  frame += static_cast<char>(kPayload >> 8);
  frame += static_cast<char>(kPayload & 0xff);
  const char mask[4] = {0x12, 0x34, 0x56, 0x78};
  frame.append(mask, 4);
  std::string payload = R"({"type":"chat:send","client_msg_id":"cut","text":")" + std::string(kPayload, 'z');
  payload.resize(kPayload / 2);
  for (std::size_t i = 0; i < payload.size(); ++i) frame += static_cast<char>(payload[i] ^ mask[i % 4]);
  auto conn = conn_;
  conn->ready = false;
  conn->writing = true;  // Beast must not write meanwhile
  auto bytes = std::make_shared<std::string>(std::move(frame));
  const bool reset = chance(0.5);
  net::async_write(beast::get_lowest_layer(conn->ws).socket(), net::buffer(*bytes),
                   [self = shared_from_this(), conn, bytes, reset](beast::error_code, std::size_t) {
                     if (reset) {
                       beast::error_code ignored;
                       beast::get_lowest_layer(conn->ws).socket().set_option(net::socket_base::linger(true, 0), ignored);
                     }
                     if (conn == self->conn_) {
                       self->lost(conn, reset ? "dropped mid-write by the client (RST)" : "dropped mid-write by the client (FIN)",
                                  milliseconds(self->uniform(50, 800)));
                     }
                   });
}

void ChaosClient::stop_reading() {
  act("stop reading for 1-6 s");
  auto conn = conn_;
  conn->paused = true;
  pause_timer_.expires_after(milliseconds(uniform(1000, 6000)));
  pause_timer_.async_wait([self = shared_from_this(), conn](beast::error_code ec) {
    conn->paused = false;
    if (ec || self->stopped_ || conn != self->conn_ || conn->dead) return;
    if (!conn->reading) self->read(conn);
  });
}

}  // namespace chaos
