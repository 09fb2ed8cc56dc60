// The WebSocket side of rooms (room_hub.h): sockets coming and going, each client message
// dispatched to the room's authority (or to the people and board parts), and a socket's join with
// its password check off the I/O thread.
// Split from room_hub.cpp, which holds the live rooms and carries out the authority's effects.
#include "room_hub.h"

#include <algorithm>

#include "log.h"
#include "protocol/codec.h"
#include "protocol/validation.h"
#include "reports.h"
#include "tokens.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;

}  // namespace

void RoomHub::connected(const std::shared_ptr<Connection>& connection) {
  ++connection_count_;
  online_.emplace(connection->user_id(), connection);
  sockets_.emplace(connection->id(), connection);
  connection->ice_issued_ms = now_ms();
  send(connection, srv::Hello{1, connection->ice_issued_ms, ice_servers_for(config_.ice, connection->user_id(), now_ms() / 1000)});
  carry_out(calls_.socket_opened(caller(*connection)), nullptr, std::nullopt);  // a tab opened while it rings rings too
  refresh_presence(connection->user_id());
}
void RoomHub::disconnected(const std::shared_ptr<Connection>& connection) {
  --connection_count_;
  for (auto [it, end] = online_.equal_range(connection->user_id()); it != end;) {
    const auto held = it->second.lock();
    it = (!held || held == connection) ? online_.erase(it) : std::next(it);
  }
  sockets_.erase(connection->id());
  carry_out(calls_.socket_closed(caller(*connection), now_ms()), nullptr, std::nullopt);
  refresh_presence(connection->user_id());
  // The socket is gone but the member keeps its place for the grace period (room_authority.h).
  if (connection->room_code.empty()) return;
  if (LiveRoom* live = room(connection->room_code)) apply(*live, live->rules.socket_closed(connection->id(), now_ms()));
}
void RoomHub::send(const std::shared_ptr<Connection>& connection, const protocol::ServerMessage& message) {
  connection->send(std::make_shared<const std::string>(protocol::encode(message)));
}

void RoomHub::reply_error(const std::shared_ptr<Connection>& connection, ErrorCode code, std::string message,
                          const std::optional<protocol::RequestId>& id, std::optional<int> retry_after) {
  log::refused(*connection, protocol::to_string(code), message);
  send(connection, srv::ErrorReply{code, std::move(message), id, retry_after});
}

void RoomHub::reply_problem(const std::shared_ptr<Connection>& connection, const Problem& problem,
                            const std::optional<protocol::RequestId>& id) {
  reply_error(connection, problem.code, problem.message, id, problem.retry_after);
}

// Every request from a socket. A storage failure that escaped the request's own handling fails that
// request alone; the connection, its room and every other room carry on.
void RoomHub::handle(const std::shared_ptr<Connection>& connection, const protocol::ClientMessage& message,
                     const std::optional<protocol::RequestId>& id) {
  try {
    dispatch(connection, message, id);
  } catch (const StorageError& error) {
    reply_problem(connection, storage_problem(error, protocol::type_name(message).data()), id);
  }
}

// Every message type has its branch: adding one to protocol::ClientMessage fails to compile here
// until it is handled (the room's own messages go to its rules, which list theirs the same way).
void RoomHub::dispatch(const std::shared_ptr<Connection>& connection, const protocol::ClientMessage& message,
                       const std::optional<protocol::RequestId>& id) {
  const auto ack = [&] {
    if (id) send(connection, srv::Ack{*id});
  };
  // The room this socket is in, if it is in one as the member on this socket.
  LiveRoom* live = connection->room_code.empty() ? nullptr : room(connection->room_code);
  const authority::Member* self = live ? live->rules.member_on(connection->id()) : nullptr;
  // Signals and cursor moves are relayed, not requests: refused with their id, never acked.
  const bool relayed = std::holds_alternative<cli::SignalOffer>(message) || std::holds_alternative<cli::SignalAnswer>(message) ||
                       std::holds_alternative<cli::SignalIce>(message) || std::holds_alternative<cli::WhiteboardCursor>(message) ||
                       std::holds_alternative<cli::CodeCursor>(message);
  const auto room_message = [&] {
    if (!live) return reply_error(connection, ErrorCode::not_in_room, "Join a room first.", id);
    reply_ws(connection, *live, live->rules.message(connection->id(), actor(connection->claims()), message, now_ms()), id,
             !relayed);
  };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, cli::JoinRoom>) {
          ws_join(connection, m, id);
        } else if constexpr (std::is_same_v<T, cli::Ping>) {
          send(connection, srv::Pong{});
        } else if constexpr (std::is_same_v<T, cli::CallRing>) {
          ring(connection, m, id);
        } else if constexpr (std::is_same_v<T, cli::CallAccept>) {
          carry_out(calls_.accept(caller(*connection), m, now_ms()), connection, id);
        } else if constexpr (std::is_same_v<T, cli::CallReject>) {
          carry_out(calls_.reject(caller(*connection), m, now_ms()), connection, id);
        } else if constexpr (std::is_same_v<T, cli::CallCancel>) {
          carry_out(calls_.cancel(caller(*connection), m, now_ms()), connection, id);
        } else if constexpr (std::is_same_v<T, cli::ChatSend>) {
          // The rules say whether this member may chat; then it is stored, and only then told.
          const authority::Outcome allowed = live ? live->rules.message(connection->id(), actor(connection->claims()), message, now_ms())
                                                  : authority::Outcome{authority::Problem{ErrorCode::not_in_room, "Join a room first."}};
          if (allowed.problem) return reply_error(connection, allowed.problem->code, allowed.problem->message, id);
          if (auto problem = take_write_bytes(self->user_id, m.text.size())) return reply_problem(connection, *problem, id);
          ChatRecord chat{"m" + random_token(9), live->record.room_code, self->user_id, self->display_name, m.text, now_ms(), m.client_msg_id, std::nullopt};
          try {
            store_.insert_chat(chat, config_.chat_messages_per_room);
          } catch (const StorageError& error) {
            return reply_problem(connection, storage_problem(error, "saving a chat message"), id);
          }
          live->chat_pages.reset();
          apply(*live, live->rules.tell_everyone(
                           srv::ChatMessage{chat.id, chat.from_user_id, chat.display_name, chat.text, chat.sent_at, chat.client_msg_id, std::nullopt}));
          ack();
        } else if constexpr (std::is_same_v<T, cli::Report>) {
          // The rules say whether it may be made; it is stored before the hosts hear of it, so a
          // report that could not be kept is an error to its sender and nobody is told.
          if (!live) return reply_error(connection, ErrorCode::not_in_room, "Join a room first.", id);
          authority::Outcome outcome = live->rules.message(connection->id(), actor(connection->claims()), message, now_ms());
          if (outcome.problem) return reply_error(connection, outcome.problem->code, outcome.problem->message, id, outcome.problem->retry_after_s);
          for (const authority::Effect& effect : outcome.effects) {
            if (const auto* report = std::get_if<authority::SaveReport>(&effect)) {
              try {
                store_.insert_report(report_record(store_, live->record.room_code, *report, now_ms()));
              } catch (const StorageError& error) {
                return reply_problem(connection, storage_problem(error, "saving a report"), id);
              }
            }
          }
          std::erase_if(outcome.effects, [](const authority::Effect& e) { return std::holds_alternative<authority::SaveReport>(e); });
          reply_ws(connection, *live, outcome, id);
        } else if constexpr (std::is_same_v<T, cli::WhiteboardOps>) {
          if (!live || !self) return reply_error(connection, ErrorCode::not_in_room, "Join a room first.", id);
          whiteboard_ops(connection, *live, m.ops, id);
        } else if constexpr (std::is_same_v<T, cli::CodeUpdate>) {
          if (!live || !self) return reply_error(connection, ErrorCode::not_in_room, "Join a room first.", id);
          code_update(connection, *live, m.update, id);
        } else if constexpr (std::is_same_v<T, cli::LeaveRoom>) {
          // Leaving is idempotent: a room that closed (a 1:1 call's, as it ends) has let go already.
          if (!live) return ack();
          room_message();
        } else if constexpr (std::is_same_v<T, cli::InviteFriends>) {
          invite(connection, live, m, id);
        } else if constexpr (std::is_same_v<T, cli::DismissInvite>) {
          dismiss_invite(connection, m, id);
        } else if constexpr (std::is_same_v<T, cli::GrowRoom>) {
          // "Add people": the room's rules open it up; then the call that met in it is over as a call.
          room_message();
          if (live && live->rules.facts().call_between.empty()) {
            carry_out(calls_.room_grew(live->rules.facts().room_code, now_ms()), nullptr, std::nullopt);
          }
        } else {
          room_message();
        }
      },
      message);
}
void RoomHub::end_sessions(const std::string& user_id, const std::vector<std::string>& session_ids) {
  for (const auto& connection : sockets_of(user_id)) {
    const auto& sid = connection->claims().sid;
    if (!sid || std::find(session_ids.begin(), session_ids.end(), *sid) == session_ids.end()) continue;
    reply_error(connection, ErrorCode::session_revoked, "You were logged out of this session: sign in again.", std::nullopt);
    connection->end("session_revoked");
  }
}

void RoomHub::ws_join(const std::shared_ptr<Connection>& connection, const cli::JoinRoom& join,
                      const std::optional<protocol::RequestId>& id) {
  LiveRoom* live = room(join.room_code);
  if (!live) return reply_error(connection, ErrorCode::room_not_found, "The room \"" + join.room_code + "\" doesn't exist or has expired.", id);
  if (!connection->room_code.empty() && connection->room_code != join.room_code) {
    return reply_error(connection, ErrorCode::bad_request, "Leave your current room first.", id);
  }
  // A resume token proves this user was admitted as this peer: no password again, lock or not.
  authority::JoinRequest request{actor(connection->claims()), connection->id(), "p" + random_token(9), std::nullopt,
                                 was_kicked(*live, connection->user_id()), join.password.has_value(), false,
                                 invited(join.room_code, connection->user_id())};
  if (join.resume_token) {
    const auto claims = verify_token(*join.resume_token, secret_, now_ms() / 1000);
    if (claims && claims->sub == connection->user_id() && claims->room == join.room_code) request.resumed_peer = claims->peer;
  }
  const authority::Outcome outcome = live->rules.join(request, now_ms());
  if (!outcome.needs_password) return reply_ws(connection, *live, outcome, id);
  apply(*live, outcome);  // stale reservations it let go of
  if (auto problem = take_password_attempt(join.room_code, connection->address())) return reply_problem(connection, *problem, id);
  std::weak_ptr<Connection> weak = connection;
  check_password(*live->record.password_hash, *join.password, join.room_code + "|" + connection->address(),
                 [this, weak, room_code = join.room_code, request, id](bool ok) mutable {
                   auto still_open = weak.lock();
                   if (!still_open || !still_open->is_open()) return;
                   if (!ok) return reply_error(still_open, ErrorCode::wrong_password, "That password is not right.", id);
                   try {
                     LiveRoom* now_live = room(room_code);  // every rule again: the room may have filled meanwhile
                     request.password_checked = true;
                     request.was_kicked = was_kicked(*now_live, request.actor.user_id);
                     reply_ws(still_open, *now_live, now_live->rules.join(request, now_ms()), id);
                   } catch (const StorageError& failure) {
                     reply_problem(still_open, storage_problem(failure, "joining a room"), id);
                   }
                 });
}

}  // namespace mehfil::server
