// Embind face of the call engine (mehfil-core.mjs): one CallBridge per call (and one LobbyBridge per
// page that rings), addressed by an integer handle, so JS never holds a C++ object (nothing to .delete(), nothing to leak when a page forgets
// to destroy a call). The layout engine's functions come from layout_module.cpp, linked into the
// same module, so one wasm file serves a whole call. room_module_post.js wraps both for JS.
//
// The build has no C++ exceptions: every function answers with text, and bad input comes back as a
// `rejected` command (room_bridge.h).
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <emscripten/bind.h>
#include <nlohmann/json.hpp>

#include "lobby_bridge.h"
#include "room_bridge.h"
#include "protocol/validation.h"

namespace {

using mehfil::bindings::CallBridge;

std::map<int, std::unique_ptr<CallBridge>> calls;
int next_handle = 1;

CallBridge* find(int handle) {
  const auto found = calls.find(handle);
  return found == calls.end() ? nullptr : found->second.get();
}

const std::string kNoCall = R"([{"type":"rejected","reason":"no such call"}])";

int room_create() {
  const int handle = next_handle++;
  calls.emplace(handle, std::make_unique<CallBridge>());
  return handle;
}

void room_destroy(int handle) { calls.erase(handle); }

// now_ms arrives as a double (a JS number); the core counts whole milliseconds.
std::string room_event(int handle, const std::string& event_json, double now_ms) {
  CallBridge* call = find(handle);
  return call ? call->handle_event(event_json, static_cast<std::int64_t>(now_ms)) : kNoCall;
}

std::string room_server_frame(int handle, const std::string& frame, double now_ms) {
  CallBridge* call = find(handle);
  return call ? call->handle_server_frame(frame, static_cast<std::int64_t>(now_ms)) : kNoCall;
}

std::string room_media_start(int handle, bool camera) {
  CallBridge* call = find(handle);
  return call ? call->media_start(camera) : std::string("{}");
}

std::string room_media_event(int handle, const std::string& name) {
  CallBridge* call = find(handle);
  return call ? call->media_event(name) : std::string("{}");
}

std::string room_snapshot(int handle) {
  CallBridge* call = find(handle);
  return call ? call->snapshot() : std::string("null");
}

std::string room_actions_on(int handle, const std::string& user_id) {
  CallBridge* call = find(handle);
  return call ? call->actions_on(user_id) : std::string(R"({"on":[],"room":[]})");
}

std::string room_speaking(int handle, const std::string& levels_json, double now_ms) {
  CallBridge* call = find(handle);
  return call ? call->speaking(levels_json, static_cast<std::int64_t>(now_ms)) : std::string(R"({"speaking":[],"active":null})");
}

std::string room_stage(int handle) {
  CallBridge* call = find(handle);
  return call ? call->stage() : std::string(R"({"tiles":[],"page":0,"pinned":null,"pinned_by_user":null})");
}

std::string room_link_stats(int handle, const std::string& samples_json) {
  CallBridge* call = find(handle);
  return call ? call->link_stats(samples_json) : std::string("{}");
}

// The lobby (lobby_bridge.h): one per page, by handle like the calls.
std::map<int, std::unique_ptr<mehfil::bindings::LobbyBridge>> lobbies;

int lobby_create() {
  const int handle = next_handle++;
  lobbies.emplace(handle, std::make_unique<mehfil::bindings::LobbyBridge>());
  return handle;
}

void lobby_destroy(int handle) { lobbies.erase(handle); }

std::string lobby_event(int handle, const std::string& event_json, double now_ms) {
  const auto found = lobbies.find(handle);
  return found == lobbies.end() ? kNoCall : found->second->handle_event(event_json, static_cast<std::int64_t>(now_ms));
}

std::string lobby_server_frame(int handle, const std::string& frame, double now_ms) {
  const auto found = lobbies.find(handle);
  return found == lobbies.end() ? kNoCall : found->second->handle_server_frame(frame, static_cast<std::int64_t>(now_ms));
}

// The code editor's rule for a file name (protocol/validation.h, TextRule::file_name): what is wrong
// with `name`, as a sentence, or "" when it is a good name.
std::string file_name_problem(const std::string& name) {
  const auto problem = mehfil::protocol::check_text(mehfil::protocol::TextRule::file_name, name);
  return problem ? "A file name " + std::string(problem->what) + "." : std::string();
}

// The reactions a room takes (protocol::kReactions), in the picker's order, as a JSON array.
std::string reactions() {
  nlohmann::json list = nlohmann::json::array();
  for (const std::string_view emoji : mehfil::protocol::kReactions) list.push_back(std::string(emoji));
  return list.dump();
}

// Why someone may be reported (protocol::kReportReasons), in the dialog's order, as a JSON array.
std::string report_reasons() {
  nlohmann::json list = nlohmann::json::array();
  for (const std::string_view reason : mehfil::protocol::kReportReasons) list.push_back(std::string(reason));
  return list.dump();
}

}  // namespace

EMSCRIPTEN_BINDINGS(mehfil_room) {
  emscripten::function("fileNameProblem", &file_name_problem);
  emscripten::function("reactions", &reactions);
  emscripten::function("reportReasons", &report_reasons);
  emscripten::function("roomCreate", &room_create);
  emscripten::function("roomDestroy", &room_destroy);
  emscripten::function("roomEvent", &room_event);
  emscripten::function("roomServerFrame", &room_server_frame);
  emscripten::function("roomMediaStart", &room_media_start);
  emscripten::function("roomMediaEvent", &room_media_event);
  emscripten::function("roomSnapshot", &room_snapshot);
  emscripten::function("roomActionsOn", &room_actions_on);
  emscripten::function("roomSpeaking", &room_speaking);
  emscripten::function("roomLinkStats", &room_link_stats);
  emscripten::function("roomStage", &room_stage);
  emscripten::function("lobbyCreate", &lobby_create);
  emscripten::function("lobbyDestroy", &lobby_destroy);
  emscripten::function("lobbyEvent", &lobby_event);
  emscripten::function("lobbyServerFrame", &lobby_server_frame);
}
