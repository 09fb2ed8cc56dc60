// What the chaos test's parts share: the rooms it made, and the ledger of what the server
// acknowledged, refused and did, which the final check holds the restarted server to.
// Everything here is touched by the one client I/O thread only, and read by the main thread
// after that thread has stopped.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace chaos {

using Clock = std::chrono::steady_clock;

inline std::int64_t system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The q-quantile (0..1) of the values, or 0 when there are none.
inline double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(at, values.size() - 1)];
}

struct RoomInfo {
  std::string code;
  std::optional<std::string> password;
  int max_participants = 10;
  std::string creator_user_id;
};

struct UserInfo {
  std::string user_id;
  std::string name;
  std::string token;
};

// A chat message the server acknowledged. `sent_ms` is the system clock when it was sent: the
// server stamps it later than that, so it is a lower bound of the message's place in the history.
struct AckedChat {
  std::string client_msg_id;
  std::string text;
  std::int64_t sent_ms = 0;
};

// A board element as the server last acknowledged it from its author.
struct ElementState {
  std::int64_t version = 1;
  bool deleted = false;
};

struct Ledger {
  // What the server acknowledged, per room: it must all be there after the last restart.
  std::map<std::string, std::vector<AckedChat>> chats;
  std::map<std::string, std::map<std::string, ElementState>> elements;  // room -> id -> the newest acked state
  // Elements that rode in a wb:ops batch the server had to refuse whole: none may ever show up.
  std::map<std::string, std::set<std::string>> refused_elements;

  std::map<std::string, std::uint64_t> actions;  // by kind, as the clients chose them
  std::map<std::string, std::uint64_t> errors;   // error frames by code
  std::map<std::string, std::string> error_samples;  // the first message of each code
  std::map<std::string, std::uint64_t> events;   // what happened to connections
  std::uint64_t chat_acks = 0, wb_acks = 0, wb_elements_acked = 0, join_acks = 0, other_acks = 0;
  std::uint64_t unanswered = 0;  // requests whose socket went away before an answer came
  std::map<std::string, std::vector<double>> join_ms;  // room:join sent -> room:joined, by kind of join

  std::uint64_t frames = 0;       // frames from the server
  std::uint64_t undecodable = 0;  // ...that the protocol codec refused
  std::vector<std::string> undecodable_samples;

  void count(std::map<std::string, std::uint64_t>& in, const std::string& key) { ++in[key]; }
};

}  // namespace chaos
