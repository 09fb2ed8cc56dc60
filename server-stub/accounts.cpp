// Accounts, sessions and email links (accounts.h).
#include "accounts.h"

#include <sodium.h>

#include <algorithm>

#include <boost/asio/post.hpp>

#include "account_rules.h"
#include "api_fields.h"
#include "log.h"
#include "passwords.h"
#include "profiles.h"
#include "protocol/validation.h"
#include "secret_hash.h"
#include "wall_clock.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;

constexpr std::int64_t kSessionLifetimeMs = 30LL * 24 * 3600 * 1000;
constexpr std::int64_t kRefreshGraceMs = 60 * 1000;
constexpr std::int64_t kVerifyLinkMs = 24LL * 3600 * 1000;
constexpr std::int64_t kResetLinkMs = 3600LL * 1000;
constexpr std::int64_t kTouchEveryMs = 60 * 1000;

using api::failure;

ApiReply rate_limited(int wait, std::string message) { return failure(ErrorCode::rate_limited, std::move(message), wait); }

ApiReply storage_failure(const StorageError& error, const char* what) {
  log::storage_failed(what, error.what());
  return error.full() ? failure(ErrorCode::storage_full, "The server's disk is full: nothing was kept.")
                      : failure(ErrorCode::internal, "The server could not store that: nothing was kept.");
}

ApiReply session_ended() { return failure(ErrorCode::session_revoked, "This session has ended: sign in again."); }

// What argon2 checks an unknown email's password against, so it costs what a real check costs.
const std::string& stand_in_hash() {
  static const std::string hash = hash_password("no account has this password").value_or("");
  return hash;
}

}  // namespace

std::string device_name(std::string_view ua) {
  const auto has = [ua](std::string_view part) { return ua.find(part) != std::string_view::npos; };
  const char* browser = has("Edg/") ? "Edge" : has("OPR/") ? "Opera" : has("Firefox/") ? "Firefox"
                        : has("Chrome/") || has("CriOS/") ? "Chrome" : has("Safari/") ? "Safari" : nullptr;
  const char* system = has("iPhone") ? "iPhone" : has("iPad") ? "iPad" : has("Android") ? "Android"
                       : has("Windows") ? "Windows" : has("CrOS") ? "ChromeOS" : has("Mac OS X") ? "macOS"
                       : has("Linux") ? "Linux" : nullptr;
  if (!browser && !system) return "A browser";
  if (!system) return browser;
  if (!browser) return std::string("A browser on ") + system;
  return std::string(browser) + " on " + system;
}

Accounts::Accounts(Store& store, const ServerConfig& config, boost::asio::io_context& io,
                   boost::asio::thread_pool& hashing, Mailer& mailer, std::string secret,
                   std::function<void(const std::string&, const std::vector<std::string>&)> end_sessions)
    : store_(store),
      config_(config),
      io_(io),
      hashing_(hashing),
      mailer_(mailer),
      secret_(std::move(secret)),
      end_sessions_(std::move(end_sessions)),
      logins_per_address_(config.logins_per_address_per_10_minutes, std::chrono::minutes(10)),
      failures_per_account_(config.login_failures_per_account_per_15_minutes, std::chrono::minutes(15)),
      registrations_per_address_(config.registrations_per_address_per_hour, std::chrono::hours(1)),
      mails_per_address_(20, std::chrono::hours(1)),
      mails_per_account_(5, std::chrono::hours(1)) {}

bool Accounts::hash_then(std::function<std::string()> hash_work, std::function<void(std::string)> then) {
  if (pending_hashes_ >= config_.max_pending_password_checks) return false;
  ++pending_hashes_;
  boost::asio::post(hashing_, [this, work = std::move(hash_work), then = std::move(then)]() mutable {
    std::string result = work();
    boost::asio::post(io_, [this, result = std::move(result), then = std::move(then)]() mutable {
      --pending_hashes_;
      then(std::move(result));
    });
  });
  return true;
}

std::string Accounts::access_token(const std::string& user_id, const std::string& session_id) {
  Claims claims;
  claims.sub = user_id;
  claims.name = store_.user_name(user_id).value_or("Guest");
  claims.exp = wall_clock_ms() / 1000 + config_.access_token_lifetime.count();
  claims.sid = session_id;
  return mint_token(claims, secret_);
}

Accounts::Session Accounts::open_session(const std::string& user_id, const RequestOrigin& origin) {
  const std::string secret = random_token(32);
  AuthSessionRecord record;
  record.session_id = "s" + random_token(12);
  record.user_id = user_id;
  record.refresh_hash = secret_hash(secret);
  record.rotated_at = record.created_at = record.last_seen_at = wall_clock_ms();
  record.device = device_name(origin.user_agent);
  record.address = origin.address;
  record.expires_at = record.created_at + kSessionLifetimeMs;
  store_.insert_auth_session(record);
  return {record.session_id, record.session_id + "." + secret};
}

ApiReply Accounts::signed_in(unsigned status, const std::string& user_id, const Session& session) {
  const auto account = store_.account_of(user_id);
  return {status,
          {{"user_id", user_id},
           {"display_name", store_.user_name(user_id).value_or("Guest")},
           {"email", account ? account->email : ""},
           {"email_verified", account && account->email_verified_at.has_value()},
           {"avatar_url", avatar_url(user_id, store_.avatar_version(user_id))},
           {"session_id", session.session_id},
           {"token", access_token(user_id, session.session_id)},
           {"refresh_token", session.refresh_token},
           {"expires_at", wall_clock_ms() + config_.access_token_lifetime.count() * 1000}}};
}

void Accounts::register_account(RegisterRequest request, const std::optional<Claims>& guest,
                                const RequestOrigin& origin, ApiCallback done) {
  const auto email = normalized_email(request.email);
  if (!email) return done(failure(ErrorCode::bad_request, "That is not an email address."));
  // The budget first: judging a password takes the I/O thread a moment.
  if (const auto wait = registrations_per_address_.take(origin.address, 1, std::chrono::steady_clock::now())) {
    return done(rate_limited(*wait, "Too many new accounts from your address: wait a while."));
  }
  if (auto problem = password_problem(request.password, *email, request.display_name)) {
    return done(failure(ErrorCode::weak_password, *problem));
  }
  if (store_.account_by_email(*email)) {
    return done(failure(ErrorCode::email_taken, "An account already has that email address: log in instead."));
  }
  // A guest keeps what they made: the account takes the guest's user id (if no account has it yet).
  std::string user_id = "u" + random_token(12);
  if (guest && !guest->sid && !guest->room && protocol::is_id(guest->sub) && !store_.account_of(guest->sub)) {
    user_id = guest->sub;
  }
  const bool queued = hash_then(
      [password = request.password] { return hash_password(password).value_or(""); },
      [this, done, origin, user_id, email = *email, name = request.display_name](std::string hash) {
        if (hash.empty()) return done(failure(ErrorCode::internal, "The server is out of memory: try again."));
        try {
          if (!store_.insert_account({user_id, email, hash, std::nullopt, wall_clock_ms()})) {
            return done(failure(ErrorCode::email_taken, "An account already has that email address: log in instead."));
          }
          store_.upsert_user(user_id, name, wall_clock_ms());
          store_.rename_user(user_id, name);  // a guest's row keeps its name through upsert_user now
          const Session session = open_session(user_id, origin);
          send_link(user_id, email, "verify", origin);
          done(signed_in(201, user_id, session));
        } catch (const StorageError& error) {
          done(storage_failure(error, "registering an account"));
        }
      });
  if (!queued) done(rate_limited(1, "The server is checking too many passwords: try again in a moment."));
}

void Accounts::login(const std::string& email_text, const std::string& password, const RequestOrigin& origin,
                     ApiCallback done) {
  const auto email = normalized_email(email_text);
  if (!email) return done(failure(ErrorCode::bad_request, "That is not an email address."));
  const auto now = std::chrono::steady_clock::now();
  if (const auto wait = logins_per_address_.take(origin.address, 1, now)) {
    return done(rate_limited(*wait, "Too many logins from your address: wait before trying again."));
  }
  // Every attempt takes a unit of the account's budget before argon2 runs (so a burst of guesses
  // in flight cannot overrun it); a right password gives it back.
  if (const auto wait = failures_per_account_.take(*email, 1, now)) {
    return done(rate_limited(*wait, "Too many wrong passwords for this account: wait before trying again."));
  }
  const auto account = store_.account_by_email(*email);
  const bool queued = hash_then(
      [hash = account ? account->password_hash : std::string(), password] {
        return password_matches(hash.empty() ? stand_in_hash() : hash, password) ? "ok" : "";
      },
      [this, done, origin, email = *email, user_id = account ? account->user_id : std::string()](std::string result) {
        if (user_id.empty() || result.empty()) {
          return done(failure(ErrorCode::invalid_credentials, "That email and password do not match an account."));
        }
        failures_per_account_.spend(email, -1, std::chrono::steady_clock::now());
        try {
          done(signed_in(200, user_id, open_session(user_id, origin)));
        } catch (const StorageError& error) {
          done(storage_failure(error, "signing in"));
        }
      });
  if (!queued) done(rate_limited(1, "The server is checking too many passwords: try again in a moment."));
}

ApiReply Accounts::refresh(const std::string& refresh_token, const RequestOrigin& origin) {
  const auto dot = refresh_token.find('.');
  if (dot == std::string::npos || !protocol::is_id(refresh_token.substr(0, dot))) return session_ended();
  const std::string session_id = refresh_token.substr(0, dot);
  const auto session = store_.auth_session(session_id);
  const std::int64_t now = wall_clock_ms();
  if (!session || session->revoked_at || session->expires_at <= now) return session_ended();
  const std::string presented = secret_hash(std::string_view(refresh_token).substr(dot + 1));
  const bool current = same_hash(presented, session->refresh_hash);
  const bool previous = session->previous_hash && same_hash(presented, *session->previous_hash);
  const bool lost_reply = previous && now - session->rotated_at < kRefreshGraceMs;
  if (!current && !lost_reply) {
    const bool retired = previous || std::any_of(session->retired_hashes.begin(), session->retired_hashes.end(),
                                                 [&](const std::string& old) { return same_hash(presented, old); });
    if (!retired) return session_ended();  // a guess: refused, and the session is left alone
    // A refresh token this session already traded in came back: a copy is in someone else's hands.
    spdlog::warn("auth: a used refresh token of session {} came back from {}; the session is revoked", session_id,
                 origin.address);
    if (store_.revoke_auth_session(session->user_id, session_id, now)) end(session->user_id, {session_id});
    return session_ended();
  }
  const std::string secret = random_token(32);
  store_.rotate_auth_session(*session, secret_hash(secret), origin.address, now, now + kSessionLifetimeMs);
  last_touched_[session_id] = now;
  return signed_in(200, session->user_id, {session_id, session_id + "." + secret});
}

void Accounts::end(const std::string& user_id, const std::vector<std::string>& session_ids) {
  for (const std::string& id : session_ids) last_touched_.erase(id);
  if (!session_ids.empty()) end_sessions_(user_id, session_ids);
}

ApiReply Accounts::logout(const Claims& user) {
  if (!user.sid) return failure(ErrorCode::bad_request, "A guest session has nothing to log out of.");
  if (store_.revoke_auth_session(user.sub, *user.sid, wall_clock_ms())) end(user.sub, {*user.sid});
  return {200, {{"ok", true}}};
}

ApiReply Accounts::logout_all(const Claims& user) {
  if (!user.sid) return failure(ErrorCode::bad_request, "A guest session has nothing to log out of.");
  const auto ids = store_.revoke_auth_sessions(user.sub, wall_clock_ms());
  end(user.sub, ids);
  return {200, {{"ok", true}, {"revoked", ids.size()}}};
}

ApiReply Accounts::sessions(const Claims& user) {
  json list = json::array();
  for (const AuthSessionRecord& s : store_.open_auth_sessions(user.sub, wall_clock_ms())) {
    list.push_back({{"session_id", s.session_id}, {"device", s.device}, {"address", s.address},
                    {"created_at", s.created_at}, {"last_seen_at", s.last_seen_at},
                    {"current", user.sid == s.session_id}});
  }
  return {200, {{"sessions", std::move(list)}}};
}

ApiReply Accounts::revoke(const Claims& user, const std::string& session_id) {
  if (!protocol::is_id(session_id) || !store_.revoke_auth_session(user.sub, session_id, wall_clock_ms())) {
    return failure(ErrorCode::not_found, "You have no open session with that id.");
  }
  end(user.sub, {session_id});
  return {200, {{"ok", true}}};
}

ApiReply Accounts::me(const Claims& user) {
  const auto account = store_.account_of(user.sub);
  json body = {{"user_id", user.sub}, {"display_name", store_.user_name(user.sub).value_or(user.name)},
               {"guest", !account.has_value()}, {"avatar_url", avatar_url(user.sub, store_.avatar_version(user.sub))}};
  if (account) {
    body["email"] = account->email;
    body["email_verified"] = account->email_verified_at.has_value();
    body["created_at"] = account->created_at;
    body["session_id"] = user.sid.value_or("");
  }
  return {200, std::move(body)};
}

void Accounts::send_link(const std::string& user_id, const std::string& email, const std::string& purpose,
                         const RequestOrigin& origin) {
  const std::string token = random_token(32);
  const bool verify = purpose == "verify";
  store_.insert_account_link(secret_hash(token), user_id, purpose, wall_clock_ms() + (verify ? kVerifyLinkMs : kResetLinkMs));
  const std::string name = store_.user_name(user_id).value_or("there");
  // The site people open: --public-url, else the first --origin, else this request's own Host (one
  // the server answers to: http_policy.h checked it).
  const std::string site = !config_.public_url.empty() ? config_.public_url
                           : !config_.origins.empty()  ? config_.origins.front()
                           : origin.host.empty()       ? std::string()
                                                       : (config_.tls_cert.empty() ? "http://" : "https://") + origin.host;
  if (site.empty()) {
    spdlog::warn("mail: no site address for the link (no --public-url and no Host); \"{}\" is not sent", purpose);
    return;
  }
  const std::string link = site + "/account.html#" + purpose + "=" + token;
  Mail mail{email, verify ? "Confirm your email address for Mehfil" : "Reset your Mehfil password", ""};
  mail.text = verify ? "Hi " + name + ",\n\nPlease confirm that this is your email address for Mehfil by opening this link:\n\n" +
                           link + "\n\nThe link works once, for 24 hours. If you did not make a Mehfil account, ignore this email.\n"
                     : "Hi " + name + ",\n\nSomeone (we hope you) asked to reset your Mehfil password. Open this link to choose a new one:\n\n" +
                           link + "\n\nThe link works once, for one hour. If you did not ask, ignore this email: your password stays as it is.\n";
  mailer_.send(std::move(mail));
}

ApiReply Accounts::verify_email(const std::string& link_token) {
  const auto user_id = store_.take_account_link(secret_hash(link_token), "verify", wall_clock_ms());
  if (!user_id) return failure(ErrorCode::invalid_link, "This link was used already or is out of date: ask for a new one.");
  store_.mark_email_verified(*user_id, wall_clock_ms());
  return {200, {{"email_verified", true}}};
}

ApiReply Accounts::send_verification(const Claims& user, const RequestOrigin& origin) {
  const auto account = store_.account_of(user.sub);
  if (!account) return failure(ErrorCode::bad_request, "Guests have no email address to confirm.");
  if (account->email_verified_at) return {200, {{"email_verified", true}}};
  const auto now = std::chrono::steady_clock::now();
  if (const auto wait = mails_per_account_.take(user.sub, 1, now)) return rate_limited(*wait, "We sent you several emails just now: wait a while.");
  send_link(user.sub, account->email, "verify", origin);
  return {202, {{"sent", true}}};
}

ApiReply Accounts::request_reset(const std::string& email_text, const RequestOrigin& origin) {
  const auto email = normalized_email(email_text);
  if (!email) return failure(ErrorCode::bad_request, "That is not an email address.");
  const auto now = std::chrono::steady_clock::now();
  if (const auto wait = mails_per_address_.take(origin.address, 1, now)) {
    return rate_limited(*wait, "Too many password resets from your address: wait a while.");
  }
  // The same answer whether or not the address has an account, and whether or not its own budget
  // let a mail go.
  const auto account = store_.account_by_email(*email);
  if (account && !mails_per_account_.take(account->user_id, 1, now)) send_link(account->user_id, *email, "reset", origin);
  return {202, {{"sent", true}}};
}

void Accounts::reset_password(const std::string& link_token, const std::string& password, ApiCallback done) {
  const std::string link_hash = secret_hash(link_token);
  const auto user_id = store_.account_link_owner(link_hash, "reset", wall_clock_ms());
  const auto account = user_id ? store_.account_of(*user_id) : std::nullopt;
  if (!account) return done(failure(ErrorCode::invalid_link, "This link was used already or is out of date: ask for a new one."));
  if (auto problem = password_problem(password, account->email, store_.user_name(account->user_id).value_or(""))) {
    return done(failure(ErrorCode::weak_password, *problem));
  }
  const bool queued = hash_then(
      [password] { return hash_password(password).value_or(""); },
      [this, done, link_hash, user_id = account->user_id](std::string hash) {
        if (hash.empty()) return done(failure(ErrorCode::internal, "The server is out of memory: try again."));
        try {
          if (!store_.take_account_link(link_hash, "reset", wall_clock_ms())) {
            return done(failure(ErrorCode::invalid_link, "This link was used already or is out of date: ask for a new one."));
          }
          store_.set_password(user_id, hash);
          store_.mark_email_verified(user_id, wall_clock_ms());  // the mail reached them
          end(user_id, store_.revoke_auth_sessions(user_id, wall_clock_ms()));  // whoever knew the old one is out
          done({200, {{"ok", true}}});
        } catch (const StorageError& error) {
          done(storage_failure(error, "resetting a password"));
        }
      });
  if (!queued) done(rate_limited(1, "The server is checking too many passwords: try again in a moment."));
}

void Accounts::sweep() {
  const auto now = std::chrono::steady_clock::now();
  for (KeyedBuckets* buckets : {&logins_per_address_, &failures_per_account_, &registrations_per_address_,
                                &mails_per_address_, &mails_per_account_}) {
    buckets->forget_idle(now);
  }
  const std::int64_t old = wall_clock_ms() - kTouchEveryMs;
  std::erase_if(last_touched_, [old](const auto& entry) { return entry.second < old; });
}

bool Accounts::session_open(const Claims& claims) {
  try {
    // A guest's token stops working once that guest made an account: the account's sessions rule.
    if (!claims.sid) return claims.rec || !store_.account_of(claims.sub);
    const auto session = store_.auth_session(*claims.sid);
    const std::int64_t now = wall_clock_ms();
    if (!session || session->user_id != claims.sub || session->revoked_at || session->expires_at <= now) return false;
    auto& touched = last_touched_[*claims.sid];
    if (now - touched >= kTouchEveryMs) {
      touched = now;
      store_.touch_auth_session(*claims.sid, now);
    }
    return true;
  } catch (const StorageError& error) {
    log::storage_failed("checking a session", error.what());
    return false;
  }
}

}  // namespace mehfil::server
