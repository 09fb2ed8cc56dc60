// Accounts: people who sign in with an email address and a password, on any device, instead of the
// guest session one browser keeps. An account is a user id like a guest's, so a guest who registers
// keeps their rooms, friends and call history: the account takes the guest's user id.
//
// Sessions. Signing in makes a session (one per device) and answers with two tokens:
//   token          an access JWT (tokens.h) with `sid`, valid for --access-token-seconds (900);
//                  every REST call and the /ws upgrade check that its session is still open
//   refresh_token  "<session id>.<secret>", valid 30 days, traded for new tokens at
//                  POST /api/auth/refresh; only the secret's hash is stored, and each use replaces
//                  it (rotation), and each use sets the session's end 30 days on. The previous one
//                  still works for kRefreshGraceMs (a reply lost on the way); one the session traded
//                  in before (the last ten are remembered) means it was copied, and the session is
//                  revoked. A refresh token that was never issued is only refused.
// Logging out (this session, one session from the list, or all of them) revokes the session at
// once: its access tokens are refused from the next request, and its open sockets are closed with
// `session_revoked` (RoomHub::end_sessions).
//
// Abuse. Logins and registrations are counted per address, and wrong passwords per account, with
// `rate_limited` and `retry_after` beyond them. An unknown email and a wrong password answer the same
// (`invalid_credentials`) after the same argon2 work, and a password reset always says "sent": neither
// tells whether an address has an account. Registering with a taken address does say so
// (`email_taken`): the form could not work otherwise.
//
// Email (mailer.h): a link to verify the address is sent on registering; a reset link on request.
// Links carry a random token, stored hashed, used once, valid 24 hours (verify) or 1 hour (reset).
// The links put the token after "#", so it never reaches a server log or a Referer header.
//
// Runs on the I/O thread; argon2 runs on the hashing pool and comes back through `io`.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "mailer.h"
#include "rate_limiter.h"
#include "room_hub.h"
#include "server_config.h"
#include "store.h"
#include "tokens.h"

namespace mehfil::server {

// Where a request came from: for the session list, the limits and the links in emails.
struct RequestOrigin {
  std::string address;     // IP address
  std::string user_agent;  // the User-Agent header, for "Chrome on Linux"
  std::string host;        // the Host header: the links' site, unless --public-url names it
};

struct RegisterRequest {
  std::string email;
  std::string display_name;
  std::string password;
};

class Accounts {
 public:
  // `end_sessions` closes the open sockets of revoked sessions (RoomHub::end_sessions).
  Accounts(Store& store, const ServerConfig& config, boost::asio::io_context& io, boost::asio::thread_pool& hashing,
           Mailer& mailer, std::string secret,
           std::function<void(const std::string& user_id, const std::vector<std::string>& session_ids)> end_sessions);

  // POST /api/auth/register. `guest`: the caller's guest session, whose user id the account takes.
  void register_account(RegisterRequest request, const std::optional<Claims>& guest, const RequestOrigin& origin,
                        ApiCallback done);
  void login(const std::string& email, const std::string& password, const RequestOrigin& origin, ApiCallback done);
  ApiReply refresh(const std::string& refresh_token, const RequestOrigin& origin);
  ApiReply logout(const Claims& user);  // this session
  ApiReply logout_all(const Claims& user);
  ApiReply sessions(const Claims& user);
  ApiReply revoke(const Claims& user, const std::string& session_id);
  ApiReply me(const Claims& user);  // GET /api/auth/me
  ApiReply verify_email(const std::string& link_token);
  ApiReply send_verification(const Claims& user, const RequestOrigin& origin);  // again, on request
  ApiReply request_reset(const std::string& email, const RequestOrigin& origin);
  void reset_password(const std::string& link_token, const std::string& password, ApiCallback done);

  // Whether an access token's session (its `sid`) is still open; a token without one is a guest's
  // or a site's and has no session to check.
  bool session_open(const Claims& claims);
  // Forgets the budgets that are full again and old bookkeeping (the server's sweeper calls it).
  void sweep();

 private:
  struct Session {
    std::string session_id;
    std::string refresh_token;
  };
  Session open_session(const std::string& user_id, const RequestOrigin& origin);
  ApiReply signed_in(unsigned status, const std::string& user_id, const Session& session);
  std::string access_token(const std::string& user_id, const std::string& session_id);
  void send_link(const std::string& user_id, const std::string& email, const std::string& purpose,
                 const RequestOrigin& origin);
  void end(const std::string& user_id, const std::vector<std::string>& session_ids);
  // Runs `hash_work` on the hashing pool and `then` back on the I/O thread; false when the pool's
  // queue is full.
  bool hash_then(std::function<std::string()> hash_work, std::function<void(std::string)> then);

  Store& store_;
  const ServerConfig& config_;
  boost::asio::io_context& io_;
  boost::asio::thread_pool& hashing_;
  Mailer& mailer_;
  std::string secret_;
  std::function<void(const std::string&, const std::vector<std::string>&)> end_sessions_;
  int pending_hashes_ = 0;
  KeyedBuckets logins_per_address_;
  KeyedBuckets failures_per_account_;
  KeyedBuckets registrations_per_address_;
  KeyedBuckets mails_per_address_;
  KeyedBuckets mails_per_account_;
  std::map<std::string, std::int64_t> last_touched_;  // session id -> when last_seen_at was last written
};

// "Chrome on Linux", "Safari on iPhone", "Firefox on Windows", … from a User-Agent; "A browser"
// when it says nothing we know.
std::string device_name(std::string_view user_agent);

}  // namespace mehfil::server
