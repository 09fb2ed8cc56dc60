// Blocking HTTP and the /healthz poller (http_probe.h).
#include "http_probe.h"

#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace chaos {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpAnswer http_request(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
                        const std::string& token, std::chrono::milliseconds timeout) {
  HttpAnswer answer;
  net::io_context io;
  beast::tcp_stream stream(io);
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  beast::error_code failed;
  // Asynchronous, so one deadline covers connect, write and read.
  stream.expires_after(timeout);
  stream.async_connect(tcp::endpoint(net::ip::address_v4::loopback(), port), [&](beast::error_code ec) {
    if (ec) {
      failed = ec;
      return;
    }
    http::async_write(stream, request, [&](beast::error_code ec2, std::size_t) {
      if (ec2) {
        failed = ec2;
        return;
      }
      http::async_read(stream, buffer, response, [&](beast::error_code ec3, std::size_t) {
        if (ec3) failed = ec3;
        else answer.reached = true;
      });
    });
  });
  io.run();
  if (!answer.reached) {
    answer.failure = failed ? failed.message() : "no answer";
    return answer;
  }
  answer.status = response.result_int();
  answer.body = std::move(response.body());
  return answer;
}

nlohmann::json post_json(unsigned short port, const std::string& target, const nlohmann::json& body, const std::string& token) {
  const HttpAnswer answer = http_request(port, "POST", target, body.dump(), token, std::chrono::milliseconds(15000));
  if (!answer.reached) throw std::runtime_error("POST " + target + ": " + answer.failure);
  if (answer.status < 200 || answer.status >= 300) {
    throw std::runtime_error("POST " + target + " answered " + std::to_string(answer.status) + ": " + answer.body);
  }
  auto parsed = nlohmann::json::parse(answer.body, nullptr, false);
  if (parsed.is_discarded()) throw std::runtime_error("POST " + target + " answered no JSON: " + answer.body);
  return parsed;
}

HealthPoller::HealthPoller(unsigned short port, std::chrono::milliseconds timeout) : port_(port), timeout_(timeout) {
  thread_ = std::thread([this] {
    auto next = Clock::now();
    while (!stopping_) {
      Probe probe;
      probe.started = Clock::now();
      const HttpAnswer answer = http_request(port_, "GET", "/healthz", {}, {}, timeout_);
      probe.ended = Clock::now();
      probe.ms = std::chrono::duration<double, std::milli>(probe.ended - probe.started).count();
      probe.ok = answer.reached && answer.status == 200;
      if (!probe.ok) probe.failure = answer.reached ? "status " + std::to_string(answer.status) : answer.failure;
      {
        std::lock_guard lock(mutex_);
        probes_.push_back(probe);
      }
      next += std::chrono::seconds(1);
      while (!stopping_ && Clock::now() < next) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (Clock::now() > next + std::chrono::seconds(1)) next = Clock::now();  // a slow probe: no burst to catch up
    }
  });
}

HealthPoller::~HealthPoller() { stop(); }

void HealthPoller::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

std::vector<HealthPoller::Probe> HealthPoller::probes() {
  std::lock_guard lock(mutex_);
  return probes_;
}

}  // namespace chaos
