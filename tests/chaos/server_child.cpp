// The server child (server_child.h).
#include "server_child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace chaos {
namespace {

using Clock = std::chrono::steady_clock;

std::string read_from(const std::string& path, std::streamoff offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(offset);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::streamoff file_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? static_cast<std::streamoff>(in.tellg()) : 0;
}

double process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  unsigned long long ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // field 3 is the state; 14 utime, 15 stime
    if (i == 14 || i == 15) ticks += std::stoull(field);
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

ServerChild::ServerChild(std::string binary, std::string db, std::string web, std::string log, std::vector<std::string> flags)
    : binary_(std::move(binary)), db_(std::move(db)), web_(std::move(web)), log_(std::move(log)), flags_(std::move(flags)) {
  start(0);
}

ServerChild::~ServerChild() { stop(); }

void ServerChild::start(unsigned short port) {
  const std::streamoff offset = file_size(log_);
  std::vector<std::string> args = {binary_, "--port", std::to_string(port), "--db", db_, "--web", web_};
  args.insert(args.end(), flags_.begin(), flags_.end());
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
    const int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    std::perror("exec mehfil-server");
    _exit(127);
  }
  // "mehfil-server listening on http://127.0.0.1:PORT/"
  const std::string prefix = "listening on http://127.0.0.1:";
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    const std::string seen = read_from(log_, offset);
    if (const auto at = seen.find(prefix); at != std::string::npos && seen.find('/', at + prefix.size()) != std::string::npos) {
      port_ = static_cast<unsigned short>(std::strtoul(seen.c_str() + at + prefix.size(), nullptr, 10));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("the server exited while starting; it printed: " + seen);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_hard();
  throw std::runtime_error("the server did not say where it listens within 30 s; it printed: " + read_from(log_, offset));
}

double ServerChild::cpu_seconds() const { return cpu_of_earlier_ + (pid_ > 0 ? process_cpu_seconds(pid_) : 0); }

void ServerChild::kill_hard() {
  if (pid_ <= 0) return;
  cpu_of_earlier_ += process_cpu_seconds(pid_);
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ServerChild::restart() {
  kill_hard();
  start(port_);
}

void ServerChild::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (waitpid(pid_, nullptr, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
}

bool ServerChild::exited_on_its_own(std::string& why) {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
  pid_ = -1;
  if (WIFSIGNALED(status)) why = "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  else why = "exited with status " + std::to_string(WEXITSTATUS(status));
  return true;
}

std::string ServerChild::log_tail(std::size_t bytes) const {
  const std::streamoff size = file_size(log_);
  return read_from(log_, size > static_cast<std::streamoff>(bytes) ? size - static_cast<std::streamoff>(bytes) : 0);
}

std::vector<std::string> flags_the_server_knows(const std::string& binary, const std::vector<std::string>& wanted) {
  std::string help;
  if (FILE* pipe = popen(("'" + binary + "' --help 2>&1").c_str(), "r")) {
    char chunk[1024];
    std::size_t n = 0;
    while ((n = fread(chunk, 1, sizeof chunk, pipe)) > 0) help.append(chunk, n);
    pclose(pipe);
  }
  std::vector<std::string> known;
  for (std::size_t i = 0; i + 1 < wanted.size(); i += 2) {
    const std::string& flag = wanted[i];
    const auto at = help.find(flag);
    const bool listed = at != std::string::npos &&
                        (at + flag.size() == help.size() || !(std::isalnum(static_cast<unsigned char>(help[at + flag.size()])) ||
                                                              help[at + flag.size()] == '-'));
    if (listed) {
      known.push_back(flag);
      known.push_back(wanted[i + 1]);
    } else {
      std::printf("note: this server does not list %s in --help; not passed\n", flag.c_str());
    }
  }
  return known;
}

}  // namespace chaos
