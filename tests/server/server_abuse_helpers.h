// Small helpers shared by the abuse, authority and storage tests (server_*_test.cpp): a request's
// answer by id, a join that collects everything up to its ack, whiteboard elements of a chosen size.
#pragma once

#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server_fixture.h"

namespace server_test {

using std::chrono::milliseconds;

// The answer to the request with this id: its ack or its error (`ref`). Other frames are kept in
// `others` when given. Nothing if no answer came in time or the socket closed.
inline std::optional<json> answer(WsClient& client, const json& id, std::vector<json>* others = nullptr,
                                  milliseconds within = milliseconds(8000)) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (true) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto frame = client.receive(left);
    if (!frame) return std::nullopt;
    const std::string type = frame->value("type", "");
    if ((type == "ack" && frame->value("id", json()) == id) || (type == "error" && frame->value("ref", json()) == id)) {
      return frame;
    }
    if (others) others->push_back(*frame);
  }
}

// Sends `message` with this id and returns its answer.
inline std::optional<json> request(WsClient& client, json message, const json& id, std::vector<json>* others = nullptr,
                                   milliseconds within = milliseconds(8000)) {
  message["id"] = id;
  client.send(message);
  return answer(client, id, others, within);
}

inline std::string answer_code(const std::optional<json>& reply) {
  if (!reply) return "no answer";
  if ((*reply)["type"] == "ack") return "ack";
  return reply->value("code", "error without a code");
}

// A join with an id, and everything the server sent between room:joined and the join's ack.
struct Snapshot {
  json joined;               // room:joined, the error, or {"type": "timeout"}
  std::vector<json> frames;  // in order, after room:joined and before the ack
  bool acked = false;
};

inline Snapshot join_and_collect(WsClient& client, const std::string& room_code,
                                 const std::optional<std::string>& password = std::nullopt,
                                 milliseconds per_frame = milliseconds(8000)) {
  json message = {{"type", "room:join"}, {"room_code", room_code}, {"id", "join"}};
  if (password) message["password"] = *password;
  client.send(message);
  Snapshot snapshot;
  snapshot.joined = {{"type", "timeout"}};
  bool joined = false;
  while (auto frame = client.receive(per_frame)) {
    const std::string type = frame->value("type", "");
    if (!joined) {
      if (type == "room:joined") {
        snapshot.joined = *frame;
        client.peer_id = (*frame)["self"]["peer_id"];
        joined = true;
      } else if (type == "error" && frame->value("ref", json()) == "join") {
        snapshot.joined = *frame;
        return snapshot;
      }
      continue;
    }
    if (type == "ack" && frame->value("id", json()) == "join") {
      snapshot.acked = true;
      return snapshot;
    }
    snapshot.frames.push_back(*frame);
  }
  return snapshot;
}

// The board as a joiner received it: element id -> the element, from the wb:ops frames of a snapshot.
inline std::map<std::string, json> board_of(const std::vector<json>& frames, bool* all_from_server = nullptr) {
  std::map<std::string, json> board;
  if (all_from_server) *all_from_server = true;
  for (const json& frame : frames) {
    if (frame.value("type", "") != "wb:ops") continue;
    if (all_from_server && frame.value("from", "") != "server") *all_from_server = false;
    for (const json& op : frame["ops"]) board[op["id"]] = op;
  }
  return board;
}

inline std::vector<json> of_type(const std::vector<json>& frames, const std::string& type) {
  std::vector<json> found;
  for (const json& frame : frames) {
    if (frame.value("type", "") == type) found.push_back(frame);
  }
  return found;
}

// A two-point line, about 200 bytes as stored.
inline json line_op(const std::string& id, std::int64_t version = 1, bool deleted = false) {
  return {{"id", id},           {"kind", "line"},       {"points", {0, 0, 100, 50}}, {"version", version},
          {"version_nonce", 7}, {"deleted", deleted}, {"z", "a0"}};
}

// A freehand stroke of `numbers` coordinates (half as many points), about 9.5 bytes a number on
// the wire: 5,000 numbers make a 47 KB element, the largest a client may send.
inline json stroke_op(const std::string& id, int numbers = 5000) {
  json points = json::array();
  for (int i = 0; i < numbers / 2; ++i) {
    points.push_back(100000.5 + i);
    points.push_back(-200000.5 - i);
  }
  return {{"id", id}, {"kind", "freehand"}, {"points", std::move(points)}, {"version", 1}, {"version_nonce", 7},
          {"deleted", false}, {"z", "a0"}};
}

// The header's value, whatever case the server spelled its name in.
inline std::optional<std::string> header(const HttpResult& result, const std::string& name) {
  for (const auto& [key, value] : result.headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < key.size(); ++i) same = same && std::tolower(key[i]) == std::tolower(name[i]);
    if (same) return value;
  }
  return std::nullopt;
}

inline std::string error_code(const HttpResult& result) {
  if (!result.body.is_object() || !result.body.contains("error")) return "";
  return result.body["error"].value("code", "");
}

// Polls `condition` every 50 ms until it holds or `within` has passed; whether it held.
template <typename Condition>
bool eventually(Condition condition, milliseconds within = milliseconds(8000)) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return condition();
}

}  // namespace server_test
