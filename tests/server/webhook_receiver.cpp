// The tests' webhook endpoint (webhook_receiver.h).
#include "webhook_receiver.h"

#include <cctype>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace server_test {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

WebhookReceiver::WebhookReceiver(std::deque<unsigned> statuses)
    : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)), statuses_(std::move(statuses)) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  beast::error_code ignored;
  // Wake the blocking accept with a connection of our own.
  tcp::socket poke(io_);
  poke.connect(acceptor_.local_endpoint(), ignored);
  thread_.join();
}

void WebhookReceiver::serve() {
  for (;;) {
    tcp::socket socket(io_);
    beast::error_code ec;
    acceptor_.accept(socket, ec);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (ec) continue;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(socket, buffer, request, ec);
    if (ec) continue;
    unsigned status = 200;
    {
      std::lock_guard lock(mutex_);
      ReceivedHook hook;
      for (const auto& field : request) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        hook.headers[name] = std::string(field.value());
      }
      hook.body = request.body();
      received_.push_back(std::move(hook));
      if (!statuses_.empty()) {
        status = statuses_.front();
        statuses_.pop_front();
      }
    }
    http::response<http::string_body> response{static_cast<http::status>(status), request.version()};
    response.body() = "ok";
    response.keep_alive(false);
    response.prepare_payload();
    http::write(socket, response, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}

std::vector<ReceivedHook> WebhookReceiver::received() {
  std::lock_guard lock(mutex_);
  return received_;
}

std::vector<ReceivedHook> WebhookReceiver::wait_for(std::size_t count, std::chrono::milliseconds within) {
  const auto until = std::chrono::steady_clock::now() + within;
  for (;;) {
    auto now = received();
    if (now.size() >= count || std::chrono::steady_clock::now() > until) return now;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace server_test
