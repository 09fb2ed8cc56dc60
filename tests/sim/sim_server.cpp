// The simulation's shell around the real room rules (sim_server.h).
#include "sim_server.h"

#include <cstdio>
#include <type_traits>
#include <utility>

#include "protocol/codec.h"
#include "protocol/validation.h"
#include "whiteboard/element_json.h"

namespace mehfil::sim {

namespace srv = protocol::server;
namespace cli = protocol::client;
using protocol::ErrorCode;

SimServer::SimServer(Clock& clock, Rng& rng, Send send) : clock_(clock), rng_(rng), send_(std::move(send)) {}

void SimServer::create_room(const std::string& code, const std::string& host_user_id, std::optional<std::string> password,
                            int max) {
  authority::RoomFacts facts;
  facts.room_code = code;
  facts.room_name = "Simulated room";
  facts.host_user_id = host_user_id;
  facts.max_participants = max;
  facts.has_password = password.has_value();
  rooms_.insert_or_assign(code, authority::RoomAuthority(std::move(facts)));
  stored_[code] = Stored{std::move(password), {}, {}, {}, 0};
}

std::string SimServer::reserve(const std::string& code, const std::string& user_id) {
  const auto found = rooms_.find(code);
  if (found == rooms_.end()) return "room_not_found";
  char peer[16];
  std::snprintf(peer, sizeof peer, "p%03d", ++next_peer_);
  authority::JoinRequest join;
  join.actor = {user_id, user_id, std::nullopt, false};
  join.fresh_peer_id = peer;
  join.was_kicked = stored_[code].kicked.count(user_id) > 0;
  join.password_given = false;
  const authority::Outcome outcome = found->second.join(join, clock_.now());
  apply(code, outcome);
  if (outcome.problem) return std::string(protocol::to_string(outcome.problem->code));
  if (outcome.needs_password) return "wrong_password";
  sweep_after(authority::Timing{}.reservation_ms);
  return "";
}

const authority::RoomAuthority* SimServer::room(const std::string& code) const {
  const auto found = rooms_.find(code);
  return found == rooms_.end() ? nullptr : &found->second;
}

std::vector<authority::SaveReport> SimServer::reports(const std::string& code) const {
  const auto it = stored_.find(code);
  return it == stored_.end() ? std::vector<authority::SaveReport>{} : it->second.reports;
}

const whiteboard::Board* SimServer::board(const std::string& code) const {
  const auto found = stored_.find(code);
  return found == stored_.end() ? nullptr : &found->second.board;
}

void SimServer::on_open(int conn, const std::string& user_id) { sockets_[conn] = Socket{user_id, {}}; }

void SimServer::on_close(int conn) {
  const auto found = sockets_.find(conn);
  if (found == sockets_.end()) return;
  const std::string code = found->second.room_code;
  sockets_.erase(found);
  if (code.empty()) return;
  apply(code, rooms_.at(code).socket_closed(id_of(conn), clock_.now()));
  sweep_after(authority::Timing{}.resume_grace_ms);
}

void SimServer::sweep_after(std::int64_t delay) {
  clock_.after(delay, [this] {
    for (auto& [code, rules] : rooms_) apply(code, rules.tick(clock_.now()));
  });
}

void SimServer::on_frame(int conn, std::string_view frame) {
  if (!sockets_.count(conn)) return;
  const auto decoded = protocol::decode_client(frame);
  if (!decoded.ok()) {
    ++bad_frames_;
    send_(conn, protocol::error_reply(decoded));
    return;
  }
  on_message(conn, *decoded.message);
}

// What the rules decided, carried out as RoomHub::apply does.
void SimServer::apply(const std::string& code, const authority::Outcome& outcome) {
  for (const authority::Effect& effect : outcome.effects) {
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, authority::Deliver>) {
            for (const authority::ConnId to : e.to) send_(socket_of(to), e.message);
          } else if constexpr (std::is_same_v<T, authority::Welcome>) {
            srv::RoomJoined joined = e.joined;
            joined.resume_token = "rt-" + joined.self.peer_id + "-" + std::to_string(rng_.between(100000, 999999));
            tickets_[joined.resume_token] = Ticket{joined.self.user_id, code, joined.self.peer_id};
            const int conn = socket_of(e.to);
            send_(conn, joined);
            for (const srv::ChatMessage& message : stored_[code].chat) send_(conn, message);
            // The board, tombstones included, in pages of at most kMaxWhiteboardOps elements.
            srv::WhiteboardOps page{"server", {}};
            for (const auto& [element_id, element] : stored_[code].board.elements()) {
              page.ops.push_back(whiteboard::write_element(element));
              if (page.ops.size() == protocol::kMaxWhiteboardOps) send_(conn, std::exchange(page, srv::WhiteboardOps{"server", {}}));
            }
            if (!page.ops.empty()) send_(conn, page);
          } else if constexpr (std::is_same_v<T, authority::Bind>) {
            sockets_[socket_of(e.conn)].room_code = code;
          } else if constexpr (std::is_same_v<T, authority::Unbind>) {
            if (auto s = sockets_.find(socket_of(e.conn)); s != sockets_.end()) s->second.room_code.clear();
          } else if constexpr (std::is_same_v<T, authority::SaveMember>) {
            if (e.kicked) stored_[code].kicked.insert(e.member.user_id);
          } else if constexpr (std::is_same_v<T, authority::SaveReport>) {
            stored_[code].reports.push_back(e);
          } else {
            // Nothing to keep in memory (the simulation sends no invites and uploads no recordings).
            static_assert(std::is_same_v<T, authority::SaveRoom> || std::is_same_v<T, authority::SendInvites> ||
                          std::is_same_v<T, authority::SaveRecording>);
          }
        },
        effect);
  }
}

void SimServer::answer(int conn, const std::string& code, const authority::Outcome& outcome) {
  apply(code, outcome);
  if (outcome.problem) send_(conn, srv::ErrorReply{outcome.problem->code, outcome.problem->message, std::nullopt});
}

void SimServer::join(int conn, const cli::JoinRoom& request) {
  const auto found = rooms_.find(request.room_code);
  if (found == rooms_.end()) return send_(conn, srv::ErrorReply{ErrorCode::room_not_found, "no such room", std::nullopt});
  Socket& socket = sockets_[conn];
  if (!socket.room_code.empty() && socket.room_code != request.room_code) {
    return send_(conn, srv::ErrorReply{ErrorCode::bad_request, "Leave your current room first.", std::nullopt});
  }
  const Stored& stored = stored_[request.room_code];
  char peer[16];
  std::snprintf(peer, sizeof peer, "p%03d", ++next_peer_);
  authority::JoinRequest join;
  join.actor = {socket.user_id, request.display_name.value_or(socket.user_id), std::nullopt, false};
  join.conn = id_of(conn);
  join.fresh_peer_id = peer;
  join.was_kicked = stored.kicked.count(socket.user_id) > 0;
  join.password_given = request.password.has_value();
  if (request.resume_token) {
    const auto ticket = tickets_.find(*request.resume_token);
    if (ticket != tickets_.end() && ticket->second.user_id == socket.user_id && ticket->second.room_code == request.room_code) {
      join.resumed_peer = ticket->second.peer_id;
    }
  }
  authority::Outcome outcome = found->second.join(join, clock_.now());
  if (outcome.needs_password) {
    apply(request.room_code, outcome);  // stale reservations it let go of
    if (request.password != stored.password) {
      return send_(conn, srv::ErrorReply{ErrorCode::wrong_password, "That password is not right.", std::nullopt});
    }
    join.password_checked = true;
    outcome = found->second.join(join, clock_.now());
  }
  answer(conn, request.room_code, outcome);
}

void SimServer::on_message(int conn, const protocol::ClientMessage& message) {
  if (const auto* request = std::get_if<cli::JoinRoom>(&message)) return join(conn, *request);
  if (std::holds_alternative<cli::Ping>(message)) return send_(conn, srv::Pong{});
  const Socket& socket = sockets_[conn];
  if (socket.room_code.empty()) return send_(conn, srv::ErrorReply{ErrorCode::not_in_room, "Join a room first.", std::nullopt});
  const std::string code = socket.room_code;
  authority::RoomAuthority& rules = rooms_.at(code);
  const authority::Actor actor{socket.user_id, socket.user_id, std::nullopt, false};
  const authority::Outcome outcome = rules.message(id_of(conn), actor, message, clock_.now());
  answer(conn, code, outcome);
  if (outcome.problem) return;
  if (const auto* ops = std::get_if<cli::WhiteboardOps>(&message)) return whiteboard_ops(conn, code, *ops);
  const auto* chat = std::get_if<cli::ChatSend>(&message);
  if (!chat) return;
  // Allowed: kept, then told (the real server stores it in SQLite first).
  const authority::Member* self = rules.member_on(id_of(conn));
  srv::ChatMessage out{"m" + std::to_string(++next_chat_), self->user_id, self->display_name, chat->text, clock_.now(),
                       chat->client_msg_id};
  auto& history = stored_[code].chat;
  history.push_back(out);
  if (history.size() > kChatHistory) history.erase(history.begin());
  apply(code, rules.tell_everyone(out));
}

// The board rule decides (as for the real server); what it accepts is kept, then told to the others.
void SimServer::whiteboard_ops(int conn, const std::string& code, const cli::WhiteboardOps& ops) {
  authority::RoomAuthority& rules = rooms_.at(code);
  Stored& stored = stored_[code];
  const authority::Member* self = rules.member_on(id_of(conn));
  const authority::BoardBatch batch{self->user_id, rules.role_of(self->user_id), ops.ops};
  authority::BoardVerdict verdict = board_rules_.check({stored.board, stored.board_bytes}, batch, clock_.now());
  if (verdict.problem) {
    return send_(conn, srv::ErrorReply{verdict.problem->code, verdict.problem->message, std::nullopt, verdict.problem->retry_after_s});
  }
  if (verdict.rows.empty()) return;
  for (const whiteboard::Element& element : verdict.elements) stored.board.apply(element);
  stored.board_bytes = verdict.board_bytes;
  apply(code, rules.tell_everyone(srv::WhiteboardOps{self->peer_id, std::move(verdict.accepted)}, self->user_id));
}

}  // namespace mehfil::sim
