// A real SMTP server on loopback for tests: Debian's aiosmtpd (python3-aiosmtpd) as a child process,
// keeping every mail it receives in a Maildir the test reads. The server under test sends to it with
// --smtp-url smtp://127.0.0.1:PORT.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace server_test {

class SmtpSink {
 public:
  SmtpSink();  // listening when it returns
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // Every mail received so far, as it arrived (headers and body), oldest first.
  std::vector<std::string> mails() const;
  // The first mail to `to` whose text has `containing`, waiting up to `within` for it.
  std::optional<std::string> wait_for(const std::string& to, const std::string& containing,
                                      std::chrono::milliseconds within = std::chrono::milliseconds(5000)) const;

 private:
  std::string folder_;
  unsigned short port_ = 0;
  int pid_ = -1;
};

// The token in a mail's link "…/account.html#<purpose>=TOKEN", or "" when there is none.
std::string link_token(const std::string& mail, const std::string& purpose);

}  // namespace server_test
