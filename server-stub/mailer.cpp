// SMTP through libcurl (mailer.h).
#include "mailer.h"

#include <curl/curl.h>

#include <cstring>
#include <ctime>

#include <sodium.h>
#include <spdlog/spdlog.h>

namespace mehfil::server {
namespace {

std::string rfc5322_date() {
  char text[64];
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return text;
}

// The domain of an address, for the Message-ID.
std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "mehfil.invalid" : address.substr(at + 1);
}

struct Upload {
  std::string bytes;
  std::size_t sent = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->bytes.size() - upload->sent);
  std::memcpy(buffer, upload->bytes.data() + upload->sent, n);
  upload->sent += n;
  return n;
}

}  // namespace

Mailer::Mailer(std::string smtp_url, std::string from) : smtp_url_(std::move(smtp_url)), from_(std::move(from)) {
  if (configured()) sending_ = std::make_unique<WorkerQueue<Mail>>(kMaxQueued, [this](Mail& mail) { deliver(mail); });
}

// Stopping does not wait for a queue of mails to an SMTP server that may be down: they are dropped
// (the mail being sent now finishes or times out).
Mailer::~Mailer() {
  if (!sending_) return;
  if (const std::size_t dropped = sending_->stop()) spdlog::warn("mail: {} mails not sent: the server is stopping", dropped);
}

bool Mailer::send(Mail mail) {
  if (!configured()) {
    spdlog::warn("mail: cannot send \"{}\": no --smtp-url is set", mail.subject);
    return false;
  }
  const std::string subject = mail.subject;
  if (!sending_->push(std::move(mail))) {
    spdlog::warn("mail: the queue is full ({} mails); \"{}\" is not sent", kMaxQueued, subject);
    return false;
  }
  return true;
}

bool Mailer::deliver(const Mail& mail) {
  unsigned char id[12];
  randombytes_buf(id, sizeof id);
  char hex[sizeof id * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, id, sizeof id);
  Upload upload;
  upload.bytes = "Date: " + rfc5322_date() + "\r\nTo: <" + mail.to + ">\r\nFrom: Mehfil <" + from_ + ">\r\nMessage-ID: <" +
                 hex + "@" + domain_of(from_) + ">\r\nSubject: " + mail.subject +
                 "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  // SMTP lines end in CRLF, and a line of one "." would end the message early: curl dot-stuffs it.
  for (const char c : mail.text) {
    if (c == '\n') upload.bytes += "\r\n";
    else if (c != '\r') upload.bytes += c;
  }
  upload.bytes += "\r\n";

  CURL* curl = curl_easy_init();
  if (!curl) {
    spdlog::error("mail: libcurl could not start; \"{}\" to …@{} is not sent", mail.subject, domain_of(mail.to));
    return false;
  }
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + mail.to + ">").c_str());
  const std::string from = "<" + from_ + ">";
  curl_easy_setopt(curl, CURLOPT_URL, smtp_url_.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // STARTTLS when offered; demanded when the URL carries a password, which must never go in clear.
  const bool credentials = smtp_url_.find('@') != std::string::npos;
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(credentials ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  const CURLcode result = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (result != CURLE_OK) {
    spdlog::error("mail: \"{}\" to …@{} failed: {}", mail.subject, domain_of(mail.to), curl_easy_strerror(result));
    return false;
  }
  spdlog::info("mail: \"{}\" sent to …@{}", mail.subject, domain_of(mail.to));  // the address is personal
  return true;
}

}  // namespace mehfil::server
