// `mehfil-server reports …`: the operator reads and resolves what people reported (reports.h), on
// the database while the server runs or not (SQLite's WAL lets both write).
//
//   mehfil-server reports list [--all] [--db FILE]                 the open ones (--all: every one)
//   mehfil-server reports resolve REPORT_ID [--note TEXT] [--db FILE]
#pragma once

namespace mehfil::server {

// argv[0] is "reports". Returns the process's exit status: 0 done, 2 a usage error, 1 a failure.
int run_reports_command(int argc, char** argv);

}  // namespace mehfil::server
