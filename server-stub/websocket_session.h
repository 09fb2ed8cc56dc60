// WebSocketSession: one client's signaling socket (Boost.Beast), over plain TCP or TLS (ws: or
// wss:, the Stream of the HttpSession it was upgraded from). Reads one frame at a time, keeps one
// write in flight with a bounded queue behind it, and turns every frame into a typed message (the
// protocol codec) before the hub sees it. What it enforces, each with a stable error code:
//   - frames over 64 KiB: Beast closes with 1009 (message too big);
//   - binary frames: error bad_request, the connection stays;
//   - more than 50 msg/s (burst 200): error rate_limited for each frame dropped, then close (1008);
//   - a reader more than 1 MiB behind on live frames: dropped, so memory never grows without bound.
//     History pages (the board and chat a joiner catches up on, send_history) do not count: they
//     are the room's shared, quota-bounded frames, so a joiner of any room gets all of them;
//   - silence: a ping after 20 s, the socket dropped after 45 s.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <memory>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "connection.h"
#include "connection_limits.h"
#include "rate_limiter.h"
#include "server_config.h"

namespace mehfil::server {

class RoomHub;

template <class Stream>
class WebSocketSession : public Connection, public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  // `slot` is the connection's place under the connection caps, held for the socket's life; `tls`
  // the certificate context a TLS stream was made with (see HttpSession).
  WebSocketSession(Stream&& stream, Claims claims, std::string address, RoomHub& hub, const ServerConfig& config,
                   ConnectionSlot slot, std::shared_ptr<boost::asio::ssl::context> tls);

  void run(boost::beast::http::request<boost::beast::http::string_body> upgrade);

  void send(Frame frame) override;
  void send_history(const std::vector<Frame>& pages) override;
  void drop() override;
  void end(const std::string& reason) override;
  bool is_open() const override { return open_; }

 private:
  void read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void next_frame();
  void write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void heard();
  void watch_idle();
  void close(boost::beast::websocket::close_code code);
  void close_with(const std::string& reason);
  void finish();

  std::shared_ptr<boost::asio::ssl::context> tls_;  // before ws_: outlives the stream made with it
  boost::beast::websocket::stream<Stream> ws_;
  boost::beast::flat_buffer buffer_;
  RoomHub& hub_;
  const ServerConfig& config_;
  ConnectionSlot slot_;
  struct Queued {
    Frame frame;
    bool counted;  // live frames count toward max_queued_bytes; history pages do not
  };
  void release_queue();

  std::deque<Queued> queue_;    // front() is the frame being written while writing_
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool open_ = false;
  bool finished_ = false;
  std::optional<std::string> ending_;  // end(): close with this reason once the queue is written
  static constexpr std::chrono::seconds kEndWithin{5};
  TokenBucket bucket_;
  boost::asio::steady_timer idle_timer_;
  std::chrono::steady_clock::time_point last_heard_;
  bool pinged_ = false;
};

extern template class WebSocketSession<boost::beast::tcp_stream>;
extern template class WebSocketSession<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

}  // namespace mehfil::server
