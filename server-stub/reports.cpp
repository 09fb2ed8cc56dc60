// Reports (reports.h): storing one with its context, and the operator's answers.
#include "reports.h"

#include "api_fields.h"
#include "log.h"
#include "protocol/validation.h"
#include "tokens.h"
#include "wall_clock.h"

namespace mehfil::server {

using nlohmann::json;
using protocol::ErrorCode;

ReportRecord report_record(Store& store, const std::string& room_code, const authority::SaveReport& r, std::int64_t now) {
  json context = json::array();
  for (const ChatRecord& line : store.recent_chat(room_code, kReportContextLines, r.message_id)) {
    json entry = {{"message_id", line.id}, {"from_user_id", line.from_user_id}, {"display_name", line.display_name},
                  {"text", line.text}, {"sent_at", line.sent_at}};
    if (line.file) entry["file"] = line.file->name;
    context.push_back(std::move(entry));
  }
  return {"r" + random_token(9), room_code, r.reporter_user_id, r.reporter_name, r.target_user_id, r.target_name, r.reason,
          r.note, r.message_id, context.dump(), now, std::nullopt, ""};
}

json report_json(const ReportRecord& r) {
  json out = {{"report_id", r.report_id},         {"room_code", r.room_code},
              {"reporter_user_id", r.reporter_user_id}, {"reporter_name", r.reporter_name},
              {"target_user_id", r.target_user_id}, {"target_name", r.target_name},
              {"reason", r.reason},               {"note", r.note},
              {"message_id", r.message_id ? json(*r.message_id) : json(nullptr)},
              {"context", json::parse(r.context_json, nullptr, false)},
              {"created_at", r.created_at},
              {"resolved_at", r.resolved_at ? json(*r.resolved_at) : json(nullptr)},
              {"resolution", r.resolution}};
  return out;
}

ApiReply list_reports(Store& store, bool all) {
  json reports = json::array();
  for (const ReportRecord& report : store.reports(all, kReportsListed)) reports.push_back(report_json(report));
  return {200, {{"reports", std::move(reports)}}};
}

ApiReply resolve_report(Store& store, const std::string& report_id, const std::string& note) {
  if (auto problem = protocol::check_text(protocol::TextRule::report_note, note)) {
    return api::failure(400, ErrorCode::bad_request, "note " + std::string(problem->what) + ".");
  }
  if (!protocol::is_id(report_id) || !store.resolve_report(report_id, note, wall_clock_ms())) {
    return api::failure(ErrorCode::not_found, "There is no open report " + report_id.substr(0, 64) + ".");
  }
  return {200, {{"report_id", report_id}, {"resolved", true}}};
}

}  // namespace mehfil::server
