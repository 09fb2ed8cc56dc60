// RoomClient's transitions (the table is in room_client.h).
#include "room/room_client.h"

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <utility>

#include "protocol/validation.h"
#include "room/bitrate.h"
#include "room/reconnect_backoff.h"

namespace mehfil::room {

namespace server = protocol::server;
namespace client = protocol::client;

std::string_view to_string(RoomState state) {
  switch (state) {
    case RoomState::idle: return "idle";
    case RoomState::previewing: return "previewing";
    case RoomState::joining: return "joining";
    case RoomState::password_needed: return "password_needed";
    case RoomState::knocking: return "knocking";
    case RoomState::waiting: return "waiting";
    case RoomState::in_room: return "in_room";
    case RoomState::reconnecting: return "reconnecting";
    case RoomState::left: return "left";
    case RoomState::kicked: return "kicked";
    case RoomState::closed: return "closed";
    case RoomState::failed: return "failed";
  }
  return "?";
}

std::string_view to_string(Toast toast) {
  switch (toast) {
    case Toast::you_are_host: return "you_are_host";
    case Toast::host_muted_you: return "host_muted_you";
    case Toast::participant_removed: return "participant_removed";
    case Toast::reconnecting: return "reconnecting";
    case Toast::reconnected: return "reconnected";
    case Toast::refused: return "refused";
    case Toast::friend_request: return "friend_request";
    case Toast::now_friends: return "now_friends";
    case Toast::invites_sent: return "invites_sent";
    case Toast::report_sent: return "report_sent";
    case Toast::recording: return "recording";
    case Toast::room_ending: return "room_ending";
  }
  return "?";
}

const PeerLink* RoomClient::link(const std::string& peer_id) const {
  const auto found = links_.find(peer_id);
  return found == links_.end() ? nullptr : &found->second;
}

bool RoomClient::in_room_like() const {
  return state_ == RoomState::in_room || state_ == RoomState::waiting || state_ == RoomState::reconnecting;
}

void RoomClient::reject(std::string reason, Out& out) {
  std::string text = std::move(reason);
  text += " (room state ";
  text += to_string(state_);
  text += ')';
  out.push_back(Rejected{std::move(text)});
}

void RoomClient::send(protocol::ClientMessage message, Out& out) {
  if (socket_open_) out.push_back(SendMessage{std::move(message)});
}

// A link's commands, with its signals turned into socket messages. While the socket is down they
// are dropped: resync() after the rejoin makes up for anything lost.
void RoomClient::append(std::vector<PeerCommand> commands, Out& out) {
  for (auto& command : commands) {
    if (auto* signal = std::get_if<SendSignal>(&command)) {
      if (state_ == RoomState::in_room) send(std::move(signal->message), out);
      continue;
    }
    std::visit(
        [&](auto&& c) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(c)>, SendSignal>) out.push_back(std::move(c));
        },
        std::move(command));
  }
}

void RoomClient::open_link(const std::string& peer_id, bool newcomer, Out& out) {
  if (peer_id == self_.peer_id || links_.count(peer_id)) return;
  auto [it, inserted] = links_.emplace(peer_id, PeerLink(self_.peer_id, peer_id, newcomer));
  append(it->second.open(send_cap(static_cast<int>(participants_.size()) + 1), ice_servers_, relay_only_), out);
}

void RoomClient::close_link(const std::string& peer_id, Out& out) {
  const auto found = links_.find(peer_id);
  if (found == links_.end()) return;
  held_.erase(peer_id);
  append(found->second.close(), out);
  links_.erase(found);
}

void RoomClient::close_all_links(Out& out) {
  for (auto& [peer_id, link] : links_) append(link.close(), out);
  links_.clear();
  held_.clear();
}

std::vector<protocol::Participant> RoomClient::participants() const {
  std::vector<protocol::Participant> here;
  std::copy_if(participants_.begin(), participants_.end(), std::back_inserter(here), [](const auto& p) { return !p.ringing; });
  return here;
}

void RoomClient::apply_participants(Out& out) {
  hold_media(out);
  // Someone whose phone still rings is not here yet: no tile, no "joined", until they answer.
  const std::vector<protocol::Participant> here = participants();
  ApplyParticipants apply{here, {}, {}, {}};
  if (first_list_) {
    first_list_ = false;  // the room as we found it: nobody "joined"
    for (const auto& p : participants_) before_us_.insert(p.peer_id);
  } else {
    const auto find = [](const std::vector<protocol::Participant>& list, const std::string& peer_id) {
      return std::find_if(list.begin(), list.end(), [&](const protocol::Participant& p) { return p.peer_id == peer_id; });
    };
    for (const auto& p : here) {
      const auto before = find(announced_, p.peer_id);
      if (before == announced_.end()) {
        apply.joined.push_back(p);
      } else if (!(*before == p)) {
        apply.updated.push_back(p);
      }
    }
    for (const auto& p : announced_) {
      if (find(here, p.peer_id) == here.end()) apply.left.push_back(p);
    }
  }
  announced_ = here;
  out.push_back(std::move(apply));
  const SendCap cap = send_cap(static_cast<int>(participants_.size()) + 1);
  for (auto& [peer_id, link] : links_) append(link.set_send_cap(cap), out);
}

// Toasted once per change: a rejoin finding the same recording again is no news, nor is a room
// found with nothing recorded after one stopped; one that stopped while we were away is.
void RoomClient::take_recording(const server::RecordingState& recording, Out& out) {
  const bool news = recording.state != toasted_recording_.state ||
                    (!recording.recording_id.empty() && recording.recording_id != toasted_recording_.recording_id);
  recording_ = recording;
  if (news) out.push_back(ShowToast{Toast::recording, recording.state});
  toasted_recording_ = recording;
}

void RoomClient::hold_media(Out& out) {
  for (const auto& p : participants_) {
    if (!links_.count(p.peer_id) || p.ringing == (held_.count(p.peer_id) > 0)) continue;
    if (p.ringing) held_.insert(p.peer_id); else held_.erase(p.peer_id);
    out.push_back(HoldMedia{p.peer_id, p.ringing});
  }
}

// The door is the host's and co-hosts' business: someone who is neither (any more) shows no queue.
void RoomClient::forget_knocks_unless_managing(Out& out) {
  if (knocking_.empty() || self_.is_host || self_is_cohost_) return;
  knocking_.clear();
  out.push_back(ApplyKnocks{});
}

void RoomClient::end(RoomState state, std::optional<ShowScreen> screen, Out& out) {
  close_all_links(out);
  participants_.clear();
  knocking_.clear();
  if (socket_open_ || socket_opening_) out.push_back(CloseSocket{});
  socket_open_ = socket_opening_ = false;
  reconnect_at_.reset();
  state_ = state;
  if (screen) out.push_back(ShowScreen{*screen});
}

void RoomClient::schedule_reconnect(double jitter, std::int64_t now_ms, Out& out) {
  if (state_ == RoomState::reconnecting && attempt_ >= kReconnectAttempts) {
    end(RoomState::failed, ShowScreen{Screen::connection_lost, {}}, out);
    gave_up_ = true;  // the resume token is kept: Reconnect may still find our place
    return;
  }
  const std::int64_t at = now_ms + reconnect_delay_ms(attempt_, jitter);
  ++attempt_;
  if (at <= now_ms) {
    socket_opening_ = true;
    out.push_back(OpenSocket{});
    return;
  }
  reconnect_at_ = at;
  out.push_back(ScheduleTimer{"room:reconnect", at});
}

void RoomClient::on_join(const Join& join, Out& out) {
  const bool may_join = state_ == RoomState::idle || state_ == RoomState::previewing || state_ == RoomState::left ||
                        state_ == RoomState::kicked || state_ == RoomState::closed || state_ == RoomState::failed;
  if (!may_join) return reject("join while already joining or in a room", out);
  room_code_ = join.room_code;
  display_name_ = join.display_name;
  password_ = join.password;
  own_ice_servers_ = join.ice_servers.has_value();
  if (join.ice_servers) ice_servers_ = *join.ice_servers;
  relay_only_ = join.relay_only;
  resume_token_.reset();
  self_ = {};
  room_ = {};
  self_is_cohost_ = false;
  participants_.clear();
  announced_.clear();
  first_list_ = true;
  before_us_.clear();
  own_media_ = {};
  chat_seen_.clear();
  attempt_ = 0;
  reconnect_at_.reset();
  gave_up_ = false;
  state_ = RoomState::joining;
  if (socket_open_) {
    on_socket_opened(out);
  } else {
    socket_opening_ = true;
    out.push_back(OpenSocket{});
  }
}

void RoomClient::on_socket_opened(Out& out) {
  socket_open_ = true;
  socket_opening_ = false;
  if (state_ == RoomState::joining || state_ == RoomState::reconnecting) {
    client::JoinRoom join;
    join.room_code = room_code_;
    join.password = password_;
    join.display_name = display_name_.empty() ? std::nullopt : std::optional<std::string>(display_name_);
    if (state_ == RoomState::reconnecting) join.resume_token = resume_token_;
    send(std::move(join), out);
  } else if (state_ != RoomState::password_needed) {
    out.push_back(CloseSocket{});  // nobody wants it any more (left while it was opening)
    socket_open_ = false;
  }
}

void RoomClient::on_socket_closed(const SocketClosed& closed, std::int64_t now_ms, Out& out) {
  socket_open_ = socket_opening_ = false;
  if (state_ == RoomState::in_room || state_ == RoomState::waiting) {
    state_ = RoomState::reconnecting;
    out.push_back(ShowToast{Toast::reconnecting, {}});
    schedule_reconnect(closed.jitter, now_ms, out);
  } else if (state_ == RoomState::joining || state_ == RoomState::reconnecting || state_ == RoomState::knocking) {
    if (state_ == RoomState::knocking) state_ = RoomState::joining;  // the door forgets a closed socket: knock again
    schedule_reconnect(closed.jitter, now_ms, out);
  }
}

void RoomClient::enter_room(std::int64_t now_ms, Out& out) {
  state_ = RoomState::in_room;
  std::set<std::string> present;
  for (const auto& p : participants_) present.insert(p.peer_id);
  std::vector<std::string> gone;
  for (const auto& [peer_id, link] : links_) {
    if (!present.count(peer_id)) gone.push_back(peer_id);
  }
  for (const auto& peer_id : gone) close_link(peer_id, out);
  for (const auto& p : participants_) {
    const auto found = links_.find(p.peer_id);
    if (found == links_.end()) {
      open_link(p.peer_id, /*newcomer=*/false, out);
    } else {
      append(found->second.resync(now_ms), out);
    }
  }
}

void RoomClient::on_joined(const server::RoomJoined& joined, std::int64_t now_ms, Out& out) {
  if (state_ != RoomState::joining && state_ != RoomState::reconnecting && state_ != RoomState::in_room &&
      state_ != RoomState::waiting && state_ != RoomState::knocking) {
    return;  // a late answer to a join we gave up on
  }
  host_away_ = false;  // a fresh picture of the room: the server says room:host-away again if so
  const bool was_reconnecting = state_ == RoomState::reconnecting;
  if (joined.self.peer_id != self_.peer_id) {
    close_all_links(out);  // a new identity: every link belongs to the old one
    self_is_cohost_ = false;
  }
  self_ = joined.self;
  room_ = joined.room;
  // The queue comes again after room:joined if anyone still waits (a rejoin, a new host).
  if (!knocking_.empty()) {
    knocking_.clear();
    out.push_back(ApplyKnocks{});
  }
  // The recording as it is now: one that stopped while we were away is gone, one that runs goes on
  // (its recorder records through the reconnect).
  take_recording(joined.recording.value_or(server::RecordingState{room_.room_code, {}, "off", {}, 0}), out);
  resume_token_ = joined.resume_token;
  attempt_ = 0;
  reconnect_at_.reset();
  participants_.clear();
  for (const auto& p : joined.participants) {
    if (p.peer_id == self_.peer_id) {
      self_is_cohost_ = p.is_cohost;
      continue;
    }
    participants_.push_back(p);
  }
  if (room_.host_user_id.empty()) {
    close_all_links(out);
    state_ = RoomState::waiting;
  } else {
    enter_room(now_ms, out);
  }
  apply_participants(out);
  if (was_reconnecting) out.push_back(ShowToast{Toast::reconnected, {}});
}

void RoomClient::on_error(const server::ErrorReply& error, Out& out) {
  if (state_ == RoomState::joining || state_ == RoomState::reconnecting || state_ == RoomState::knocking) {
    const auto screen = screen_for_join_error(error.code);
    if (error.code == protocol::ErrorCode::wrong_password) {
      close_all_links(out);
      participants_.clear();
      state_ = RoomState::password_needed;
      out.push_back(ShowScreen{Screen::password, {std::string(protocol::to_string(error.code)), error.message, {}, {}}});
    } else if (screen) {
      end(RoomState::failed, ShowScreen{*screen, {std::string(protocol::to_string(error.code)), error.message, {}, {}}}, out);
    } else if (error.code == protocol::ErrorCode::rate_limited) {
      out.push_back(ShowToast{Toast::refused, error.message});  // the backoff will try again
    } else {
      out.push_back(ShowToast{Toast::refused, error.message});
      out.push_back(ReportError{error.code, error.message});
      end(RoomState::failed, std::nullopt, out);
    }
    return;
  }
  if (in_room_like()) {
    out.push_back(ShowToast{Toast::refused, error.message});
    out.push_back(ReportError{error.code, error.message});
    // The account's session was logged out and the server is closing the socket: a reconnect could
    // only be refused, so the call ends here and the page asks the person to sign in again.
    if (error.code == protocol::ErrorCode::session_revoked) end(RoomState::failed, std::nullopt, out);
  }
}

void RoomClient::on_server(const protocol::ServerMessage& message, std::int64_t now_ms, Out& out) {
  if (const auto* hello = std::get_if<server::Hello>(&message)) {
    if (!own_ice_servers_) ice_servers_ = hello->ice_servers;  // every socket's hello: TURN credentials renewed with each
    return;
  }
  if (const auto* fresh = std::get_if<server::IceServers>(&message)) {
    if (own_ice_servers_) return;  // the embedder's servers are the embedder's to renew
    ice_servers_ = fresh->ice_servers;
    for (auto& [peer_id, link] : links_) append(link.set_ice_servers(ice_servers_), out);
    return;
  }
  if (const auto* joined = std::get_if<server::RoomJoined>(&message)) return on_joined(*joined, now_ms, out);
  if (const auto* error = std::get_if<server::ErrorReply>(&message)) return on_error(*error, out);
  if (const auto* door = std::get_if<server::Waiting>(&message)) {
    if (state_ != RoomState::joining) return;
    state_ = RoomState::knocking;
    return out.push_back(ShowScreen{Screen::waiting_room, {{}, {}, {}, door->room_name}});
  }
  if (const auto* closed = std::get_if<server::RoomClosed>(&message); closed && state_ == RoomState::knocking) {
    return end(RoomState::closed, ShowScreen{screen_for_room_closed(closed->reason), {{}, {}, {}, closed->reason}}, out);
  }
  if (!in_room_like()) return;  // late messages for a room we are no longer in (or not yet in: knocking)

  auto to_link = [&](const std::string& from, PeerEvent event) {
    if (state_ != RoomState::in_room) return;
    const auto found = links_.find(from);
    if (found != links_.end()) append(found->second.handle(event, now_ms), out);
  };

  if (const auto* offer = std::get_if<server::SignalOffer>(&message)) {
    to_link(offer->from, RemoteOffer{offer->sdp, offer->offer_id});
  } else if (const auto* answer = std::get_if<server::SignalAnswer>(&message)) {
    to_link(answer->from, RemoteAnswer{answer->sdp, answer->offer_id});
  } else if (const auto* ice = std::get_if<server::SignalIce>(&message)) {
    to_link(ice->from, RemoteIce{ice->candidate});
  } else if (const auto* joined_peer = std::get_if<server::ParticipantJoined>(&message)) {
    const auto& user = joined_peer->user;
    if (user.peer_id == self_.peer_id) return;
    const auto found = std::find_if(participants_.begin(), participants_.end(),
                                    [&](const protocol::Participant& p) { return p.peer_id == user.peer_id; });
    if (found != participants_.end()) {
      *found = user;
    } else {
      participants_.push_back(user);
    }
    if (state_ == RoomState::in_room) open_link(user.peer_id, /*newcomer=*/true, out);
    apply_participants(out);
  } else if (const auto* left = std::get_if<server::ParticipantLeft>(&message)) {
    std::erase_if(participants_, [&](const protocol::Participant& p) { return p.peer_id == left->peer_id; });
    close_link(left->peer_id, out);
    apply_participants(out);
  } else if (const auto* updated = std::get_if<server::ParticipantUpdated>(&message)) {
    if (updated->user.peer_id == self_.peer_id) {
      self_is_cohost_ = updated->user.is_cohost;
      self_.is_host = updated->user.is_host;
      self_.hand_raised_at = updated->user.hand_raised_at;
      return forget_knocks_unless_managing(out);
    }
    for (auto& p : participants_) {
      if (p.peer_id == updated->user.peer_id) p = updated->user;
    }
    apply_participants(out);
  } else if (const auto* knock = std::get_if<server::Knock>(&message)) {
    ApplyKnocks apply{knock->waiting, {}};
    for (const auto& k : knock->waiting) {
      const bool known = std::any_of(knocking_.begin(), knocking_.end(), [&](const auto& was) { return was.user_id == k.user_id; });
      if (!known) apply.arrived.push_back(k);
    }
    knocking_ = knock->waiting;
    out.push_back(std::move(apply));
  } else if (const auto* reaction = std::get_if<server::Reaction>(&message)) {
    out.push_back(ShowReaction{reaction->from_user_id, reaction->peer_id, reaction->emoji});
  } else if (const auto* reported = std::get_if<server::Reported>(&message)) {
    out.push_back(ShowReported{reported->target_user_id, reported->target_name, reported->reason});
  } else if (const auto* taken = std::get_if<server::ReportTaken>(&message)) {
    out.push_back(ShowToast{Toast::report_sent, taken->target_user_id});
  } else if (const auto* action = std::get_if<server::HostAction>(&message)) {
    if (action->target_user_id == self_.user_id) {
      if (action->action == protocol::server::HostActionKind::kick) {
        return end(RoomState::kicked, ShowScreen{Screen::kicked, {std::string(protocol::to_string(protocol::ErrorCode::kicked)), {}, action->by, {}}}, out);
      }
      out.push_back(MuteMicrophone{});
      out.push_back(ShowToast{Toast::host_muted_you, action->by});
    } else if (action->action == protocol::server::HostActionKind::kick) {
      out.push_back(ShowToast{Toast::participant_removed, action->target_user_id});
    }
  } else if (const auto* update = std::get_if<server::FriendUpdate>(&message)) {
    out.push_back(FriendChanged{update->user_id, update->friends ? "friends" : "incoming"});
    out.push_back(ShowToast{update->friends ? Toast::now_friends : Toast::friend_request, update->display_name});
  } else if (const auto* away = std::get_if<server::HostAway>(&message)) {
    if (away->host_user_id == room_.host_user_id && !self_.is_host) host_away_ = true;
  } else if (const auto* host = std::get_if<server::HostChanged>(&message)) {
    host_away_ = false;
    const bool was_host = self_.is_host;
    room_.host_user_id = host->host_user_id;
    self_.is_host = self_.user_id == host->host_user_id;
    if (self_.is_host) self_is_cohost_ = false;
    for (auto& p : participants_) p.is_host = p.user_id == host->host_user_id;
    if (self_.is_host && !was_host) out.push_back(ShowToast{Toast::you_are_host, {}});
    if (state_ == RoomState::waiting && !host->host_user_id.empty()) enter_room(now_ms, out);
    apply_participants(out);
    forget_knocks_unless_managing(out);
  } else if (const auto* recording = std::get_if<server::RecordingState>(&message)) {
    take_recording(*recording, out);
  } else if (const auto* sent = std::get_if<server::InvitesSent>(&message)) {
    out.push_back(ShowToast{Toast::invites_sent, std::to_string(sent->friends.size())});
  } else if (const auto* grown = std::get_if<server::RoomGrown>(&message)) {
    room_.is_call = false;
    room_.max_participants = grown->max_participants;
    room_.host_user_id = grown->host_user_id;
    self_.is_host = self_.user_id == grown->host_user_id;
    for (auto& p : participants_) p.is_host = p.user_id == grown->host_user_id;
    apply_participants(out);
  } else if (const auto* settings = std::get_if<server::SettingsChanged>(&message)) {
    room_.is_locked = settings->is_locked;
    room_.settings = settings->settings;
  } else if (const auto* ending = std::get_if<server::RoomEnding>(&message)) {
    out.push_back(ShowToast{Toast::room_ending, std::to_string(ending->at)});
  } else if (const auto* closed = std::get_if<server::RoomClosed>(&message)) {
    end(RoomState::closed, ShowScreen{screen_for_room_closed(closed->reason), {{}, {}, {}, closed->reason}}, out);
  } else if (const auto* chat = std::get_if<server::ChatMessage>(&message)) {
    if (chat_seen_.insert(chat->id).second) out.push_back(AppendChat{*chat});
  } else if (const auto* ops = std::get_if<server::WhiteboardOps>(&message)) {
    out.push_back(BoardOps{ops->from, ops->ops});
  } else if (const auto* cursor = std::get_if<server::WhiteboardCursor>(&message)) {
    out.push_back(BoardCursor{cursor->from, cursor->x, cursor->y, cursor->laser});
  } else if (const auto* code = std::get_if<server::CodeUpdates>(&message)) {
    out.push_back(CodeUpdates{code->from, code->updates});
  } else if (const auto* code_cursor = std::get_if<server::CodeCursor>(&message)) {
    out.push_back(CodeCursor{code_cursor->from, code_cursor->state});
  } else if (const auto* running = std::get_if<server::CodeRunning>(&message)) {
    out.push_back(CodeRunStarted{*running, running->by == self_.peer_id});
  } else if (const auto* ran = std::get_if<server::CodeOutput>(&message)) {
    out.push_back(CodeRunEnded{*ran});
  } else if (const auto* compact = std::get_if<server::CodeCompact>(&message)) {
    out.push_back(CompactCode{compact->upto});
  }
}

void RoomClient::on_host_intent(const HostIntent& intent, Out& out) {
  if (state_ != RoomState::in_room) return reject("host action outside a room", out);
  const Role me = role();
  switch (intent.action) {
    case HostActionKind::lock:
    case HostActionKind::settings:
    case HostActionKind::mute_all:
    case HostActionKind::admit:
    case HostActionKind::deny:
    case HostActionKind::end: {
      if (!may_offer(me, intent.action)) return reject("only the host or a co-host may do that", out);
      const auto& t = intent.target_user_id;
      if (intent.action == HostActionKind::admit) send(client::Admit{t.empty() ? std::nullopt : std::optional<std::string>(t)}, out);
      if (intent.action == HostActionKind::deny) send(client::Deny{t}, out);
      if (intent.action == HostActionKind::lock) send(client::LockRoom{intent.locked}, out);
      if (intent.action == HostActionKind::settings) send(client::ChangeSettings{intent.settings}, out);
      if (intent.action == HostActionKind::mute_all) send(client::MuteAll{}, out);
      if (intent.action == HostActionKind::end) send(client::EndRoom{}, out);
      return;
    }
    case HostActionKind::lower_hand:
    case HostActionKind::mute:
    case HostActionKind::kick:
    case HostActionKind::make_cohost:
    case HostActionKind::transfer: {
      const auto target = std::find_if(participants_.begin(), participants_.end(), [&](const protocol::Participant& p) {
        return p.user_id == intent.target_user_id;
      });
      if (target == participants_.end()) return reject("no such participant", out);
      const auto allowed = actions_on(me, *target, target->user_id == self_.user_id);
      if (std::find(allowed.begin(), allowed.end(), intent.action) == allowed.end()) {
        return reject(std::string("not allowed: ") + std::string(to_string(intent.action)), out);
      }
      if (intent.action == HostActionKind::mute) send(client::HostMute{intent.target_user_id}, out);
      if (intent.action == HostActionKind::kick) send(client::HostKick{intent.target_user_id}, out);
      if (intent.action == HostActionKind::make_cohost) send(client::MakeCohost{intent.target_user_id}, out);
      if (intent.action == HostActionKind::transfer) send(client::HostTransfer{intent.target_user_id}, out);
      if (intent.action == HostActionKind::lower_hand) send(client::RaiseHand{false, intent.target_user_id}, out);
      return;
    }
  }
}

// A socket whose path died without a close (a NAT or a Wi-Fi switch dropped it: no FIN, no RST until
// we send) is found by its silence: a ping every kPingEveryMs gets a pong, and a socket that has
// heard nothing for kSilentSocketMs is closed and reconnected, instead of waiting for the server's
// own idle drop while offers and ICE restarts go nowhere.
void RoomClient::watch_socket(std::int64_t now_ms, Out& out) {
  // At the door too: a knocker whose socket died silently would wait for nobody.
  if (!socket_open_ || (state_ != RoomState::in_room && state_ != RoomState::waiting && state_ != RoomState::knocking)) return;
  if (now_ms - last_heard_ms_ >= kSilentSocketMs) {
    out.push_back(CloseSocket{});
    on_socket_closed(SocketClosed{0.5}, now_ms, out);  // the midpoint of the backoff's jitter
    return;
  }
  if (now_ms - last_ping_ms_ >= kPingEveryMs) {
    last_ping_ms_ = now_ms;
    send(client::Ping{}, out);
  }
}

void RoomClient::on_tick(std::int64_t now_ms, Out& out) {
  watch_socket(now_ms, out);
  if (reconnect_at_ && now_ms >= *reconnect_at_ && !socket_open_ && !socket_opening_ &&
      (state_ == RoomState::joining || state_ == RoomState::reconnecting)) {
    reconnect_at_.reset();
    socket_opening_ = true;
    out.push_back(OpenSocket{});
  }
  for (auto& [peer_id, link] : links_) append(link.handle(Tick{}, now_ms), out);
}

std::vector<RoomCommand> RoomClient::handle(const RoomEvent& event, std::int64_t now_ms) {
  Out out;
  if (std::holds_alternative<StartPreview>(event)) {
    if (state_ != RoomState::idle) {
      reject("preview outside idle", out);
    } else {
      state_ = RoomState::previewing;
      out.push_back(ShowScreen{Screen::preview});
    }
  } else if (const auto* join = std::get_if<Join>(&event)) {
    on_join(*join, out);
  } else if (const auto* password = std::get_if<SubmitPassword>(&event)) {
    if (state_ != RoomState::password_needed) {
      reject("password when none was asked for", out);
    } else {
      password_ = password->password;
      state_ = RoomState::joining;
      if (socket_open_) {
        on_socket_opened(out);
      } else if (!socket_opening_) {
        socket_opening_ = true;
        out.push_back(OpenSocket{});
      }
    }
  } else if (std::holds_alternative<Leave>(event)) {
    if (in_room_like() || state_ == RoomState::joining || state_ == RoomState::password_needed || state_ == RoomState::knocking) {
      if (state_ == RoomState::in_room || state_ == RoomState::waiting || state_ == RoomState::knocking) send(client::LeaveRoom{}, out);
      end(RoomState::left, std::nullopt, out);
    } else {
      reject("leave outside a room", out);
    }
  } else if (const auto* media = std::get_if<SetOwnMedia>(&event)) {
    own_media_ = *media;
    if (state_ == RoomState::in_room || state_ == RoomState::waiting) {
      send(client::MediaState{media->audio, media->video, media->screen}, out);
    }
  } else if (std::holds_alternative<Reconnect>(event)) {
    if (state_ == RoomState::reconnecting || (state_ == RoomState::failed && gave_up_)) {
      gave_up_ = false;
      attempt_ = 0;
      reconnect_at_.reset();
      state_ = RoomState::reconnecting;
      if (!socket_open_ && !socket_opening_) {
        socket_opening_ = true;
        out.push_back(OpenSocket{});
      }
    } else {
      reject("reconnect while not reconnecting", out);
    }
  } else if (std::holds_alternative<ClaimHost>(event)) {
    if (state_ != RoomState::in_room || !host_away_) {
      reject("the room has a host", out);
    } else {
      send(client::ClaimHost{}, out);
    }
  } else if (const auto* hand = std::get_if<RaiseHand>(&event)) {
    if (state_ != RoomState::in_room || !socket_open_) {
      reject("a hand is raised in a room", out);
    } else {
      send(client::RaiseHand{hand->raised, std::nullopt}, out);
    }
  } else if (const auto* reaction = std::get_if<SendReaction>(&event)) {
    if (state_ != RoomState::in_room || !socket_open_) {
      reject("reactions are sent in a room", out);
    } else if (auto bad = protocol::check_text(protocol::TextRule::reaction, reaction->emoji)) {
      reject("the reaction " + std::string(bad->what), out);
    } else {
      send(client::SendReaction{reaction->emoji}, out);
    }
  } else if (const auto* report = std::get_if<ReportMember>(&event)) {
    if (state_ != RoomState::in_room || !socket_open_) {
      reject("people are reported from a room", out);
    } else if (report->target_user_id == self_.user_id) {
      reject("you can't report yourself", out);
    } else if (!protocol::is_id(report->target_user_id) || (report->message_id && !protocol::is_id(*report->message_id))) {
      reject("a report names a person and a message by their ids", out);
    } else if (auto bad = protocol::check_text(protocol::TextRule::report_reason, report->reason)) {
      reject("the reason " + std::string(bad->what), out);
    } else if (auto long_note = protocol::check_text(protocol::TextRule::report_note, report->note)) {
      reject("the note " + std::string(long_note->what), out);
    } else {
      send(client::Report{report->target_user_id, report->reason,
                          report->note.empty() ? std::nullopt : std::optional<std::string>(report->note), report->message_id},
           out);
    }
  } else if (std::holds_alternative<GrowRoom>(event)) {
    if ((state_ != RoomState::in_room && state_ != RoomState::waiting) || !room_.is_call) {
      reject("only a 1:1 call's room can be opened up", out);
    } else {
      send(client::GrowRoom{}, out);
    }
  } else if (const auto* record = std::get_if<Record>(&event)) {
    if (state_ != RoomState::in_room && state_ != RoomState::waiting) {
      reject("recording is from inside a room", out);
    } else if (!may_record(role())) {
      reject("only the host or a co-host can record", out);
    } else {
      switch (record->action) {
        case Record::Action::start: send(client::StartRecording{record->height}, out); break;
        case Record::Action::pause: send(client::PauseRecording{}, out); break;
        case Record::Action::resume: send(client::ResumeRecording{}, out); break;
        case Record::Action::stop: send(client::StopRecording{}, out); break;
      }
    }
  } else if (const auto* invite = std::get_if<InviteFriends>(&event)) {
    if ((state_ != RoomState::in_room && state_ != RoomState::waiting) || room_.is_call) {
      reject("friends are invited from inside an open room", out);
    } else if (invite->user_ids.empty()) {
      reject("name at least one friend to invite", out);
    } else {
      client::InviteFriends message;
      for (const std::string& user_id : invite->user_ids) message.friends.push_back({user_id});
      send(std::move(message), out);
    }
  } else if (const auto* intent = std::get_if<HostIntent>(&event)) {
    on_host_intent(*intent, out);
  } else if (const auto* chat = std::get_if<SendChat>(&event)) {
    if (state_ != RoomState::in_room || !socket_open_) {
      reject("chat while not connected to a room", out);
    } else {
      send(client::ChatSend{chat->text, chat->client_msg_id}, out);
    }
  } else if (const auto* ops = std::get_if<SendBoardOps>(&event)) {
    if (state_ != RoomState::in_room || !socket_open_) {
      reject("whiteboard ops while not connected to a room", out);
    } else {
      send(client::WhiteboardOps{ops->ops}, out);
    }
  } else if (const auto* cursor = std::get_if<SendBoardCursor>(&event)) {
    if (state_ == RoomState::in_room && socket_open_) send(client::WhiteboardCursor{cursor->x, cursor->y, cursor->laser}, out);
  } else if (const auto* code = std::get_if<SendCodeUpdate>(&event)) {
    if (state_ != RoomState::in_room || !socket_open_) {
      reject("code updates while not connected to a room", out);
    } else {
      send(client::CodeUpdate{code->update}, out);
    }
  } else if (const auto* code_cursor = std::get_if<SendCodeCursor>(&event)) {
    if (state_ == RoomState::in_room && socket_open_) send(client::CodeCursor{code_cursor->state}, out);
  } else if (const auto* run = std::get_if<SendCodeRun>(&event)) {
    if (state_ != RoomState::in_room || !socket_open_) {
      reject("running code while not connected to a room", out);
    } else {
      send(client::CodeRun{run->file, run->language}, out);
    }
  } else if (const auto* output = std::get_if<SendCodeOutput>(&event)) {
    // The room hears how our run ended even after a reconnect: its run_id is still ours until then.
    if (state_ == RoomState::in_room && socket_open_) send(client::CodeOutput{output->run_id, output->result}, out);
  } else if (std::holds_alternative<SocketOpened>(event)) {
    last_heard_ms_ = last_ping_ms_ = now_ms;
    on_socket_opened(out);
  } else if (const auto* closed = std::get_if<SocketClosed>(&event)) {
    on_socket_closed(*closed, now_ms, out);
  } else if (const auto* received = std::get_if<ServerMessageReceived>(&event)) {
    last_heard_ms_ = now_ms;
    on_server(received->message, now_ms, out);
  } else if (const auto* peer = std::get_if<PeerEventReceived>(&event)) {
    const auto found = links_.find(peer->peer_id);
    if (found != links_.end()) append(found->second.handle(peer->event, now_ms), out);
  } else if (std::holds_alternative<Tick>(event)) {
    on_tick(now_ms, out);
  }
  return out;
}

}  // namespace mehfil::room
