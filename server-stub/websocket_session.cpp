// One client's signaling socket (websocket_session.h).
#include "websocket_session.h"

#include "protocol/codec.h"
#include "room_hub.h"

namespace mehfil::server {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

template <class Stream>
WebSocketSession<Stream>::WebSocketSession(Stream&& stream, Claims claims, std::string address, RoomHub& hub,
                                           const ServerConfig& config, ConnectionSlot slot,
                                           std::shared_ptr<boost::asio::ssl::context> tls)
    : Connection(std::move(claims), std::move(address)),
      tls_(std::move(tls)),
      ws_(std::move(stream)),
      hub_(hub),
      config_(config),
      slot_(std::move(slot)),
      bucket_(config.messages_per_second, config.message_burst, Clock::now()),
      idle_timer_(ws_.get_executor()) {}

template <class Stream>
void WebSocketSession<Stream>::run(beast::http::request<beast::http::string_body> upgrade) {
  beast::get_lowest_layer(ws_).expires_never();  // the websocket's own timeouts take over
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = config_.handshake_timeout;
  timeouts.idle_timeout = websocket::stream_base::none();  // watch_idle pings and drops on our schedule
  timeouts.keep_alive_pings = false;
  ws_.set_option(timeouts);
  ws_.read_message_max(config_.max_message_bytes);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "mehfil");
  }));
  ws_.control_callback([this](websocket::frame_type, beast::string_view) { heard(); });
  ws_.async_accept(upgrade, [self = this->shared_from_this()](beast::error_code ec) {
    if (ec) return;
    self->open_ = true;
    self->last_heard_ = Clock::now();
    self->hub_.connected(self);
    self->watch_idle();
    self->read();
  });
}

template <class Stream>
void WebSocketSession<Stream>::read() {
  ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) { self->on_read(ec, bytes); });
}

template <class Stream>
void WebSocketSession<Stream>::on_read(beast::error_code ec, std::size_t) {
  if (ec) return finish();  // closed, reset, too big (Beast already sent 1009), or dropped by us
  heard();
  if (ending_) return next_frame();  // its session is over: nothing it sends counts
  // A flat_buffer is one contiguous block: decode straight from it; next_frame() lets it go.
  const std::string_view frame(static_cast<const char*>(buffer_.data().data()), buffer_.size());

  if (!bucket_.take(last_heard_)) {
    if (bucket_.overdraft() > config_.overdraft_before_close) return close(websocket::close_code::policy_error);
    send(std::make_shared<const std::string>(protocol::encode(
        protocol::server::ErrorReply{protocol::ErrorCode::rate_limited, "Too many messages: slow down.", std::nullopt})));
    return next_frame();
  }
  if (!ws_.got_text()) {
    send(std::make_shared<const std::string>(protocol::encode(
        protocol::server::ErrorReply{protocol::ErrorCode::bad_request, "Frames must be text (JSON).", std::nullopt})));
    return next_frame();
  }
  const auto decoded = protocol::decode_client(frame);
  if (!decoded.ok()) {
    send(std::make_shared<const std::string>(protocol::encode(protocol::error_reply(decoded))));
  } else {
    hub_.handle(this->shared_from_this(), *decoded.message, decoded.id);
  }
  next_frame();
}

template <class Stream>
void WebSocketSession<Stream>::next_frame() {
  buffer_.consume(buffer_.size());
  if (open_) read();
}

template <class Stream>
void WebSocketSession<Stream>::send(Frame frame) {
  if (!open_ || ending_) return;
  if (queued_bytes_ + frame->size() > config_.max_queued_bytes) return drop();  // a reader this slow is gone
  queued_bytes_ += frame->size();
  queue_.push_back({std::move(frame), true});
  if (!writing_) write();
}

template <class Stream>
void WebSocketSession<Stream>::send_history(const std::vector<Frame>& pages) {
  if (!open_ || ending_) return;
  for (const Frame& page : pages) queue_.push_back({page, false});
  if (!writing_ && !queue_.empty()) write();
}

template <class Stream>
void WebSocketSession<Stream>::write() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(*queue_.front().frame),
                  [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) { self->on_write(ec, bytes); });
}

// The only place that pops: the frame just written is still the front, whatever happened meanwhile
// (finish() leaves the queue alone while a write is in flight).
template <class Stream>
void WebSocketSession<Stream>::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (queue_.front().counted) queued_bytes_ -= queue_.front().frame->size();
  queue_.pop_front();
  if (ec) return finish();
  if (!open_) return release_queue();
  if (!queue_.empty()) return write();
  if (ending_) close_with(*ending_);
}

template <class Stream>
void WebSocketSession<Stream>::release_queue() {
  queue_.clear();
  queued_bytes_ = 0;
}

template <class Stream>
void WebSocketSession<Stream>::heard() {
  last_heard_ = Clock::now();
  pinged_ = false;
}

// A silent socket gets a ping after idle_ping_after and is dropped after idle_drop_after. Any frame,
// a pong included, counts as a sign of life (heard()).
template <class Stream>
void WebSocketSession<Stream>::watch_idle() {
  const auto quiet = Clock::now() - last_heard_;
  const auto until = pinged_ ? config_.idle_drop_after : config_.idle_ping_after;
  idle_timer_.expires_after(until > quiet ? std::chrono::duration_cast<Clock::duration>(until - quiet) : Clock::duration::zero());
  idle_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
    if (ec || !self->open_) return;
    const auto silent = Clock::now() - self->last_heard_;
    if (silent >= self->config_.idle_drop_after) return self->drop();
    if (silent >= self->config_.idle_ping_after && !self->pinged_) {
      self->pinged_ = true;
      self->ws_.async_ping({}, [](beast::error_code) {});
    }
    self->watch_idle();
  });
}

template <class Stream>
void WebSocketSession<Stream>::close(websocket::close_code code) {
  if (!open_) return;
  open_ = false;
  ws_.async_close(code, [self = this->shared_from_this()](beast::error_code) { self->finish(); });
}

template <class Stream>
void WebSocketSession<Stream>::end(const std::string& reason) {
  if (!open_ || ending_) return;
  ending_ = reason;
  if (!writing_) close_with(reason);  // else on_write closes once the queue is written
  // A client that stops reading never lets the queue drain: it is dropped after kEndWithin.
  idle_timer_.expires_after(kEndWithin);
  idle_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
    if (!ec && !self->finished_) self->drop();
  });
}

template <class Stream>
void WebSocketSession<Stream>::close_with(const std::string& reason) {
  open_ = false;
  ws_.async_close(websocket::close_reason(websocket::close_code::policy_error, reason),
                  [self = this->shared_from_this()](beast::error_code) { self->finish(); });
}

template <class Stream>
void WebSocketSession<Stream>::drop() {
  open_ = false;
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).socket().close(ignored);
  finish();
}

// Once per session, however it ended: the hub forgets the socket (the member keeps its place for
// the resume grace).
template <class Stream>
void WebSocketSession<Stream>::finish() {
  open_ = false;
  idle_timer_.cancel();
  if (!writing_) release_queue();  // else on_write lets go of it when the pending write completes
  if (finished_) return;
  finished_ = true;
  hub_.disconnected(this->shared_from_this());
}

template class WebSocketSession<beast::tcp_stream>;
template class WebSocketSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace mehfil::server
