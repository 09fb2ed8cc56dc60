// People outside any one room (room_hub.h): friend requests and the friends list, presence
// (authority/presence.h) told to friends when it changes, and 1:1 calls, carried out as the call
// rules (authority/call_rules.h) say: their rooms made and ended, their history kept.
// Split from room_hub.cpp, which holds the live rooms and carries out the authority's effects.
#include "room_hub.h"

#include <algorithm>
#include <set>

#include <boost/asio/steady_timer.hpp>

#include "protocol/codec.h"
#include "protocol/validation.h"
#include "room_codes.h"
#include "tokens.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;

constexpr int kMaxFriendships = 500;  // friends and requests sent, per user
constexpr int kCallsKeptPerCaller = 200;  // the call history keeps each caller's latest rings
constexpr int kCallsListed = 50;
constexpr int kInvitesListed = 50;
constexpr std::int64_t kInviteLifetimeMs = 7LL * 24 * 3600 * 1000;  // an invite older than a week is stale

}  // namespace

std::optional<std::string> RoomHub::name_in_a_call_with(const std::string& a, const std::string& b) const {
  for (const auto& [code, live] : rooms_) {
    const authority::Member* first = live.rules.member(a);
    const authority::Member* second = live.rules.member(b);
    if (live.rules.facts().is_active && first && first->announced && second && second->announced) return second->display_name;
  }
  return std::nullopt;
}

ApiReply RoomHub::request_friend(const Claims& user, const std::string& target_user_id) {
  if (target_user_id == user.sub) return error({400, ErrorCode::bad_request, "You cannot add yourself as a friend."});
  const auto mine = store_.friendship(user.sub, target_user_id);    // "requested" | "friends"
  const auto theirs = store_.friendship(target_user_id, user.sub);
  if (mine == "friends") return {200, {{"relation", "friends"}}};
  const auto target_name = name_in_a_call_with(user.sub, target_user_id);
  if (!target_name) return error({403, ErrorCode::not_in_room, "You can add people while you are in a call with them."});
  const std::int64_t now = now_ms();
  store_.upsert_user(user.sub, user.name, now);  // a token minted by an embedding site may be its first sight
  if (!store_.user_name(target_user_id)) store_.upsert_user(target_user_id, *target_name, now);
  if (theirs == "requested") {  // they asked first: that is a yes
    store_.make_friends(user.sub, target_user_id, now);
    tell_friends(user, target_user_id);
    return {200, {{"relation", "friends"}}};
  }
  if (mine == "requested") return {200, {{"relation", "outgoing"}}};  // they were told once
  if (store_.friendships_of(user.sub) >= kMaxFriendships) {
    return error({429, ErrorCode::rate_limited, "You have reached " + std::to_string(kMaxFriendships) + " friends and requests."});
  }
  if (const auto wait = friend_requests_.take(user.sub, 1, std::chrono::steady_clock::now())) {
    return error({429, ErrorCode::rate_limited,
                  "You can send " + std::to_string(config_.friend_requests_per_hour) + " friend requests an hour.", wait});
  }
  store_.request_friend(user.sub, target_user_id, now);
  tell_user(target_user_id, srv::FriendUpdate{user.sub, user.name, false});
  return {200, {{"relation", "outgoing"}}};
}

ApiReply RoomHub::accept_friend(const Claims& user, const std::string& from_user_id) {
  if (store_.friendship(from_user_id, user.sub) != "requested" && store_.friendship(user.sub, from_user_id) != "friends") {
    return error({404, ErrorCode::not_found, "There is no friend request from that person."});
  }
  store_.make_friends(user.sub, from_user_id, now_ms());
  tell_friends(user, from_user_id);
  return {200, {{"relation", "friends"}}};
}

// Both of them, on every socket: a call open in another tab updates its cards too.
void RoomHub::tell_friends(const Claims& user, const std::string& other_user_id) {
  tell_user(other_user_id, srv::FriendUpdate{user.sub, user.name, true});
  tell_user(user.sub, srv::FriendUpdate{other_user_id, store_.user_name(other_user_id).value_or("Someone"), true});
}

// Every open socket of this user, in a room or not.
void RoomHub::tell_user(const std::string& user_id, const protocol::ServerMessage& message) {
  const Frame frame = std::make_shared<const std::string>(protocol::encode(message));
  for (const auto& connection : sockets_of(user_id)) connection->send(frame);
}

// Copied out first: a send may drop a slow reader, which erases it from online_ inside the call.
std::vector<std::shared_ptr<Connection>> RoomHub::sockets_of(const std::string& user_id) const {
  std::vector<std::shared_ptr<Connection>> sockets;
  for (auto [it, end] = online_.equal_range(user_id); it != end; ++it) {
    if (auto connection = it->second.lock()) sockets.push_back(std::move(connection));
  }
  return sockets;
}

void RoomHub::rename_user(const std::string& user_id, const std::string& display_name) {
  for (const auto& connection : sockets_of(user_id)) connection->rename(display_name);
}

ApiReply RoomHub::friends(const Claims& user) {
  json list = json::array();
  for (const FriendRecord& f : store_.friends_of(user.sub)) {
    json entry{{"user_id", f.user_id}, {"display_name", f.display_name}, {"relation", f.relation}};
    if (f.relation == "friends") entry["presence"] = std::string(srv::to_string(presence_now(f.user_id)));
    list.push_back(std::move(entry));
  }
  return {200, {{"friends", std::move(list)}}};
}

// The user's calls, newest first, as the home page's history lists them: who, which way, audio or
// video, answered (and for how long) or not, and how it ended.
ApiReply RoomHub::call_history(const Claims& user) {
  json list = json::array();
  for (const auto& [c, other_name] : store_.calls_of(user.sub, kCallsListed)) {
    const bool outgoing = c.caller == user.sub;
    list.push_back({{"call_id", c.call_id},
                    {"direction", outgoing ? "outgoing" : "incoming"},
                    {"user_id", outgoing ? c.callee : c.caller},
                    {"display_name", other_name},
                    {"video", c.video},
                    {"answered", c.answered_at.has_value()},
                    {"duration_ms", c.answered_at ? c.ended_at - *c.answered_at : 0},
                    {"end", c.end},
                    {"at", c.rung_at}});
  }
  return {200, {{"calls", std::move(list)}}};
}

authority::Caller RoomHub::caller(const Connection& connection) const {
  return {connection.user_id(), connection.claims().name, connection.id()};
}

void RoomHub::carry_out(const authority::CallOutcome& outcome, const std::shared_ptr<Connection>& connection,
                        const std::optional<protocol::RequestId>& id) {
  // First: a refused ring (offline) is history too.
  for (const authority::EndedCall& e : outcome.ended) {
    keep("saving the call history", [&] {
      store_.insert_call(e, kCallsKeptPerCaller);
    });
  }
  if (outcome.problem && connection) return reply_problem(connection, {0, outcome.problem->code, outcome.problem->message}, id);
  std::set<std::string> touched;  // whose calls changed: their presence may have too
  if (connection) touched.insert(connection->user_id());
  for (const authority::Deliver& delivery : outcome.deliveries) {
    const Frame frame = std::make_shared<const std::string>(protocol::encode(delivery.message));
    for (const authority::ConnId to : delivery.to) {
      const auto it = sockets_.find(to);
      if (auto target = it == sockets_.end() ? nullptr : it->second.lock()) {
        touched.insert(target->user_id());
        target->send(frame);
      }
    }
  }
  if (id && connection) send(connection, srv::Ack{*id});
  for (const std::string& user_id : touched) refresh_presence(user_id);
  if (outcome.answered) {  // the callee is held back in the call's room no more
    keep("letting an answered call's callee in", [&] {
      if (LiveRoom* live = room(outcome.answered->room_code)) {
        apply(*live, live->rules.call_answered(outcome.answered->in_waiting_tab, now_ms()));
      }
    });
  }
  for (const std::string& room_code : outcome.ended_rooms) {  // a call's room ends with the call
    keep("ending a call's room", [&] {
      if (LiveRoom* live = room(room_code)) apply(*live, live->rules.call_ended(now_ms()));
    });
  }
}

srv::Presence RoomHub::presence_now(const std::string& user_id) const {
  authority::Whereabouts where;
  for (auto [it, end] = online_.equal_range(user_id); it != end; ++it) {
    if (const auto connection = it->second.lock()) {
      ++where.sockets;
      where.in_room = where.in_room || !connection->peer_id.empty();  // in it, not waiting at its door
    }
  }
  where.in_connected_call = calls_.connected_call_of(user_id).has_value();
  return authority::presence_of(where);
}

// Friends hear only a change, on every socket they have open.
void RoomHub::refresh_presence(const std::string& user_id) {
  const srv::Presence now = presence_now(user_id);
  const auto told = presence_told_.find(user_id);
  if ((told == presence_told_.end() ? srv::Presence::offline : told->second) == now) return;
  if (now == srv::Presence::offline) presence_told_.erase(user_id); else presence_told_[user_id] = now;
  keep("telling friends of a presence", [&] {
    for (const FriendRecord& f : store_.friends_of(user_id)) {
      if (f.relation == "friends") tell_user(f.user_id, srv::FriendPresence{user_id, now});
    }
  });
}

// call:ring reaches friends and people in a room with the caller (the shell knows who those are);
// the rest is the call rules'. A ring that goes through gets its room, for the two of them only
// (authority/call_rules.h). A timer wakes the rules when the ring would run out, so "no answer"
// comes on time and not at the next sweep.
void RoomHub::ring(const std::shared_ptr<Connection>& connection, const cli::CallRing& ring,
                   const std::optional<protocol::RequestId>& id) {
  const std::string& from = connection->user_id();
  authority::Callee callee;
  callee.may_ring = ring.to_user_id != from &&
                    (store_.friendship(from, ring.to_user_id) == "friends" || name_in_a_call_with(from, ring.to_user_id));
  for (const auto& target : sockets_of(ring.to_user_id)) callee.sockets.push_back(target->id());
  callee.room_code = new_room_code();
  authority::CallOutcome outcome = calls_.ring(caller(*connection), ring, callee, now_ms());
  if (outcome.started_room) {
    try {
      make_call_room(connection->claims(), ring.to_user_id, *outcome.started_room);
    } catch (const StorageError& failure) {
      calls_.cancel(caller(*connection), cli::CallCancel{ring.call_id}, now_ms());  // nobody was told yet
      return reply_problem(connection, storage_problem(failure, "making a call's room"), id);
    }
  }
  carry_out(outcome, connection, id);
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(authority::kRingMs + 50));
  timer->async_wait([this, timer](const boost::system::error_code& error) {
    if (!error) carry_out(calls_.tick(now_ms()), nullptr, std::nullopt);
  });
}

// A private room of two, hosted by the caller. It lives in the store like any room, so a reload
// mid-call resumes in it, but it is nobody's "room" (store.h leaves it out of room lists and quotas).
void RoomHub::make_call_room(const Claims& caller, const std::string& callee_user_id, const std::string& room_code) {
  const std::int64_t now = now_ms();
  store_.upsert_user(caller.sub, caller.name, now);
  RoomRecord r;
  r.room_code = room_code;
  r.room_name = caller.name + " & " + store_.user_name(callee_user_id).value_or("friend");
  r.host_user_id = caller.sub;
  r.created_at = now;
  r.expires_at = now + std::chrono::duration_cast<std::chrono::milliseconds>(config_.room_idle_lifetime).count();
  r.max_participants = 2;
  r.settings_json = protocol::settings_to_json({}).dump();
  r.call_between = {caller.sub, callee_user_id};
  if (!store_.insert_room(r)) throw StorageError("room code " + room_code + " is taken", false);
  rooms_.erase(room_code);
}

// room:invite: the room's rules decide (room_authority.h: invite), given which of the named people
// are the sender's friends; then the sender's hourly budget is spent, one per friend invited.
void RoomHub::invite(const std::shared_ptr<Connection>& connection, LiveRoom* live, const cli::InviteFriends& invite,
                     const std::optional<protocol::RequestId>& id) {
  if (!live) return reply_error(connection, ErrorCode::not_in_room, "Join a room first.", id);
  if (invite.friends.size() > static_cast<std::size_t>(config_.invites_per_hour)) {
    return reply_error(connection, ErrorCode::bad_request,
                       "You can invite " + std::to_string(config_.invites_per_hour) + " friends an hour.", id);
  }
  authority::InviteFacts facts;
  for (const cli::Invitee& invitee : invite.friends) {
    if (store_.friendship(connection->user_id(), invitee.user_id) == "friends") facts.friends.push_back(invitee.user_id);
    if (was_kicked(*live, invitee.user_id)) facts.kicked.push_back(invitee.user_id);
  }
  const authority::Outcome outcome = live->rules.invite(connection->id(), actor(connection->claims()), invite, facts, now_ms());
  if (!outcome.problem) {
    for (const authority::Effect& effect : outcome.effects) {
      const auto* send = std::get_if<authority::SendInvites>(&effect);
      const double count = send ? static_cast<double>(send->to_user_ids.size()) : 0;
      if (const auto wait = send ? invites_.take(connection->user_id(), count, std::chrono::steady_clock::now()) : std::nullopt) {
        return reply_problem(connection, {429, ErrorCode::rate_limited,
                                          "You can invite " + std::to_string(config_.invites_per_hour) + " friends an hour.", wait},
                             id);
      }
    }
  }
  reply_ws(connection, *live, outcome, id);
}

// Each friend's invite is kept (a fresh one replaces the last to the same room, whose card goes),
// then told to every socket of theirs. A storage failure skips that friend and is logged.
void RoomHub::send_invites(const LiveRoom& live, const authority::SendInvites& invites) {
  for (const std::string& to : invites.to_user_ids) {
    InviteRecord record{"i" + random_token(9), live.record.room_code, invites.from_user_id, invites.from_display_name, to,
                        now_ms(), live.rules.facts().room_name};
    keep("saving an invite", [&] {
      if (const auto replaced = store_.put_invite(record)) tell_user(to, srv::InviteGone{*replaced});
      tell_user(to, srv::InviteReceived{record.invite_id, record.room_code, record.room_name, record.from_user_id,
                                        record.from_display_name, record.sent_at});
    });
  }
}

bool RoomHub::invited(const std::string& room_code, const std::string& user_id) {
  return store_.has_invite(room_code, user_id, now_ms() - kInviteLifetimeMs);
}

// Invites that no longer stand: to a room that closed, or sent by someone the host removed. Their
// cards go from every tab of the invited.
void RoomHub::withdraw_invites(const std::string& room_code, const std::string& from_user_id) {
  keep("withdrawing invites", [&] {
    for (const InviteRecord& gone : store_.withdraw_invites(room_code, from_user_id)) tell_user(gone.to_user_id, srv::InviteGone{gone.invite_id});
  });
}

// They came in: their invites to this room are used, and their cards go from every tab.
void RoomHub::invites_used(const std::string& user_id, const std::string& room_code) {
  keep("clearing used invites", [&] {
    for (const std::string& invite_id : store_.delete_invites(room_code, user_id)) tell_user(user_id, srv::InviteGone{invite_id});
  });
}

// Dismiss: sent on the lobby's socket, which may be in no room.
void RoomHub::dismiss_invite(const std::shared_ptr<Connection>& connection, const cli::DismissInvite& dismiss,
                             const std::optional<protocol::RequestId>& id) {
  if (!store_.delete_invite(dismiss.invite_id, connection->user_id())) {
    return reply_error(connection, ErrorCode::not_found, "There is no such invite.", id);
  }
  tell_user(connection->user_id(), srv::InviteGone{dismiss.invite_id});
  if (id) send(connection, srv::Ack{*id});
}

// The invites waiting for this user (to rooms still open), for Your Rooms.
ApiReply RoomHub::invites(const Claims& user) {
  json list = json::array();
  for (const InviteRecord& i : store_.invites_to(user.sub, now_ms() - kInviteLifetimeMs, kInvitesListed)) {
    list.push_back({{"invite_id", i.invite_id},
                    {"room_code", i.room_code},
                    {"room_name", i.room_name},
                    {"from_user_id", i.from_user_id},
                    {"from_display_name", i.from_display_name},
                    {"sent_at", i.sent_at}});
  }
  return {200, {{"invites", std::move(list)}}};
}

}  // namespace mehfil::server
