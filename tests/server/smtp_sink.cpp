// The tests' SMTP server (smtp_sink.h).
#include "smtp_sink.h"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace server_test {
namespace {

// A port nobody listens on now (the kernel's pick for a socket bound to port 0, then let go).
unsigned short free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

bool accepts(unsigned short port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

}  // namespace

SmtpSink::SmtpSink() {
  char pattern[] = "/tmp/mehfil-smtp-test-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
  folder_ = pattern;
  port_ = free_port();
  // Debian's python3, where python3-aiosmtpd is installed (not whichever python3 comes first on PATH).
  std::vector<std::string> args = {"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_),
                                   "-c", "aiosmtpd.handlers.Mailbox", folder_ + "/mail"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) throw std::runtime_error("cannot start aiosmtpd");
  for (int i = 0; i < 200 && !accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  if (!accepts(port_)) throw std::runtime_error("aiosmtpd did not start listening");
}

SmtpSink::~SmtpSink() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

std::vector<std::string> SmtpSink::mails() const {
  std::vector<std::pair<std::filesystem::file_time_type, std::string>> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder_ + "/mail/new", ec)) {
    std::ifstream file(entry.path());
    found.emplace_back(entry.last_write_time(), std::string(std::istreambuf_iterator<char>(file), {}));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> texts;
  for (auto& [when, text] : found) texts.push_back(std::move(text));
  return texts;
}

std::optional<std::string> SmtpSink::wait_for(const std::string& to, const std::string& containing,
                                              std::chrono::milliseconds within) const {
  const auto until = std::chrono::steady_clock::now() + within;
  do {
    for (const std::string& mail : mails()) {
      if (mail.find("To: <" + to + ">") != std::string::npos && mail.find(containing) != std::string::npos) return mail;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < until);
  return std::nullopt;
}

std::string link_token(const std::string& mail, const std::string& purpose) {
  std::smatch match;
  if (std::regex_search(mail, match, std::regex("/account\\.html#" + purpose + "=([A-Za-z0-9_-]+)"))) return match[1];
  return "";
}

}  // namespace server_test
