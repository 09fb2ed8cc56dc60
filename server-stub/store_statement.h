// The pieces of Store's implementation its .cpp files share (store.cpp, store_people.cpp): one
// prepared statement, and running writes in one transaction. Not part of Store's interface.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "store.h"

namespace mehfil::server {

// One prepared statement: bind by position, step, read columns, finalized on scope exit.
class Store::Statement {
 public:
  Statement(Store& store, const char* sql) : store_(store), db_(store.db_) {
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      fail((std::string("sqlite prepare (") + sql + ")").c_str(), sqlite3_errcode(db_));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(const std::string& value) {
    sqlite3_bind_text(stmt_, ++bound_, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(const std::optional<std::string>& value) {
    if (value) return bind(*value);
    sqlite3_bind_null(stmt_, ++bound_);
    return *this;
  }
  Statement& bind(std::int64_t value) {
    sqlite3_bind_int64(stmt_, ++bound_, value);
    return *this;
  }
  Statement& bind(std::optional<std::int64_t> value) {
    if (value) return bind(*value);
    sqlite3_bind_null(stmt_, ++bound_);
    return *this;
  }
  Statement& bind(int value) { return bind(static_cast<std::int64_t>(value)); }
  Statement& bind(bool value) { return bind(static_cast<std::int64_t>(value ? 1 : 0)); }

  // True while there is a row to read.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail("sqlite step", rc);
  }
  // Runs a write; false on a constraint violation (a taken primary key).
  bool run() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_DONE || (rc & 0xff) == SQLITE_CONSTRAINT) {
      store_.healthy_ = true;
      return rc == SQLITE_DONE;
    }
    fail("sqlite write", rc);
  }
  [[noreturn]] void fail(const char* what, int rc) {
    store_.healthy_ = false;
    throw StorageError(std::string(what) + ": " + sqlite3_errmsg(db_), (rc & 0xff) == SQLITE_FULL);
  }

  std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
  }
  std::optional<std::string> optional_text(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
    return text(column);
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::optional<std::int64_t> optional_integer(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
    return integer(column);
  }

 private:
  Store& store_;
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int bound_ = 0;
};

template <typename Writes>
void Store::transaction(Writes&& writes) {
  try {
    exec("BEGIN IMMEDIATE");
    try {
      writes();
      exec("COMMIT");
    } catch (...) {
      // SQLite rolls back by itself after some errors (SQLITE_FULL, I/O errors): a second ROLLBACK
      // would fail with "no transaction is active" and hide the first error.
      if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  } catch (const StorageError&) {
    healthy_ = false;
    throw;
  }
}

}  // namespace mehfil::server
