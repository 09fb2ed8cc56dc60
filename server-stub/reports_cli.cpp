// `mehfil-server reports …` (reports_cli.h).
#include "reports_cli.h"

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "reports.h"
#include "store.h"
#include "wall_clock.h"

namespace mehfil::server {
namespace {

constexpr const char* kUsage =
    "usage: mehfil-server reports list [--all] [--db FILE]\n"
    "       mehfil-server reports resolve REPORT_ID [--note TEXT] [--db FILE]\n"
    "  --db FILE   the server's database (default data/mehfil.db)\n"
    "  --all       resolved reports too\n"
    "  --note TEXT what was done (kept with the report)\n";

int usage(const char* problem) {
  std::fprintf(stderr, "mehfil-server reports: %s\n%s", problem, kUsage);
  return 2;
}


// One report, then the chat lines before it, indented.
void print(const ReportRecord& r) {
  std::printf("%s  %s  room %s  %s reported %s (%s) for %s%s\n", r.report_id.c_str(), utc_minute(r.created_at).c_str(),
              r.room_code.c_str(), r.reporter_name.c_str(), r.target_name.c_str(), r.target_user_id.c_str(), r.reason.c_str(),
              r.resolved_at ? ("  resolved " + utc_minute(*r.resolved_at)).c_str() : "");
  if (!r.note.empty()) std::printf("    note: %s\n", r.note.c_str());
  const auto context = nlohmann::json::parse(r.context_json, nullptr, false);
  if (!context.is_array()) return;
  for (const auto& line : context) {
    const bool reported = r.message_id && line.value("message_id", "") == *r.message_id;
    std::printf("    %s %s: %s%s\n", reported ? ">" : " ", line.value("display_name", "").c_str(), line.value("text", "").c_str(),
                line.contains("file") ? (" [file " + line.value("file", "") + "]").c_str() : "");
  }
  if (r.resolved_at && !r.resolution.empty()) std::printf("    resolution: %s\n", r.resolution.c_str());
}

}  // namespace

int run_reports_command(int argc, char** argv) {
  if (argc < 2) return usage("say list or resolve");
  const std::string_view verb = argv[1];
  std::string db = "data/mehfil.db", report_id, note;
  bool all = false;
  for (int i = 2; i < argc; ++i) {
    const std::string_view flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--db" && has_value) db = argv[++i];
    else if (flag == "--all" && verb == "list") all = true;
    else if (flag == "--note" && has_value && verb == "resolve") note = argv[++i];
    else if (verb == "resolve" && report_id.empty() && !flag.starts_with("--")) report_id = flag;
    else return usage(("unknown or incomplete " + std::string(flag)).c_str());
  }
  if (verb != "list" && verb != "resolve") return usage("say list or resolve");
  if (!std::filesystem::exists(db)) return usage(("no database at " + db).c_str());
  try {
    Store store(db);
    if (verb == "list") {
      const auto reports = store.reports(all, kReportsListed);
      if (reports.empty()) std::printf(all ? "no reports\n" : "no open reports\n");
      for (const ReportRecord& report : reports) print(report);
      return 0;
    }
    if (report_id.empty()) return usage("resolve needs the REPORT_ID");
    const ApiReply done = resolve_report(store, report_id, note);
    if (done.status != 200) {
      std::fprintf(stderr, "mehfil-server reports: %s\n", done.body["error"].value("message", "").c_str());
      return 1;
    }
    std::printf("resolved %s\n", report_id.c_str());
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "mehfil-server reports: %s\n", error.what());
    return 1;
  }
}

}  // namespace mehfil::server
