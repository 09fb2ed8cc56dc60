// The simulation relay's room rules (relay.h).
#include "relay.h"

#include <algorithm>
#include <cstdio>

#include "authority/permissions.h"
#include "protocol/codec.h"

namespace mehfil::sim {

namespace server = protocol::server;
namespace client = protocol::client;

Relay::Relay(Clock& clock, Rng& rng, Send send) : clock_(clock), rng_(rng), send_(std::move(send)) {}

void Relay::create_room(const std::string& code, std::optional<std::string> password, int max) {
  Room room;
  room.code = code;
  room.password = std::move(password);
  room.max_participants = max;
  rooms_[code] = std::move(room);
}

const Relay::Room* Relay::room(const std::string& code) const {
  const auto found = rooms_.find(code);
  return found == rooms_.end() ? nullptr : &found->second;
}

protocol::Participant Relay::participant(const Room& room, const Member& member) const {
  protocol::Participant p;
  p.user_id = member.user_id;
  p.peer_id = member.peer_id;
  p.display_name = member.display_name;
  p.is_host = member.user_id == room.host_user_id;
  p.is_cohost = member.is_cohost;
  return p;
}

void Relay::on_open(int conn, const std::string& user_id) { connections_[conn] = Connection{user_id, {}, {}, true}; }

void Relay::on_close(int conn) {
  auto found = connections_.find(conn);
  if (found == connections_.end()) return;
  found->second.open = false;
  Room* room = nullptr;
  Member* member = member_of(conn, &room);
  connections_.erase(found);
  if (!member) return;
  member->conn = -1;
  member->disconnected_at = clock_.now();
  const std::string code = room->code, peer = member->peer_id;
  const std::int64_t since = member->disconnected_at;
  clock_.after(kGraceMs, [this, code, peer, since] {
    auto r = rooms_.find(code);
    if (r == rooms_.end()) return;
    for (const Member& m : r->second.members) {
      if (m.peer_id == peer && m.conn == -1 && m.disconnected_at == since) return remove_member(r->second, peer);
    }
  });
}

Relay::Member* Relay::member_of(int conn, Room** room_out) {
  const auto c = connections_.find(conn);
  if (c == connections_.end() || c->second.peer_id.empty()) return nullptr;
  auto r = rooms_.find(c->second.room_code);
  if (r == rooms_.end()) return nullptr;
  for (Member& m : r->second.members) {
    if (m.peer_id == c->second.peer_id && m.conn == conn) {
      if (room_out) *room_out = &r->second;
      return &m;
    }
  }
  return nullptr;
}

void Relay::error(int conn, protocol::ErrorCode code, std::string message) {
  send_(conn, server::ErrorReply{code, std::move(message), std::nullopt});
}

void Relay::broadcast(const Room& room, const protocol::ServerMessage& message, const std::string& except_peer) {
  for (const Member& m : room.members) {
    if (m.conn >= 0 && m.peer_id != except_peer) send_(m.conn, message);
  }
}

void Relay::send_snapshot(int conn, const Room& room, const Member& member) {
  server::RoomJoined joined;
  joined.self = {member.user_id, member.peer_id, member.display_name, member.user_id == room.host_user_id};
  joined.room.room_code = room.code;
  joined.room.host_user_id = room.host_user_id;
  joined.room.max_participants = room.max_participants;
  joined.room.is_locked = room.locked;
  joined.room.settings = room.settings;
  for (const Member& m : room.members) {
    if (m.peer_id != member.peer_id) joined.participants.push_back(participant(room, m));
  }
  joined.resume_token = member.resume_token;
  send_(conn, joined);
  for (const server::ChatMessage& message : room.chat) send_(conn, message);
}

void Relay::remove_member(Room& room, const std::string& peer_id) {
  const auto found = std::find_if(room.members.begin(), room.members.end(),
                                  [&](const Member& m) { return m.peer_id == peer_id; });
  if (found == room.members.end()) return;
  const Member gone = *found;
  room.members.erase(found);
  if (gone.conn >= 0) {
    auto c = connections_.find(gone.conn);
    if (c != connections_.end()) c->second.peer_id.clear();
  }
  broadcast(room, server::ParticipantLeft{room.code, gone.user_id, gone.peer_id, static_cast<int>(room.members.size())});
  const bool host_still_here = std::any_of(room.members.begin(), room.members.end(),
                                           [&](const Member& m) { return m.user_id == room.host_user_id; });
  if (!host_still_here && !room.host_user_id.empty()) {
    const std::string previous = room.host_user_id;
    const auto cohost = std::find_if(room.members.begin(), room.members.end(), [](const Member& m) { return m.is_cohost; });
    if (cohost != room.members.end()) {
      room.host_user_id = cohost->user_id;
    } else if (!room.members.empty()) {
      room.host_user_id = room.members.front().user_id;  // the longest present
    } else {
      room.host_user_id.clear();
    }
    if (!room.host_user_id.empty()) broadcast(room, server::HostChanged{room.code, room.host_user_id, previous});
  }
}

void Relay::join(int conn, const client::JoinRoom& request) {
  auto r = rooms_.find(request.room_code);
  if (r == rooms_.end() || r->second.closed) return error(conn, protocol::ErrorCode::room_not_found, "no such room");
  Room& room = r->second;
  Connection& connection = connections_[conn];

  if (request.resume_token) {
    for (Member& m : room.members) {
      if (m.resume_token != *request.resume_token) continue;
      if (m.conn >= 0 && m.conn != conn) {
        auto old = connections_.find(m.conn);
        if (old != connections_.end()) old->second.peer_id.clear();
      }
      m.conn = conn;
      connection.room_code = room.code;
      connection.peer_id = m.peer_id;
      return send_snapshot(conn, room, m);
    }
  }
  if (!connection.peer_id.empty()) return error(conn, protocol::ErrorCode::bad_request, "already in a room");

  std::vector<std::string> stale;
  for (const Member& m : room.members) {
    if (m.user_id == connection.user_id && m.conn < 0) stale.push_back(m.peer_id);
  }
  for (const auto& peer : stale) remove_member(room, peer);

  if (room.locked) return error(conn, protocol::ErrorCode::room_locked, "the room is locked");
  if (static_cast<int>(room.members.size()) >= room.max_participants) {
    return error(conn, protocol::ErrorCode::room_full, "the room is full");
  }
  if (room.password && request.password != room.password) {
    return error(conn, protocol::ErrorCode::wrong_password, "wrong password");
  }
  Member member;
  member.user_id = connection.user_id;
  char peer[16];
  std::snprintf(peer, sizeof peer, "p%03d", ++next_peer_);
  member.peer_id = peer;
  member.display_name = request.display_name.value_or(connection.user_id);
  member.resume_token = "rt-" + member.peer_id + "-" + std::to_string(rng_.between(100000, 999999));
  member.conn = conn;
  if (room.host_user_id.empty()) room.host_user_id = member.user_id;
  room.members.push_back(member);
  connection.room_code = room.code;
  connection.peer_id = member.peer_id;
  broadcast(room, server::ParticipantJoined{room.code, participant(room, member), static_cast<int>(room.members.size())},
            member.peer_id);
  send_snapshot(conn, room, member);
}

void Relay::on_frame(int conn, std::string_view frame) {
  if (!connections_.count(conn)) return;
  const auto decoded = protocol::decode_client(frame);
  if (!decoded.ok()) {
    ++bad_frames_;
    send_(conn, protocol::error_reply(decoded));
    return;
  }
  on_message(conn, *decoded.message);
}

void Relay::on_message(int conn, const protocol::ClientMessage& message) {
  if (const auto* join_request = std::get_if<client::JoinRoom>(&message)) return join(conn, *join_request);
  if (std::holds_alternative<client::Ping>(message)) return send_(conn, server::Pong{});
  Room* room = nullptr;
  Member* self = member_of(conn, &room);
  if (!self) return error(conn, protocol::ErrorCode::not_in_room, "join a room first");
  const authority::Role role_of_self{self->user_id == room->host_user_id, self->is_cohost};
  auto target_of = [&](const std::string& user_id) -> Member* {
    for (Member& m : room->members) {
      if (m.user_id == user_id) return &m;
    }
    return nullptr;
  };
  // True when refused (and the refusal sent): first the power itself, then on whom it is used.
  auto refused = [&](authority::Power power, const Member* target) {
    std::optional<authority::Refusal> refusal = authority::check_power(role_of_self, power);
    if (!refusal && target) {
      refusal = authority::check_power(role_of_self, power, authority::Role{target->user_id == room->host_user_id, target->is_cohost},
                                       target->user_id == self->user_id);
    }
    if (refusal) error(conn, refusal->code, std::string(refusal->message));
    return refusal.has_value();
  };
  auto forward = [&](const std::string& to, auto relayed) {
    for (const Member& m : room->members) {
      if (m.peer_id == to && m.conn >= 0) return send_(m.conn, relayed);
    }
  };

  if (std::holds_alternative<client::LeaveRoom>(message)) {
    remove_member(*room, self->peer_id);
  } else if (const auto* offer = std::get_if<client::SignalOffer>(&message)) {
    forward(offer->to, server::SignalOffer{self->peer_id, offer->sdp, offer->offer_id});
  } else if (const auto* answer = std::get_if<client::SignalAnswer>(&message)) {
    forward(answer->to, server::SignalAnswer{self->peer_id, answer->sdp, answer->offer_id});
  } else if (const auto* ice = std::get_if<client::SignalIce>(&message)) {
    forward(ice->to, server::SignalIce{self->peer_id, ice->candidate});
  } else if (const auto* kick = std::get_if<client::HostKick>(&message)) {
    Member* target = target_of(kick->target_user_id);
    if (refused(authority::Power::kick, nullptr)) return;
    if (!target) return error(conn, protocol::ErrorCode::not_in_room, "no such participant");
    if (refused(authority::Power::kick, target)) return;
    const std::string peer = target->peer_id;
    broadcast(*room, server::HostAction{server::HostActionKind::kick, kick->target_user_id, self->user_id});
    remove_member(*room, peer);
  } else if (const auto* mute = std::get_if<client::HostMute>(&message)) {
    Member* target = target_of(mute->target_user_id);
    if (refused(authority::Power::mute, nullptr)) return;
    if (!target) return error(conn, protocol::ErrorCode::not_in_room, "no such participant");
    if (refused(authority::Power::mute, target)) return;
    broadcast(*room, server::HostAction{server::HostActionKind::mute, mute->target_user_id, self->user_id});
  } else if (const auto* cohost = std::get_if<client::MakeCohost>(&message)) {
    Member* target = target_of(cohost->target_user_id);
    if (refused(authority::Power::make_cohost, nullptr)) return;
    if (!target) return error(conn, protocol::ErrorCode::not_in_room, "no such participant");
    if (refused(authority::Power::make_cohost, target)) return;
    target->is_cohost = true;
    broadcast(*room, server::ParticipantUpdated{room->code, participant(*room, *target)});
  } else if (const auto* transfer = std::get_if<client::HostTransfer>(&message)) {
    Member* target = target_of(transfer->target_user_id);
    if (refused(authority::Power::transfer_host, nullptr)) return;
    if (!target) return error(conn, protocol::ErrorCode::not_in_room, "no such participant");
    if (refused(authority::Power::transfer_host, target)) return;
    const std::string previous = room->host_user_id;
    room->host_user_id = target->user_id;
    broadcast(*room, server::HostChanged{room->code, room->host_user_id, previous});
  } else if (const auto* lock = std::get_if<client::LockRoom>(&message)) {
    if (refused(authority::Power::lock, nullptr)) return;
    room->locked = lock->locked;
    broadcast(*room, server::SettingsChanged{room->code, room->locked, room->settings});
  } else if (std::holds_alternative<client::EndRoom>(message)) {
    if (refused(authority::Power::end_room, nullptr)) return;
    broadcast(*room, server::RoomClosed{room->code, "ended_by_host"});
    for (const Member& m : room->members) {
      auto c = connections_.find(m.conn);
      if (c != connections_.end()) c->second.peer_id.clear();
    }
    room->members.clear();
    room->closed = true;
  } else if (const auto* chat = std::get_if<client::ChatSend>(&message)) {
    server::ChatMessage out;
    out.id = "m" + std::to_string(++next_chat_);
    out.from_user_id = self->user_id;
    out.display_name = self->display_name;
    out.text = chat->text;
    out.sent_at = clock_.now();
    out.client_msg_id = chat->client_msg_id;
    room->chat.push_back(out);
    if (room->chat.size() > kChatHistory) room->chat.erase(room->chat.begin());
    broadcast(*room, out);
  }
}

}  // namespace mehfil::sim
