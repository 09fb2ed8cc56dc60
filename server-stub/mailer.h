// Mailer: sends the server's few emails (verify your address, reset your password) through an SMTP
// server with libcurl (`--smtp-url smtp://host:port` or `smtps://…`, `--mail-from`). Sending blocks,
// so it happens on the mailer's own thread, from a bounded queue; the request that asked for a mail
// never waits for it. Without --smtp-url every mail is dropped with a warning in the log: accounts
// then work unverified, and people cannot reset a forgotten password.
#pragma once

#include <memory>
#include <string>

#include "worker_queue.h"

namespace mehfil::server {

struct Mail {
  std::string to;       // an address normalized_email() accepted (no spaces or line breaks)
  std::string subject;  // the server's own text, one line
  std::string text;     // plain UTF-8
};

class Mailer {
 public:
  Mailer(std::string smtp_url, std::string from);
  ~Mailer();  // drops what is queued (logged), lets the mail being sent finish, and stops
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  bool configured() const { return !smtp_url_.empty(); }
  // Queues `mail`; false (and logged) when there is no SMTP server or the queue is full.
  bool send(Mail mail);

 private:
  bool deliver(const Mail& mail);  // on the mailer's thread

  static constexpr std::size_t kMaxQueued = 1000;
  std::string smtp_url_;
  std::string from_;
  std::unique_ptr<WorkerQueue<Mail>> sending_;  // none without an SMTP server; last, so it stops first
};

}  // namespace mehfil::server
