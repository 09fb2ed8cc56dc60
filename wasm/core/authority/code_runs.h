// CodeRuns: the room's rules for running its shared code, pure. The room's authority holds one per
// room (room_authority.h) and hands it code:run, code:output and departures.
//
// Code runs in the runner's own browser (a sandboxed worker: js-glue/code-runner.js), not on the
// server; what the room shares is that a run started and what it printed. The rules:
//   run_hosts_only   the room's code_run_hosts_only is on and the member is neither host nor co-host
//   run_in_progress  a run is going: one at a time, so everyone reads the same output. A run whose
//                    output never came is over kRunLimitMs + kRunGraceMs after it started.
//   run_unsupported  a language that does not run here (only JavaScript and Python do)
//   bad_request      an output for a run that is not the sender's or has ended, a status the runner
//                    may not give; too_large: more than kMaxRunOutputChars of output
//
//   idle ── code:run (allowed) ──► running {run_id, by} ── code:output from by ──► idle (last = it)
//                                          └──────────── runner leaves ──────────► idle (last = "abandoned")
//
// A joiner hears the run going on (code:running) and the last output (code:output), as the room did.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "authority/permissions.h"
#include "authority/problem.h"
#include "protocol/messages.h"

namespace mehfil::authority {

inline constexpr std::int64_t kRunLimitMs = 5000;  // the runner's page stops the code after this
inline constexpr std::int64_t kRunGraceMs = 5000;  // and its output has this long to arrive

// Who asks to run.
struct Runner {
  std::string user_id;
  std::string peer_id;
  std::string display_name;
  Role role;
};

class CodeRuns {
 public:
  // code:run: what everyone is told (code:running), or why not.
  std::variant<protocol::server::CodeRunning, Problem> start(const Runner& runner, bool hosts_only,
                                                             const protocol::client::CodeRun& run, std::int64_t now);
  // code:output from `peer_id`: what everyone is told, or why not.
  std::variant<protocol::server::CodeOutput, Problem> finish(const std::string& peer_id,
                                                             const protocol::client::CodeOutput& output);
  // The runner's peer left the room: the output everyone is told instead, if it was running.
  std::optional<protocol::server::CodeOutput> runner_gone(const std::string& peer_id);

  // What a joiner hears: the run going on (if its time is not up) and the last output.
  std::optional<protocol::server::CodeRunning> running(std::int64_t now) const;
  const std::optional<protocol::server::CodeOutput>& last() const { return last_; }

 private:
  protocol::server::CodeOutput ended(protocol::RunResult result);

  std::optional<protocol::server::CodeRunning> running_;
  std::optional<protocol::server::CodeOutput> last_;
  std::int64_t count_ = 0;
};

}  // namespace mehfil::authority
