// Accounts, their sessions and their email links (store.h; the rules are accounts.h).
#include "store.h"

#include "store_statement.h"

#include <sstream>

namespace mehfil::server {
namespace {

constexpr const char* kAccountColumns = "user_id, email, password_hash, email_verified_at, created_at";
constexpr const char* kSessionColumns =
    "session_id, user_id, refresh_hash, previous_hash, retired_hashes, rotated_at, device, address, created_at, "
    "last_seen_at, expires_at, revoked_at";
constexpr std::size_t kRetiredKept = 10;

template <typename Row>
AccountRecord read_account(const Row& row) {
  return {row.text(0), row.text(1), row.text(2), row.optional_integer(3), row.integer(4)};
}

template <typename Row>
AuthSessionRecord read_session(const Row& row) {
  AuthSessionRecord s;
  s.session_id = row.text(0);
  s.user_id = row.text(1);
  s.refresh_hash = row.text(2);
  s.previous_hash = row.optional_text(3);
  std::istringstream retired(row.text(4));
  for (std::string hash; retired >> hash;) s.retired_hashes.push_back(hash);
  s.rotated_at = row.integer(5);
  s.device = row.text(6);
  s.address = row.text(7);
  s.created_at = row.integer(8);
  s.last_seen_at = row.integer(9);
  s.expires_at = row.integer(10);
  s.revoked_at = row.optional_integer(11);
  return s;
}

std::string joined(const std::vector<std::string>& hashes) {
  std::string text;
  for (const std::string& hash : hashes) text += (text.empty() ? "" : " ") + hash;
  return text;
}

}  // namespace

bool Store::insert_account(const AccountRecord& account) {
  return Statement(*this, "INSERT INTO accounts (user_id, email, password_hash, email_verified_at, created_at) "
                          "VALUES (?, ?, ?, ?, ?)")
      .bind(account.user_id).bind(account.email).bind(account.password_hash).bind(account.email_verified_at)
      .bind(account.created_at)
      .run();
}

std::optional<AccountRecord> Store::account_by_email(const std::string& email) {
  Statement query(*this, (std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE email = ?").c_str());
  query.bind(email);
  if (!query.step()) return std::nullopt;
  return read_account(query);
}

std::optional<AccountRecord> Store::account_of(const std::string& user_id) {
  Statement query(*this, (std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE user_id = ?").c_str());
  query.bind(user_id);
  if (!query.step()) return std::nullopt;
  return read_account(query);
}

void Store::set_password(const std::string& user_id, const std::string& password_hash) {
  Statement(*this, "UPDATE accounts SET password_hash = ? WHERE user_id = ?").bind(password_hash).bind(user_id).run();
}

void Store::mark_email_verified(const std::string& user_id, std::int64_t now) {
  Statement(*this, "UPDATE accounts SET email_verified_at = COALESCE(email_verified_at, ?) WHERE user_id = ?")
      .bind(now).bind(user_id)
      .run();
}

void Store::insert_auth_session(const AuthSessionRecord& s) {
  Statement(*this, (std::string("INSERT INTO auth_sessions (") + kSessionColumns +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").c_str())
      .bind(s.session_id).bind(s.user_id).bind(s.refresh_hash).bind(s.previous_hash).bind(joined(s.retired_hashes))
      .bind(s.rotated_at)
      .bind(s.device).bind(s.address).bind(s.created_at).bind(s.last_seen_at).bind(s.expires_at).bind(s.revoked_at)
      .run();
}

std::optional<AuthSessionRecord> Store::auth_session(const std::string& session_id) {
  Statement query(*this, (std::string("SELECT ") + kSessionColumns + " FROM auth_sessions WHERE session_id = ?").c_str());
  query.bind(session_id);
  if (!query.step()) return std::nullopt;
  return read_session(query);
}

void Store::rotate_auth_session(const AuthSessionRecord& before, const std::string& refresh_hash,
                                const std::string& address, std::int64_t now, std::int64_t expires_at) {
  std::vector<std::string> retired;
  if (before.previous_hash) retired.push_back(*before.previous_hash);
  for (const std::string& hash : before.retired_hashes) {
    if (retired.size() < kRetiredKept) retired.push_back(hash);
  }
  Statement(*this, "UPDATE auth_sessions SET retired_hashes = ?, previous_hash = refresh_hash, refresh_hash = ?, "
                   "rotated_at = ?, address = ?, last_seen_at = ?, expires_at = ? WHERE session_id = ?")
      .bind(joined(retired)).bind(refresh_hash).bind(now).bind(address).bind(now).bind(expires_at).bind(before.session_id)
      .run();
}

void Store::touch_auth_session(const std::string& session_id, std::int64_t now) {
  Statement(*this, "UPDATE auth_sessions SET last_seen_at = ? WHERE session_id = ?").bind(now).bind(session_id).run();
}

bool Store::revoke_auth_session(const std::string& user_id, const std::string& session_id, std::int64_t now) {
  Statement(*this, "UPDATE auth_sessions SET revoked_at = ? WHERE session_id = ? AND user_id = ? AND revoked_at IS NULL")
      .bind(now).bind(session_id).bind(user_id)
      .run();
  return sqlite3_changes(db_) > 0;
}

std::vector<std::string> Store::revoke_auth_sessions(const std::string& user_id, std::int64_t now) {
  std::vector<std::string> ids;
  transaction([&] {
    Statement query(*this, "SELECT session_id FROM auth_sessions WHERE user_id = ? AND revoked_at IS NULL");
    query.bind(user_id);
    while (query.step()) ids.push_back(query.text(0));
    Statement(*this, "UPDATE auth_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
        .bind(now).bind(user_id)
        .run();
  });
  return ids;
}

std::vector<AuthSessionRecord> Store::open_auth_sessions(const std::string& user_id, std::int64_t now) {
  Statement query(*this, (std::string("SELECT ") + kSessionColumns +
                          " FROM auth_sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? "
                          "ORDER BY last_seen_at DESC LIMIT 100").c_str());
  query.bind(user_id).bind(now);
  std::vector<AuthSessionRecord> sessions;
  while (query.step()) sessions.push_back(read_session(query));
  return sessions;
}

void Store::insert_account_link(const std::string& link_hash, const std::string& user_id, const std::string& purpose,
                                std::int64_t expires_at) {
  Statement(*this, "INSERT INTO account_links (link_hash, user_id, purpose, expires_at) VALUES (?, ?, ?, ?)")
      .bind(link_hash).bind(user_id).bind(purpose).bind(expires_at)
      .run();
}

std::optional<std::string> Store::account_link_owner(const std::string& link_hash, const std::string& purpose,
                                                     std::int64_t now) {
  Statement query(*this, "SELECT user_id FROM account_links WHERE link_hash = ? AND purpose = ? AND used_at IS NULL "
                         "AND expires_at > ?");
  query.bind(link_hash).bind(purpose).bind(now);
  if (!query.step()) return std::nullopt;
  return query.text(0);
}

std::optional<std::string> Store::take_account_link(const std::string& link_hash, const std::string& purpose,
                                                    std::int64_t now) {
  std::optional<std::string> user_id;
  transaction([&] {
    user_id = account_link_owner(link_hash, purpose, now);
    if (!user_id) return;
    Statement(*this, "UPDATE account_links SET used_at = ? WHERE link_hash = ?").bind(now).bind(link_hash).run();
  });
  return user_id;
}

}  // namespace mehfil::server
