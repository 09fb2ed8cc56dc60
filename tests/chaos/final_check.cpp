// The fresh joiner's check (final_check.h).
#include "final_check.h"

#include <map>
#include <set>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace chaos {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using nlohmann::json;

// One socket, driven to a deadline at a time.
class Socket {
 public:
  explicit Socket(unsigned short port) : port_(port), ws_(io_) {}

  std::string open(const std::string& token, Clock::time_point deadline) {
    beast::error_code failed;
    bool done = false;
    beast::get_lowest_layer(ws_).expires_at(deadline);
    beast::get_lowest_layer(ws_).async_connect(tcp::endpoint(net::ip::address_v4::loopback(), port_), [&](beast::error_code ec) {
      if (ec) {
        failed = ec;
        done = true;
        return;
      }
      ws_.async_handshake("127.0.0.1:" + std::to_string(port_), "/ws?token=" + token, [&](beast::error_code ec2) {
        failed = ec2;
        done = true;
      });
    });
    io_.run();
    io_.restart();
    beast::get_lowest_layer(ws_).expires_never();
    ws_.read_message_max(64 * 1024 * 1024);
    if (!done) return "no connection";
    return failed ? failed.message() : "";
  }

  // The next frame, or nothing at the deadline or when the socket ends (`ended` says which).
  std::optional<std::string> read(Clock::time_point deadline, bool& ended) {
    std::optional<std::string> frame;
    bool done = false;
    ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) {
      done = true;
      if (ec) {
        ended = true;
        return;
      }
      frame = beast::buffers_to_string(buffer_.data());
      buffer_.consume(buffer_.size());
    });
    io_.run_until(deadline);
    if (!done) {
      beast::error_code ignored;
      beast::get_lowest_layer(ws_).socket().close(ignored);
      io_.run();  // the read completes, cancelled
      ended = true;
      frame.reset();
    }
    io_.restart();
    return frame;
  }

  void write(const std::string& text) {
    beast::error_code ignored;
    ws_.write(net::buffer(text), ignored);
  }

  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  unsigned short port_;
  net::io_context io_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
};

struct HistoryEntry {
  std::string client_msg_id, text;
  std::int64_t sent_at = 0;
};

template <class Container>
std::string first_few(const Container& ids) {
  std::string text;
  std::size_t n = 0;
  for (const auto& id : ids) {
    if (n++ == 3) return text + ", ...";
    text += (text.empty() ? "" : ", ") + id;
  }
  return text;
}

}  // namespace

RoomVerdict check_room(unsigned short port, const RoomInfo& room, const UserInfo& fresh, const Ledger& ledger) {
  RoomVerdict verdict;
  const auto full_until = Clock::now() + std::chrono::seconds(10);  // members left over from before may still hold seats
  std::map<std::string, ElementState> board;
  std::vector<HistoryEntry> history;
  for (;;) {
    board.clear();
    history.clear();
    Socket socket(port);
    const auto started = Clock::now();
    const auto deadline = started + std::chrono::seconds(10);
    if (const std::string problem = socket.open(fresh.token, deadline); !problem.empty()) {
      verdict.join_problem = "could not open a WebSocket: " + problem;
      return verdict;
    }
    json join = {{"type", "room:join"}, {"id", 1}, {"room_code", room.code}};
    if (room.password) join["password"] = *room.password;
    bool ended = false, joined = false, answered = false;
    std::string refused;
    Clock::time_point join_sent = Clock::now();
    while (!answered) {
      const auto frame = socket.read(deadline, ended);
      if (!frame) break;
      const json m = json::parse(*frame, nullptr, false);
      const std::string type = m.is_object() ? m.value("type", "") : "";
      if (type == "hello") {
        join_sent = Clock::now();
        socket.write(join.dump());
      } else if (type == "room:joined") {
        joined = true;
        verdict.join_ms = std::chrono::duration<double, std::milli>(Clock::now() - join_sent).count();
        for (const json& c : m.value("chat", json::array())) {  // the protocol before history moved to frames
          history.push_back({c.value("client_msg_id", ""), c.value("text", ""), c.value("sent_at", std::int64_t{0})});
        }
      } else if (type == "chat:message" && joined) {
        history.push_back({m.value("client_msg_id", ""), m.value("text", ""), m.value("sent_at", std::int64_t{0})});
      } else if (type == "wb:ops" && m.value("from", "") == "server") {
        for (const json& op : m.value("ops", json::array())) board[op.value("id", "")] = {op.value("version", std::int64_t{0}), op.value("deleted", false)};
      } else if (type == "ack" && m.value("id", json()) == json(1)) {
        answered = true;
      } else if (type == "error" && m.value("ref", json()) == json(1)) {
        answered = true;
        refused = m.value("code", "?");
      }
    }
    if (!answered) {
      verdict.join_problem = ended ? "the socket ended before the join was answered" : "no answer to room:join within 10 s";
      return verdict;
    }
    if (refused == "room_full") {
      verdict.joinable = true;  // a full room is a working room
      if (Clock::now() < full_until) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      verdict.stayed_full = true;
      return verdict;
    }
    if (!refused.empty()) {
      verdict.join_problem = "room:join refused: " + refused;
      return verdict;
    }
    if (!joined) {
      verdict.join_problem = "ack for room:join without room:joined";
      return verdict;
    }
    // Whatever trails the ack (history pages queued behind it), until the socket is quiet.
    for (bool quiet_ended = false; !quiet_ended;) {
      const auto frame = socket.read(Clock::now() + std::chrono::milliseconds(500), quiet_ended);
      if (!frame) break;
      const json m = json::parse(*frame, nullptr, false);
      const std::string type = m.is_object() ? m.value("type", "") : "";
      if (type == "chat:message") history.push_back({m.value("client_msg_id", ""), m.value("text", ""), m.value("sent_at", std::int64_t{0})});
      if (type == "wb:ops" && m.value("from", "") == "server") {
        for (const json& op : m.value("ops", json::array())) board[op.value("id", "")] = {op.value("version", std::int64_t{0}), op.value("deleted", false)};
      }
    }
    socket.close();
    verdict.joinable = true;
    break;
  }
  verdict.content_checked = true;
  verdict.board_elements = board.size();
  verdict.history = history.size();

  // The board: every acknowledged element at its acknowledged version or a later one (a later
  // edit may have been stored with its ack lost to a kill), and at that version erased or not as
  // acknowledged; nothing from a refused batch. An erased element may come as a tombstone or not
  // at all.
  std::vector<std::string> missing, older, deleted, alive, leaked;
  if (const auto acked = ledger.elements.find(room.code); acked != ledger.elements.end()) {
    for (const auto& [id, state] : acked->second) {
      const auto at = board.find(id);
      if (at == board.end()) {
        if (!state.deleted) missing.push_back(id);
      } else if (at->second.version < state.version) {
        older.push_back(id + " v" + std::to_string(at->second.version) + " < v" + std::to_string(state.version));
      } else if (at->second.version == state.version && at->second.deleted != state.deleted) {
        (state.deleted ? alive : deleted).push_back(id);
      }
    }
  }
  if (const auto refused = ledger.refused_elements.find(room.code); refused != ledger.refused_elements.end()) {
    for (const std::string& id : refused->second) {
      if (board.count(id)) leaked.push_back(id);
    }
  }
  if (!missing.empty()) verdict.board_problems.push_back(std::to_string(missing.size()) + " acknowledged elements missing (" + first_few(missing) + ")");
  if (!older.empty()) verdict.board_problems.push_back(std::to_string(older.size()) + " acknowledged edits lost (" + first_few(older) + ")");
  if (!deleted.empty()) verdict.board_problems.push_back(std::to_string(deleted.size()) + " acknowledged elements erased though nobody erased them (" + first_few(deleted) + ")");
  if (!alive.empty()) verdict.board_problems.push_back(std::to_string(alive.size()) + " acknowledged erasures undone (" + first_few(alive) + ")");
  if (!leaked.empty()) verdict.board_problems.push_back(std::to_string(leaked.size()) + " elements of refused batches on the board (" + first_few(leaked) + ")");

  // The chat: no message twice; every acknowledged one within the window. A full window starts at
  // its oldest message: an acked message sent after that was stamped after it and must be inside.
  // (Only the acknowledged messages are unique by client_msg_id: invalid sends reuse theirs.)
  std::set<std::string> acked_ids;
  if (const auto acked = ledger.chats.find(room.code); acked != ledger.chats.end()) {
    for (const AckedChat& c : acked->second) acked_ids.insert(c.client_msg_id);
  }
  std::map<std::string, int> seen;
  std::vector<std::string> twice;
  std::int64_t oldest = history.empty() ? 0 : history.front().sent_at;
  for (const HistoryEntry& h : history) {
    if (++seen[h.client_msg_id + "\n" + h.text] == 2 && acked_ids.count(h.client_msg_id)) twice.push_back(h.client_msg_id);
    oldest = std::min(oldest, h.sent_at);
  }
  const bool window_full = history.size() >= kHistoryWindow;
  std::vector<std::string> lost;
  std::size_t expected = 0;
  if (const auto acked = ledger.chats.find(room.code); acked != ledger.chats.end()) {
    for (const AckedChat& c : acked->second) {
      if (window_full && c.sent_ms <= oldest) continue;  // may have scrolled out of the window
      ++expected;
      if (!seen.count(c.client_msg_id + "\n" + c.text)) lost.push_back(c.client_msg_id);
    }
  }
  if (!lost.empty()) {
    verdict.chat_problems.push_back(std::to_string(lost.size()) + " of " + std::to_string(expected) +
                                    " acknowledged messages missing from the history of " + std::to_string(history.size()) +
                                    " (" + first_few(lost) + ")");
  }
  if (!twice.empty()) verdict.chat_problems.push_back(std::to_string(twice.size()) + " messages twice in the history (" + first_few(twice) + ")");
  return verdict;
}

}  // namespace chaos
