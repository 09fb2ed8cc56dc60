// One chaos client: a user with a WebSocket to the server that, on a random tick, does something a
// real or a broken client might do (chaos_client.cpp lists the actions and their weights), and
// notes in the Ledger every ack the server sends. When its socket goes away (the server was
// killed, dropped it, or the client dropped it on purpose) it reconnects and resumes its room
// with the resume token. All clients run on one io_context thread.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "chaos_common.h"

namespace chaos {

struct World {
  boost::asio::io_context& io;
  boost::asio::ip::tcp::endpoint endpoint;  // 127.0.0.1 and the server's port, the same across restarts
  const std::vector<RoomInfo>& rooms;
  Ledger& ledger;
};

class ChaosClient : public std::enable_shared_from_this<ChaosClient> {
 public:
  // `home_room`: the room this client joins first (its creator joins it as the host).
  ChaosClient(World& world, UserInfo user, std::uint64_t seed, std::optional<std::size_t> home_room);
  void start(std::chrono::milliseconds after);
  void stop();  // no more actions and no reconnecting; the socket is closed

 private:
  struct Out {
    std::string data;
    bool binary = false;
  };
  struct Conn {
    explicit Conn(boost::asio::io_context& io) : ws(io) {}
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws;
    boost::beast::flat_buffer buffer;
    std::deque<Out> queue;
    bool writing = false;
    bool ready = false;    // hello came
    bool dead = false;     // lost or dropped: handlers still in flight ignore it
    bool paused = false;   // not reading on purpose
    bool reading = false;  // a read is in flight
    bool closing = false;  // the client started a close handshake
  };
  enum class Kind { join, chat, wb, other };
  struct Pending {
    Kind kind = Kind::other;
    std::string room;
    std::string client_msg_id, text;
    std::int64_t sent_ms = 0;
    std::vector<std::pair<std::string, ElementState>> elements;  // wb:ops: what each op set
  };

  void connect();
  void reconnect_after(std::chrono::milliseconds delay);
  void lost(const std::shared_ptr<Conn>& conn, const std::string& cause, std::chrono::milliseconds retry_after);
  void read(const std::shared_ptr<Conn>& conn);
  void on_frame(std::string_view frame);
  void on_message(const nlohmann::json& message);
  void forget_room();
  void send(std::string data, bool binary = false);
  void write(const std::shared_ptr<Conn>& conn);
  bool idle_socket() const;  // open, nothing queued or being written: a raw action may use it

  void arm_tick();
  void tick();
  void act_in_room();
  void act_outside();
  void act(const std::string& kind);
  void rest_join(const RoomInfo& room, bool then_socket);
  void join(const RoomInfo& room, std::optional<std::string> password, std::optional<std::string> resume_token);
  void send_chat();
  void send_invalid_chat();
  void send_board_ops();
  void edit_own_element();
  void send_invalid_board_ops();
  void host_action(bool kick);
  void close_and_resume(bool graceful);
  void drop_mid_write();
  void stop_reading();

  std::int64_t request(Pending pending);  // a fresh request id, remembered until answered
  nlohmann::json stroke(const std::string& element_id, std::int64_t version = 1);
  std::string other_user_id();
  int pick(std::initializer_list<int> weights);
  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  World& w_;
  UserInfo user_;
  std::mt19937_64 rng_;
  std::optional<std::size_t> home_room_;
  boost::asio::steady_timer tick_timer_, reconnect_timer_, pause_timer_;
  std::shared_ptr<Conn> conn_;
  bool stopped_ = false;

  std::int64_t next_request_ = 1;
  std::map<std::int64_t, Pending> pending_;
  std::optional<std::string> room_;     // the room the server has this socket in
  std::optional<std::string> joining_;  // a room:join is out, not answered yet
  Clock::time_point join_sent_, next_join_;
  std::string join_kind_;
  std::optional<std::string> resume_room_;  // rejoin this after reconnecting
  std::map<std::string, std::string> resume_tokens_;
  std::set<std::string> kicked_from_;
  std::string host_user_id_;
  std::map<std::string, std::string> peers_;  // the others in room_: peer_id -> user_id
  std::uint64_t chat_n_ = 0, element_n_ = 0, refused_n_ = 0;
  std::map<std::string, std::vector<std::string>> mine_;  // room -> ids of this client's acked elements
  std::map<std::string, std::int64_t> sent_version_;      // element id -> the highest version sent
};

}  // namespace chaos
