// Reports of people in rooms, in the store (store.h; reports.h says what they are for).
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {
namespace {

constexpr const char* kReportColumns =
    "report_id, room_code, reporter_user_id, reporter_name, target_user_id, target_name, reason, note, message_id, "
    "context, created_at, resolved_at, resolution";

}  // namespace

void Store::insert_report(const ReportRecord& r) {
  Statement(*this, (std::string("INSERT INTO reports (") + kReportColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").c_str())
      .bind(r.report_id).bind(r.room_code).bind(r.reporter_user_id).bind(r.reporter_name).bind(r.target_user_id)
      .bind(r.target_name).bind(r.reason).bind(r.note).bind(r.message_id).bind(r.context_json).bind(r.created_at)
      .bind(r.resolved_at).bind(r.resolution)
      .run();
}

std::vector<ReportRecord> Store::reports(bool all, int limit) {
  Statement query(*this, (std::string("SELECT ") + kReportColumns + " FROM reports " +
                          (all ? "" : "WHERE resolved_at IS NULL ") + "ORDER BY created_at DESC, rowid DESC LIMIT ?").c_str());
  query.bind(limit);
  std::vector<ReportRecord> reports;
  while (query.step()) {
    reports.push_back({query.text(0), query.text(1), query.text(2), query.text(3), query.text(4), query.text(5), query.text(6),
                       query.text(7), query.optional_text(8), query.text(9), query.integer(10), query.optional_integer(11),
                       query.text(12)});
  }
  return reports;
}

bool Store::resolve_report(const std::string& report_id, const std::string& resolution, std::int64_t now) {
  Statement(*this, "UPDATE reports SET resolved_at = ?, resolution = ? WHERE report_id = ? AND resolved_at IS NULL")
      .bind(now).bind(resolution).bind(report_id).run();
  return sqlite3_changes(db_) > 0;
}

}  // namespace mehfil::server
