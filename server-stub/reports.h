// Reports: what people in rooms report of each other, kept for the server's operator.
//
// A member reports another from their card or a chat message (room:report; the room's rule is
// RoomAuthority's, which also tells the hosts). The server stores each report with
// kReportContextLines chat lines: those up to the reported message however far back it is, else the
// room's last ones, so whoever reads it later sees what was said. The operator lists and resolves them:
//
//   mehfil-server reports list [--all] [--db FILE]          (reports_cli.h)
//   mehfil-server reports resolve REPORT_ID [--note TEXT] [--db FILE]
//   GET  /api/admin/reports[?all=1]                          with an admin key (keys create --admin)
//   POST /api/admin/reports/:id/resolve {note?}
//
// A booking site's key or a person's session is not an admin key: not_admin.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "authority/room_authority.h"
#include "room_hub.h"
#include "store.h"

namespace mehfil::server {

inline constexpr int kReportContextLines = 20;
inline constexpr int kReportsListed = 500;

// The report as stored: its id, the chat lines before it, when.
ReportRecord report_record(Store& store, const std::string& room_code, const authority::SaveReport& report, std::int64_t now);
nlohmann::json report_json(const ReportRecord& report);

// The admin routes, for a request that showed an admin key.
ApiReply list_reports(Store& store, bool all);
ApiReply resolve_report(Store& store, const std::string& report_id, const std::string& note);

}  // namespace mehfil::server
