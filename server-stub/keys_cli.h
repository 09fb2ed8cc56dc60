// `mehfil-server keys …`: an operator's commands for booking sites' API keys (meetings.h), run
// against the database while the server runs or not (SQLite's WAL lets both write).
//
//   mehfil-server keys create --name NAME [--webhook-url URL] [--db FILE]   prints the key once
//   mehfil-server keys list [--db FILE]
//   mehfil-server keys revoke KEY_ID [--db FILE]
#pragma once

namespace mehfil::server {

// argv[0] is "keys". Returns the process's exit status: 0 done, 2 a usage error, 1 a failure.
int run_keys_command(int argc, char** argv);

}  // namespace mehfil::server
