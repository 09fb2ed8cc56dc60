// mehfil-server as a child process that can be killed with SIGKILL, as a crash would, and started
// again on the same database and port. Its output goes to a log file in the work folder, so
// nothing blocks on a full pipe and a crash leaves something to read.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace chaos {

class ServerChild {
 public:
  // Starts the server on a free port (--port 0); `flags` follow --port, --db and --web.
  ServerChild(std::string binary, std::string db, std::string web, std::string log, std::vector<std::string> flags);
  ~ServerChild();
  ServerChild(const ServerChild&) = delete;
  ServerChild& operator=(const ServerChild&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }

  void kill_hard();  // SIGKILL and reap
  void restart();    // kill_hard if running, then start on the same port; throws if it will not come up
  void stop();       // SIGTERM, then SIGKILL after a few seconds
  // True once when the server exited without being told to; `why` says how.
  bool exited_on_its_own(std::string& why);
  std::string log_tail(std::size_t bytes) const;
  // CPU seconds the server processes used, the running one included (not those that crashed).
  double cpu_seconds() const;

 private:
  void start(unsigned short port);
  std::string binary_, db_, web_, log_;
  std::vector<std::string> flags_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  double cpu_of_earlier_ = 0;
};

// The flags of `wanted` (each "--name" with its value) that `binary --help` lists; the rest are
// printed as skipped, so the test still runs against a server that predates some of them.
std::vector<std::string> flags_the_server_knows(const std::string& binary, const std::vector<std::string>& wanted);

}  // namespace chaos
