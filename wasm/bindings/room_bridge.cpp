// CallBridge: JSON in and out of the room core (room_bridge.h lists both vocabularies).
#include "room_bridge.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "event_reader.h"
#include "protocol/codec.h"
#include "protocol/validation.h"
#include "room/host_rules.h"

namespace mehfil::bindings {

using nlohmann::json;
namespace rm = mehfil::room;
namespace proto = mehfil::protocol;

namespace {

// An embedder's RTCIceServer list, held to the same rules as the ones a server sends in hello: a URL
// (or an array of them) that is stun:, turn: or turns:, and a username and credential within limits.
std::vector<proto::IceServer> read_ice_servers(const json& value, std::string& problem) {
  std::vector<proto::IceServer> out;
  const auto fail = [&](const std::string& what) {
    if (problem.empty()) problem = "iceServers" + what;
    return std::vector<proto::IceServer>{};
  };
  if (!value.is_array()) return fail(" must be an array");
  for (std::size_t i = 0; i < value.size(); ++i) {
    const json& entry = value[i];
    const std::string at = "[" + std::to_string(i) + "]";
    if (!entry.is_object()) return fail(at + " must be an object");
    std::optional<std::string> secrets[2];
    const char* secret_names[2] = {"username", "credential"};
    for (int k = 0; k < 2; ++k) {
      const auto found = entry.find(secret_names[k]);
      if (found == entry.end() || found->is_null()) continue;
      if (!found->is_string()) return fail(at + "." + secret_names[k] + " must be a string");
      if (const auto bad = proto::check_text(proto::TextRule::ice_secret, found->get<std::string>())) {
        return fail(at + "." + secret_names[k] + " " + std::string(bad->what));
      }
      secrets[k] = found->get<std::string>();
    }
    const auto urls = entry.find("urls");
    if (urls == entry.end()) return fail(at + ".urls is missing");
    const json list = urls->is_array() ? *urls : json::array({*urls});
    for (const json& url : list) {
      if (!url.is_string()) return fail(at + ".urls must be strings");
      if (const auto bad = proto::check_text(proto::TextRule::ice_url, url.get<std::string>())) {
        return fail(at + ".urls " + std::string(bad->what));
      }
      out.push_back({url.get<std::string>(), secrets[0], secrets[1]});
    }
  }
  if (out.size() > proto::kMaxIceServers) return fail(" has more than " + std::to_string(proto::kMaxIceServers) + " URLs");
  return out;
}

proto::IceCandidate read_candidate(const json& value, std::string& problem) {
  proto::IceCandidate candidate;
  if (!value.is_object()) {
    problem = "candidate must be an object";
    return candidate;
  }
  Reader r{value, {}};
  candidate.candidate = r.text("candidate");
  candidate.sdp_mid = r.optional_text("sdpMid");
  if (const json* index = r.field("sdpMLineIndex")) {
    if (index->is_number_integer() && index->get<std::int64_t>() >= 0 && index->get<std::int64_t>() <= 65535) {
      candidate.sdp_mline_index = static_cast<int>(index->get<std::int64_t>());
    } else {
      r.note("sdpMLineIndex", "an integer 0..65535");
    }
  }
  if (problem.empty()) problem = r.problem;
  return candidate;
}

json candidate_json(const proto::IceCandidate& c) {
  json j{{"candidate", c.candidate}};
  j["sdpMid"] = c.sdp_mid ? json(*c.sdp_mid) : json(nullptr);
  j["sdpMLineIndex"] = c.sdp_mline_index ? json(*c.sdp_mline_index) : json(nullptr);
  return j;
}

std::optional<rm::SdpType> sdp_type(std::string_view name) {
  if (name == "offer") return rm::SdpType::offer;
  if (name == "answer") return rm::SdpType::answer;
  if (name == "rollback") return rm::SdpType::rollback;
  return std::nullopt;
}

// RTCPeerConnection's spellings ("new", "have-local-offer"...).
std::optional<rm::ConnectionState> connection_state(std::string_view name) {
  using S = rm::ConnectionState;
  for (S s : {S::fresh, S::connecting, S::connected, S::disconnected, S::failed, S::closed}) {
    if (rm::to_string(s) == name) return s;
  }
  return std::nullopt;
}
std::optional<rm::SignalingState> signaling_state(std::string_view name) {
  using S = rm::SignalingState;
  for (S s : {S::stable, S::have_local_offer, S::have_remote_offer, S::closed}) {
    if (rm::to_string(s) == name) return s;
  }
  // have-local-pranswer / have-remote-pranswer are never asked for; treat them as the offer side.
  if (name == "have-local-pranswer") return S::have_remote_offer;
  if (name == "have-remote-pranswer") return S::have_local_offer;
  return std::nullopt;
}
std::optional<rm::HostActionKind> host_action(std::string_view name) {
  using A = rm::HostActionKind;
  for (A a : {A::mute, A::kick, A::make_cohost, A::transfer, A::lock, A::settings, A::end, A::mute_all, A::lower_hand, A::admit, A::deny}) {
    if (rm::to_string(a) == name) return a;
  }
  return std::nullopt;
}

// The event, or the reason it is not one.
std::variant<rm::PeerEvent, std::string> read_peer_event(const json& e) {
  Reader r{e, {}};
  const std::string type = r.text("event");
  rm::PeerEvent event;
  if (type == "negotiation-needed") {
    event = rm::NegotiationNeeded{};
  } else if (type == "description-created") {
    const auto kind = sdp_type(r.text("sdp_type"));
    if (!kind || *kind == rm::SdpType::rollback) return std::string("sdp_type must be offer or answer");
    event = rm::DescriptionCreated{r.op(), *kind, r.text("sdp")};
  } else if (type == "local-set") {
    event = rm::LocalDescriptionSet{r.op()};
  } else if (type == "remote-set") {
    event = rm::RemoteDescriptionSet{r.op()};
  } else if (type == "ice-added") {
    event = rm::IceCandidateAdded{r.op()};
  } else if (type == "op-failed") {
    event = rm::OperationFailed{r.op(), r.text("error")};
  } else if (type == "ice-gathered") {
    const json* value = r.field("candidate");
    if (!value) return std::string("candidate is missing");
    std::string problem;
    auto candidate = read_candidate(*value, problem);
    if (!problem.empty()) return problem;
    event = rm::IceCandidateGathered{std::move(candidate)};
  } else if (type == "connection-state") {
    const auto state = connection_state(r.text("state"));
    if (!state) return std::string("state is not a connection state");
    event = rm::ConnectionStateChanged{*state};
  } else if (type == "signaling-state") {
    const auto state = signaling_state(r.text("state"));
    if (!state) return std::string("state is not a signaling state");
    event = rm::SignalingStateChanged{*state};
  } else if (type == "tick") {
    event = rm::Tick{};
  } else {
    return "unknown peer event \"" + type + "\"";
  }
  if (!r.problem.empty()) return r.problem;
  return event;
}

std::variant<rm::RoomEvent, std::string> read_event(const json& e) {
  if (!e.is_object()) return std::string("an event must be a JSON object");
  Reader r{e, {}};
  const std::string type = r.text("type");
  rm::RoomEvent event;
  if (type == "preview") {
    event = rm::StartPreview{};
  } else if (type == "join") {
    rm::Join join{r.text("room_code"), r.text("display_name"), r.optional_text("password"), std::nullopt, false};
    if (const json* servers = r.field("ice_servers")) {
      join.ice_servers = read_ice_servers(*servers, r.problem);
    }
    const std::string policy = r.field("ice_transport_policy") ? r.text("ice_transport_policy") : "all";
    if (policy != "all" && policy != "relay") r.note("ice_transport_policy", "\"all\" or \"relay\"");
    join.relay_only = policy == "relay";
    event = std::move(join);
  } else if (type == "submit-password") {
    event = rm::SubmitPassword{r.text("password")};
  } else if (type == "leave") {
    event = rm::Leave{};
  } else if (type == "own-media") {
    event = rm::SetOwnMedia{r.flag("audio"), r.flag("video"), r.flag("screen")};
  } else if (type == "host") {
    const auto action = host_action(r.text("action"));
    if (!action) return std::string("action is not a host action");
    rm::HostIntent intent;
    intent.action = *action;
    intent.target_user_id = r.text("target_user_id");
    intent.locked = r.flag("locked");
    if (const json* settings = r.field("settings"); settings && settings->is_object()) {
      // The core's one settings shape (protocol/codec.h): a flag left out stays as it is (on).
      if (auto error = proto::settings_from_json(*settings, intent.settings)) return error->message;
    }
    event = intent;
  } else if (type == "claim-host") {
    event = rm::ClaimHost{};
  } else if (type == "raise-hand") {
    event = rm::RaiseHand{r.flag("raised")};
  } else if (type == "react") {
    event = rm::SendReaction{r.text("emoji")};
  } else if (type == "report") {
    event = rm::ReportMember{r.text("target_user_id"), r.text("reason"), r.optional_text("note").value_or(""), r.optional_text("message_id")};
  } else if (type == "grow") {
    event = rm::GrowRoom{};
  } else if (type == "record") {
    const std::string action = r.text("action");
    rm::Record record;
    if (action == "start") record.action = rm::Record::Action::start;
    else if (action == "pause") record.action = rm::Record::Action::pause;
    else if (action == "resume") record.action = rm::Record::Action::resume;
    else if (action == "stop") record.action = rm::Record::Action::stop;
    else return std::string("action must be start, pause, resume or stop");
    if (const json* height = r.field("height")) {
      if (!height->is_number_integer()) return std::string("height must be 720 or 1080");
      record.height = height->get<int>();
    }
    event = record;
  } else if (type == "invite") {
    const json* ids = r.field("user_ids");
    if (!ids || !ids->is_array()) return std::string("user_ids must be an array");
    rm::InviteFriends invite;
    for (const json& id : *ids) {
      if (!id.is_string()) return std::string("every user id must be a string");
      invite.user_ids.push_back(id.get<std::string>());
    }
    event = std::move(invite);
  } else if (type == "reconnect") {
    event = rm::Reconnect{};
  } else if (type == "chat") {
    event = rm::SendChat{r.text("text"), r.text("client_msg_id")};
  } else if (type == "board-ops") {
    const json* ops = r.field("ops");
    if (!ops || !ops->is_array()) return std::string("ops must be an array");
    rm::SendBoardOps batch;
    for (const json& op : *ops) {
      if (!op.is_object()) return std::string("every op must be an object");
      batch.ops.push_back(op);
    }
    event = std::move(batch);
  } else if (type == "board-cursor") {
    event = rm::SendBoardCursor{static_cast<int>(r.number("x")), static_cast<int>(r.number("y")), r.flag("laser")};
  } else if (type == "code-update") {
    event = rm::SendCodeUpdate{r.text("update")};
  } else if (type == "code-cursor") {
    event = rm::SendCodeCursor{r.text("state")};
  } else if (type == "code-run") {
    event = rm::SendCodeRun{r.text("file"), r.text("language")};
  } else if (type == "code-output") {
    // Read by the codec, so what the sandbox printed meets the wire's rules here (protocol/wire_fields.h).
    json message = e;
    message["type"] = "code:output";
    auto decoded = proto::decode_client(message.dump());
    if (!decoded.ok()) return decoded.error.message;
    auto& output = std::get<proto::client::CodeOutput>(*decoded.message);
    event = rm::SendCodeOutput{std::move(output.run_id), std::move(output.result)};
  } else if (type == "socket-opened") {
    event = rm::SocketOpened{};
  } else if (type == "socket-closed") {
    event = rm::SocketClosed{r.number("jitter")};
  } else if (type == "tick") {
    event = rm::Tick{};
  } else if (type == "peer") {
    auto peer = read_peer_event(e);
    if (auto* problem = std::get_if<std::string>(&peer)) return *problem;
    event = rm::PeerEventReceived{r.text("peer"), std::get<rm::PeerEvent>(std::move(peer))};
  } else {
    return "unknown event \"" + type + "\"";
  }
  if (!r.problem.empty()) return r.problem;
  return event;
}

// --- writing --------------------------------------------------------------------------------------

json hand_json(const std::optional<std::int64_t>& raised_at) { return raised_at ? json(*raised_at) : json(nullptr); }

json participant_json(const proto::Participant& p) {
  return {{"user_id", p.user_id}, {"peer_id", p.peer_id},   {"display_name", p.display_name},
          {"is_host", p.is_host}, {"is_cohost", p.is_cohost}, {"audio", p.audio},
          {"video", p.video},     {"screen", p.screen},       {"hand_raised_at", hand_json(p.hand_raised_at)}};
}

// RTCIceServer objects for RTCConfiguration.iceServers.
json ice_servers_json(const std::vector<proto::IceServer>& servers) {
  json out = json::array();
  for (const auto& server : servers) {
    json entry{{"urls", server.urls}};
    if (server.username) entry["username"] = *server.username;
    if (server.credential) entry["credential"] = *server.credential;
    out.push_back(std::move(entry));
  }
  return out;
}

json knockers_json(const std::vector<proto::server::Knocker>& knockers) {
  json out = json::array();
  for (const auto& k : knockers) out.push_back({{"user_id", k.user_id}, {"display_name", k.display_name}, {"knocked_at", k.knocked_at}});
  return out;
}

json chat_json(const proto::server::ChatMessage& m) {
  json out = {{"id", m.id},     {"from_user_id", m.from_user_id}, {"display_name", m.display_name},
              {"text", m.text}, {"sent_at", m.sent_at},           {"client_msg_id", m.client_msg_id}};
  if (m.file) {
    out["file"] = {{"file_id", m.file->file_id}, {"name", m.file->name},   {"size", m.file->size},
                   {"content_type", m.file->content_type}, {"image", m.file->image},
                   {"width", m.file->width},     {"height", m.file->height}};
  }
  return out;
}

json command_json(const rm::RoomCommand& command) {
  return std::visit(
      [](const auto& c) -> json {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, rm::SendMessage>) {
          return {{"type", "send"}, {"text", proto::encode(c.message)}};
        } else if constexpr (std::is_same_v<T, rm::OpenSocket>) {
          return {{"type", "open-socket"}};
        } else if constexpr (std::is_same_v<T, rm::CloseSocket>) {
          return {{"type", "close-socket"}};
        } else if constexpr (std::is_same_v<T, rm::ShowToast>) {
          return {{"type", "toast"}, {"kind", rm::to_string(c.kind)}, {"detail", c.detail}};
        } else if constexpr (std::is_same_v<T, rm::ShowScreen>) {
          return {{"type", "screen"}, {"screen", rm::to_string(c.screen)}, {"code", c.detail.code},
                  {"message", c.detail.message}, {"by", c.detail.by}, {"reason", c.detail.reason}};
        } else if constexpr (std::is_same_v<T, rm::ReportError>) {
          return {{"type", "error"}, {"code", proto::to_string(c.code)}, {"message", c.message}};
        } else if constexpr (std::is_same_v<T, rm::ApplyParticipants>) {
          const auto list = [](const std::vector<proto::Participant>& people) {
            json out = json::array();
            for (const auto& p : people) out.push_back(participant_json(p));
            return out;
          };
          return {{"type", "participants"}, {"participants", list(c.participants)}, {"joined", list(c.joined)},
                  {"left", list(c.left)}, {"updated", list(c.updated)}};
        } else if constexpr (std::is_same_v<T, rm::FriendChanged>) {
          return {{"type", "friend"}, {"user_id", c.user_id}, {"relation", c.relation}};
        } else if constexpr (std::is_same_v<T, rm::BoardOps>) {
          return {{"type", "board-ops"}, {"from", c.from}, {"ops", c.ops}};
        } else if constexpr (std::is_same_v<T, rm::BoardCursor>) {
          return {{"type", "board-cursor"}, {"from", c.from}, {"x", c.x}, {"y", c.y}, {"laser", c.laser}};
        } else if constexpr (std::is_same_v<T, rm::CodeUpdates>) {
          return {{"type", "code-update"}, {"from", c.from}, {"updates", c.updates}};
        } else if constexpr (std::is_same_v<T, rm::CodeCursor>) {
          return {{"type", "code-cursor"}, {"from", c.from}, {"state", c.state}};
        } else if constexpr (std::is_same_v<T, rm::CodeRunStarted>) {
          json run = json::parse(proto::encode(proto::ServerMessage{c.run}));
          run["type"] = "code-running";
          run["mine"] = c.mine;
          return run;
        } else if constexpr (std::is_same_v<T, rm::CompactCode>) {
          return {{"type", "code-compact"}, {"upto", c.upto}};
        } else if constexpr (std::is_same_v<T, rm::CodeRunEnded>) {
          json ran = json::parse(proto::encode(proto::ServerMessage{c.output}));
          ran["type"] = "code-output";
          return ran;
        } else if constexpr (std::is_same_v<T, rm::AppendChat>) {
          return {{"type", "chat"}, {"message", chat_json(c.message)}};
        } else if constexpr (std::is_same_v<T, rm::MuteMicrophone>) {
          return {{"type", "mute-microphone"}};
        } else if constexpr (std::is_same_v<T, rm::ApplyKnocks>) {
          return {{"type", "knocks"}, {"waiting", knockers_json(c.waiting)}, {"arrived", knockers_json(c.arrived)}};
        } else if constexpr (std::is_same_v<T, rm::ShowReported>) {
          return {{"type", "reported"}, {"user_id", c.target_user_id}, {"display_name", c.target_name}, {"reason", c.reason}};
        } else if constexpr (std::is_same_v<T, rm::ShowReaction>) {
          return {{"type", "reaction"}, {"user_id", c.user_id}, {"peer_id", c.peer_id}, {"emoji", c.emoji}};
        } else if constexpr (std::is_same_v<T, rm::Rejected>) {
          return {{"type", "rejected"}, {"reason", c.reason}};
        } else if constexpr (std::is_same_v<T, rm::CreatePeer>) {
          return {{"type", "create-peer"}, {"peer", c.peer_id}, {"polite", c.polite}, {"offers_first", c.offers_first},
                  {"ice_servers", ice_servers_json(c.ice_servers)}, {"relay_only", c.relay_only}};
        } else if constexpr (std::is_same_v<T, rm::CreateOffer>) {
          return {{"type", "create-offer"}, {"peer", c.peer_id}, {"op", c.op}};
        } else if constexpr (std::is_same_v<T, rm::CreateAnswer>) {
          return {{"type", "create-answer"}, {"peer", c.peer_id}, {"op", c.op}};
        } else if constexpr (std::is_same_v<T, rm::SetLocalDescription>) {
          return {{"type", "set-local"}, {"peer", c.peer_id}, {"op", c.op}, {"sdp_type", rm::to_string(c.type)}, {"sdp", c.sdp}};
        } else if constexpr (std::is_same_v<T, rm::SetRemoteDescription>) {
          return {{"type", "set-remote"}, {"peer", c.peer_id}, {"op", c.op}, {"sdp_type", rm::to_string(c.type)}, {"sdp", c.sdp}};
        } else if constexpr (std::is_same_v<T, rm::AddIceCandidate>) {
          return {{"type", "add-ice"}, {"peer", c.peer_id}, {"op", c.op}, {"candidate", candidate_json(c.candidate)}};
        } else if constexpr (std::is_same_v<T, rm::RestartIce>) {
          return {{"type", "restart-ice"}, {"peer", c.peer_id}};
        } else if constexpr (std::is_same_v<T, rm::UseRelayOnly>) {
          return {{"type", "use-relay-only"}, {"peer", c.peer_id}};
        } else if constexpr (std::is_same_v<T, rm::SetIceServers>) {
          return {{"type", "set-ice-servers"}, {"peer", c.peer_id}, {"ice_servers", ice_servers_json(c.ice_servers)}};
        } else if constexpr (std::is_same_v<T, rm::ClosePeer>) {
          return {{"type", "close-peer"}, {"peer", c.peer_id}};
        } else if constexpr (std::is_same_v<T, rm::SetSendCap>) {
          return {{"type", "send-cap"}, {"peer", c.peer_id}, {"bps", c.cap.max_bitrate_bps},
                  {"scale", c.cap.scale_down_by}, {"fps", c.cap.max_framerate}};
        } else if constexpr (std::is_same_v<T, rm::HoldMedia>) {
          return {{"type", "hold-media"}, {"peer", c.peer_id}, {"held", c.held}};
        } else if constexpr (std::is_same_v<T, rm::ScheduleTimer>) {
          return {{"type", "timer"}, {"key", c.key}, {"at", c.at_ms}};
        } else {
          static_assert(std::is_same_v<T, void>, "every command needs its JSON");
        }
      },
      command);
}

json role_json(rm::Role role) { return {{"is_host", role.is_host}, {"is_cohost", role.is_cohost}}; }

json actions_json(const std::vector<rm::HostActionKind>& actions) {
  json list = json::array();
  for (auto a : actions) list.push_back(rm::to_string(a));
  return list;
}

}  // namespace

// --- CallBridge -------------------------------------------------------------------------------------

std::string CallBridge::run(const rm::RoomEvent& event, std::int64_t now_ms) {
  json out = json::array();
  for (const auto& command : client_.handle(event, now_ms)) out.push_back(command_json(command));
  return dump(out);
}

std::string CallBridge::handle_event(std::string_view event_json, std::int64_t now_ms) {
  const json parsed = json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return rejected("an event must be JSON");
  if (auto stage = stage_event(parsed)) return *stage;
  auto event = read_event(parsed);
  if (auto* problem = std::get_if<std::string>(&event)) return rejected(*problem);
  return run(std::get<rm::RoomEvent>(event), now_ms);
}

std::string CallBridge::handle_server_frame(std::string_view frame, std::int64_t now_ms) {
  auto decoded = proto::decode_server(frame);
  if (!decoded.ok()) return rejected("server frame: " + decoded.error.message);
  return run(rm::ServerMessageReceived{std::move(*decoded.message)}, now_ms);
}

std::string CallBridge::media_start(bool camera) {
  json commands = json::array();
  for (const auto& command : media_.start(camera)) {
    if (const auto* request = std::get_if<rm::RequestMedia>(&command)) {
      commands.push_back({{"type", "request-media"}, {"audio", request->audio}, {"video", request->video}});
    }
  }
  return dump(json{{"commands", std::move(commands)},
                   {"state", rm::to_string(media_.state())},
                   {"message", rm::message_for(media_.state())}});
}

std::string CallBridge::media_event(std::string_view name) {
  rm::MediaAccessEvent event;
  if (name == "granted-both") {
    event = rm::Granted{true, true};
  } else if (name == "granted-mic") {
    event = rm::Granted{false, true};
  } else if (name == "camera-denied") {
    event = rm::CameraDenied{};
  } else if (name == "mic-denied") {
    event = rm::MicDenied{};
  } else if (name == "continue") {
    event = rm::Continue{};
  } else if (name == "retry") {
    event = rm::Retry{};
  } else if (name == "add-camera") {
    event = rm::AddCamera{};
  } else {
    return dump(json{{"commands", json::array({json{{"type", "rejected"}, {"reason", "unknown media event"}}})},
                     {"state", rm::to_string(media_.state())},
                     {"message", rm::message_for(media_.state())}});
  }
  json commands = json::array();
  for (const auto& command : media_.handle(event)) {
    if (const auto* request = std::get_if<rm::RequestMedia>(&command)) {
      commands.push_back({{"type", "request-media"}, {"audio", request->audio}, {"video", request->video}});
    } else if (const auto* refused = std::get_if<rm::Rejected>(&command)) {
      commands.push_back({{"type", "rejected"}, {"reason", refused->reason}});
    }
  }
  return dump(json{{"commands", std::move(commands)},
                   {"state", rm::to_string(media_.state())},
                   {"message", rm::message_for(media_.state())}});
}

std::string CallBridge::snapshot() const {
  const auto& self = client_.self();
  const auto& room = client_.room();
  json participants = json::array();
  for (const auto& p : client_.participants()) participants.push_back(participant_json(p));
  json links = json::object();
  for (const auto& [peer, link] : client_.links()) {
    links[peer] = {{"state", rm::to_string(link.state())},
                   {"polite", link.polite()},
                   {"connection", rm::to_string(link.connection_state())},
                   {"ice_restarts", link.ice_restarts()},
                   {"relay_only", link.relay_only()},
                   {"unreachable_reason", link.unreachable_reason()},
                   {"bitrate_cap_bps", link.send_cap().max_bitrate_bps},
                   {"camera_scale_down_by", link.send_cap().scale_down_by},
                   {"camera_max_framerate", link.send_cap().max_framerate}};
  }
  json snapshot{
      {"state", rm::to_string(client_.state())},
      {"room_code", client_.room_code()},
      {"self", self.peer_id.empty() ? json(nullptr)
                                    : json{{"user_id", self.user_id},
                                           {"peer_id", self.peer_id},
                                           {"display_name", self.display_name},
                                           {"is_host", self.is_host},
                                           {"hand_raised_at", hand_json(self.hand_raised_at)}}},
      {"room", room.room_code.empty() ? json(nullptr)
                                      : json{{"room_code", room.room_code},
                                             {"room_name", room.room_name},
                                             {"host_user_id", room.host_user_id},
                                             {"max_participants", room.max_participants},
                                             {"is_locked", room.is_locked},
                                             {"host_away", client_.host_away()},
                                             {"is_call", room.is_call},
                                             {"recording", client_.recording().state},
                                             {"recording_id", client_.recording().recording_id},
                                             {"recording_height", client_.recording().height},
                                             {"settings", proto::settings_to_json(room.settings)}}},
      {"role", role_json(client_.role())},
      {"room_actions", actions_json(rm::room_actions(client_.role()))},
      {"may_share_screen", rm::may_share_screen(client_.role(), room.settings)},
      {"may_record", rm::may_record(client_.role())},
      {"records_here", client_.records_here()},  // this browser records the room (call-recorder.js)
      {"participants", std::move(participants)},
      {"knocking", knockers_json(client_.knocking())},  // who waits at the door (the host and co-hosts hear it)
      {"links", std::move(links)},
      {"media", {{"state", rm::to_string(media_.state())},
                 {"message", rm::message_for(media_.state())},
                 {"audio", media_.sends_audio()},
                 {"video", media_.sends_video()}}},
      {"reconnect_attempt", client_.reconnect_attempt()}};
  return dump(snapshot);
}

std::string CallBridge::actions_on(std::string_view user_id) const {
  const auto& others = client_.participants();
  const auto target = std::find_if(others.begin(), others.end(), [&](const proto::Participant& p) { return p.user_id == user_id; });
  json on = json::array();
  if (target != others.end()) on = actions_json(rm::actions_on(client_.role(), *target, false));
  return dump(json{{"on", std::move(on)}, {"room", actions_json(rm::room_actions(client_.role()))}});
}

std::string CallBridge::speaking(std::string_view levels_json, std::int64_t now_ms) {
  const json parsed = json::parse(levels_json, nullptr, false);
  std::map<std::string, double> levels;
  if (parsed.is_object()) {
    for (auto it = parsed.begin(); it != parsed.end(); ++it) {
      if (it.value().is_number()) levels[it.key()] = it.value().get<double>();
    }
  }
  speakers_.update(levels, now_ms);
  const auto& active = speakers_.active();
  return dump(json{{"speaking", speakers_.speaking_ids()}, {"active", active ? json(*active) : json(nullptr)}});
}

// The stage's intents change no room state and send nothing: they answer with no commands, and the
// executor redraws from stage().
std::optional<std::string> CallBridge::stage_event(const json& event) {
  if (!event.is_object()) return std::nullopt;
  Reader r{event, {}};
  const std::string type = r.text("type");
  if (type == "pin") {
    const std::string tile = r.text("tile");
    if (tile.empty()) return rejected("tile must name a tile");
    stage_.pin(tile);
  } else if (type == "unpin") {
    stage_.unpin();
  } else if (type == "page") {
    const double page = r.number("page");
    if (!r.problem.empty() || page < 0 || page > 10000) return rejected("page must be a number from 0");
    stage_.show_page(static_cast<int>(page));
  } else if (type == "whiteboard") {
    stage_.set_tool(rm::StageContent::whiteboard, r.flag("open"));
  } else if (type == "code") {
    stage_.set_tool(rm::StageContent::code, r.flag("open"));
  } else {
    return std::nullopt;
  }
  if (!r.problem.empty()) return rejected(r.problem);
  return std::string("[]");
}

std::string CallBridge::stage() {
  const auto tiles = stage_.tiles(client_, speakers_);
  json list = json::array();
  std::optional<std::string> pinned;
  for (const auto& t : tiles) {
    if (t.pinned) pinned = t.id;
    list.push_back({{"id", t.id},
                    {"kind", t.content == rm::StageContent::camera   ? "camera"
                            : t.content == rm::StageContent::screen ? "screen"
                                                                    : "document"},
                    {"content", rm::to_string(t.content)},
                    {"peer_id", t.peer_id},
                    {"user_id", t.user_id},
                    {"pinned", t.pinned},
                    {"speaking", t.speaking},
                    {"has_video", t.has_video},
                    {"is_local", t.is_local}});
  }
  return dump(json{{"tiles", std::move(list)},
                   {"page", stage_.page()},
                   {"pinned", pinned ? json(*pinned) : json(nullptr)},
                   {"pinned_by_user", stage_.pinned_by_user() ? json(*stage_.pinned_by_user()) : json(nullptr)}});
}

namespace {

json report_json(const rm::LinkReport& report) {
  return {{"quality", rm::to_string(report.quality)},
          {"path", report.path},
          {"relayed", report.relayed},
          {"rtt_ms", report.rtt_ms ? json(*report.rtt_ms) : json(nullptr)},
          {"loss_percent", report.loss_percent},
          {"in_bps", report.in_bps},
          {"out_bps", report.out_bps}};
}

}  // namespace

std::string CallBridge::link_stats(std::string_view samples_json) {
  const json parsed = json::parse(samples_json, nullptr, false);
  json out = json::object();
  if (!parsed.is_object()) return out.dump();
  std::map<std::string, rm::LinkQuality> kept;
  for (auto it = parsed.begin(); it != parsed.end(); ++it) {
    if (!it.value().is_object()) continue;
    Reader r{it.value(), {}};
    rm::StatsSample sample;
    sample.at_ms = static_cast<std::int64_t>(r.number("at_ms"));
    if (r.field("rtt_ms")) sample.rtt_ms = r.number("rtt_ms");
    if (r.field("available_out_bps")) sample.available_out_bps = r.number("available_out_bps");
    sample.packets_received = static_cast<std::uint64_t>(std::max(0.0, r.number("packets_received")));
    sample.packets_lost = static_cast<std::int64_t>(r.number("packets_lost"));
    sample.bytes_received = static_cast<std::uint64_t>(std::max(0.0, r.number("bytes_received")));
    sample.bytes_sent = static_cast<std::uint64_t>(std::max(0.0, r.number("bytes_sent")));
    sample.local_candidate_type = r.text("local_candidate_type");
    sample.remote_candidate_type = r.text("remote_candidate_type");
    if (!r.problem.empty()) continue;  // a sample we cannot read is skipped, the link keeps its last report
    auto& quality = kept[it.key()];
    if (const auto found = qualities_.find(it.key()); found != qualities_.end()) quality = std::move(found->second);
    out[it.key()] = report_json(quality.update(sample));
  }
  qualities_ = std::move(kept);
  return out.dump();
}

}  // namespace mehfil::bindings
