// A booking site's webhook endpoint for tests: a plain HTTP server on 127.0.0.1 (Boost.Beast, its
// own thread) that keeps every request it gets and answers each with the next status of a script
// (then 200).
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace server_test {

struct ReceivedHook {
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
};

class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::deque<unsigned> statuses = {});
  ~WebhookReceiver();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hooks"; }
  // What came so far; wait_for waits until at least `count` requests came.
  std::vector<ReceivedHook> received();
  std::vector<ReceivedHook> wait_for(std::size_t count, std::chrono::milliseconds within = std::chrono::milliseconds(10000));

 private:
  void serve();
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::mutex mutex_;
  std::deque<unsigned> statuses_;
  std::vector<ReceivedHook> received_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace server_test
