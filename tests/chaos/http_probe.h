// Blocking HTTP on 127.0.0.1 for the chaos test: the REST setup, and a thread that asks /healthz
// every second and remembers when each probe started, ended and whether it was answered.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "chaos_common.h"

namespace chaos {

struct HttpAnswer {
  bool reached = false;  // a whole response came back in time
  unsigned status = 0;
  std::string body;
  std::string failure;  // why not, when !reached
};

// One request on a fresh connection, given up after `timeout`.
HttpAnswer http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body = {}, const std::string& token = {},
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

// POST with a JSON body; throws std::runtime_error unless the answer is 2xx JSON.
nlohmann::json post_json(unsigned short port, const std::string& target, const nlohmann::json& body,
                         const std::string& token = {});

class HealthPoller {
 public:
  struct Probe {
    Clock::time_point started, ended;
    bool ok = false;
    double ms = 0;
    std::string failure;
  };
  HealthPoller(unsigned short port, std::chrono::milliseconds timeout);
  ~HealthPoller();
  void stop();
  std::vector<Probe> probes();

 private:
  unsigned short port_;
  std::chrono::milliseconds timeout_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<Probe> probes_;
  std::thread thread_;
};

}  // namespace chaos
