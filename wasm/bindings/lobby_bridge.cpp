// LobbyBridge: JSON in and out of the lobby's core (lobby_bridge.h lists both vocabularies).
#include "lobby_bridge.h"

#include <nlohmann/json.hpp>

#include "event_reader.h"
#include "protocol/codec.h"
#include "room/reconnect_backoff.h"

namespace mehfil::bindings {

using nlohmann::json;
namespace rm = mehfil::room;
namespace proto = mehfil::protocol;

namespace {

json update_json(const rm::CallUpdate& u) {
  return {{"type", "call"},
          {"state", rm::to_string(u.state)},
          {"reason", rm::to_string(u.reason)},
          {"call_id", u.call_id},
          {"peer_user_id", u.peer_user_id},
          {"peer_display_name", u.peer_display_name},
          {"video", u.video},
          {"room_code", u.room_code},
          {"remote_ringing", u.remote_ringing}};
}

}  // namespace

// The core's commands as JSON. Rings and answers go out with an id, so that a refusal (an error
// frame with that ref) can be told to the core as CallRefused of the right call.
std::string LobbyBridge::run(const rm::CallEvent& event, std::int64_t now_ms, std::string extra) {
  json out = json::array();
  if (!extra.empty()) out.push_back(json::parse(extra));
  for (const rm::CallCommand& command : call_.handle(event, now_ms)) {
    std::visit(
        [&](const auto& c) {
          using T = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<T, rm::SendMessage>) {
            const std::string id = "l" + std::to_string(next_request_++);
            asked_about_[id] = call_.call_id();
            if (asked_about_.size() > 64) asked_about_.erase(asked_about_.begin());  // old requests long answered
            out.push_back({{"type", "send"}, {"text", proto::encode(c.message, proto::RequestId{id})}});
          } else if constexpr (std::is_same_v<T, rm::ScheduleTimer>) {
            out.push_back({{"type", "timer"}, {"key", c.key}, {"at", c.at_ms}});
          } else if constexpr (std::is_same_v<T, rm::CallUpdate>) {
            out.push_back(update_json(c));
          } else {
            static_assert(std::is_same_v<T, rm::Rejected>);
            out.push_back({{"type", "rejected"}, {"reason", c.reason}});
          }
        },
        command);
  }
  return dump(out);
}

std::string LobbyBridge::handle_event(std::string_view event_json, std::int64_t now_ms) {
  const json event = json::parse(event_json, nullptr, false);
  if (!event.is_object()) return rejected("an event must be a JSON object");
  Reader r{event, {}};
  const std::string type = r.text("type");
  std::string answer;
  if (type == "start") {
    answer = dump(json::array({{{"type", "open-socket"}}}));
  } else if (type == "socket-opened") {
    attempt_ = 0;
    reconnect_at_.reset();
    answer = "[]";
  } else if (type == "socket-closed") {
    const double jitter = r.number("jitter");
    reconnect_at_ = now_ms + rm::reconnect_delay_ms(attempt_++, jitter);
    answer = dump(json::array({{{"type", "timer"}, {"key", "reconnect"}, {"at", *reconnect_at_}}}));
  } else if (type == "tick") {
    std::string reopen;
    if (reconnect_at_ && now_ms >= *reconnect_at_) {
      reconnect_at_.reset();
      reopen = R"({"type":"open-socket"})";
    }
    return run(rm::Tick{}, now_ms, reopen);
  } else if (type == "place") {
    rm::PlaceCall place{r.text("to_user_id"), r.text("call_id"), r.flag("video"), r.text("to_display_name")};
    if (!r.problem.empty()) return rejected(r.problem);
    return run(place, now_ms);
  } else if (type == "accept") {
    return run(rm::AcceptCall{}, now_ms);
  } else if (type == "reject") {
    return run(rm::RejectCall{}, now_ms);
  } else if (type == "cancel") {
    return run(rm::CancelCall{}, now_ms);
  } else if (type == "hang-up") {
    return run(rm::HangUp{}, now_ms);
  } else if (type == "dismiss-invite") {
    const std::string invite_id = r.text("invite_id");
    if (invite_id.empty()) return rejected("invite_id must be a non-empty string");
    const std::string text = proto::encode(proto::client::DismissInvite{invite_id});
    answer = dump(json::array({{{"type", "send"}, {"text", text}}}));
  } else {
    return rejected("unknown event type \"" + type + "\"");
  }
  return r.problem.empty() ? answer : rejected(r.problem);
}

std::string LobbyBridge::handle_server_frame(std::string_view frame, std::int64_t now_ms) {
  const auto decoded = proto::decode_server(frame);
  if (!decoded.ok()) return rejected("server frame: " + decoded.error.message);
  const proto::ServerMessage& message = *decoded.message;
  if (const auto* presence = std::get_if<proto::server::FriendPresence>(&message)) {
    return dump(json::array({{{"type", "presence"}, {"user_id", presence->user_id}, {"presence", std::string(proto::server::to_string(presence->presence))}}}));
  }
  if (const auto* update = std::get_if<proto::server::FriendUpdate>(&message)) {
    return dump(json::array(
        {{{"type", "friend"}, {"user_id", update->user_id}, {"display_name", update->display_name}, {"friends", update->friends}}}));
  }
  if (const auto* invite = std::get_if<proto::server::InviteReceived>(&message)) {
    return dump(json::array({{{"type", "invite"},
                              {"invite_id", invite->invite_id},
                              {"room_code", invite->room_code},
                              {"room_name", invite->room_name},
                              {"from_user_id", invite->from_user_id},
                              {"from_display_name", invite->from_display_name},
                              {"sent_at", invite->sent_at}}}));
  }
  if (const auto* gone = std::get_if<proto::server::InviteGone>(&message)) {
    return dump(json::array({{{"type", "invite-gone"}, {"invite_id", gone->invite_id}}}));
  }
  if (const auto* error = std::get_if<proto::server::ErrorReply>(&message)) {
    const std::string* ref = error->ref ? std::get_if<std::string>(&*error->ref) : nullptr;
    const auto asked = ref ? asked_about_.find(*ref) : asked_about_.end();
    const json told{{"type", "error"}, {"code", proto::to_string(error->code)}, {"message", error->message}};
    if (asked == asked_about_.end()) return dump(json::array({told}));
    const std::string call_id = asked->second;
    asked_about_.erase(asked);
    return run(rm::CallRefused{call_id, error->code}, now_ms, told.dump());
  }
  return run(rm::CallServerMessage{message}, now_ms);  // call:* (the rest is ignored by the core)
}

}  // namespace mehfil::bindings
