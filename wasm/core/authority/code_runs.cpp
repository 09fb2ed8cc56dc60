// CodeRuns (code_runs.h): who may run the room's code, one run at a time, and what the room sees.
#include "authority/code_runs.h"

#include <string>
#include <utility>

#include "protocol/validation.h"

namespace mehfil::authority {

namespace srv = protocol::server;
using protocol::ErrorCode;

namespace {

bool runs_here(const std::string& language) { return language == "javascript" || language == "python"; }

// What a runner's page may say of its own run ("abandoned" is the room's word, not the runner's).
bool runner_status(const std::string& status) {
  return status == "ok" || status == "error" || status == "timeout" || status == "crashed";
}

}  // namespace

std::variant<srv::CodeRunning, Problem> CodeRuns::start(const Runner& runner, bool hosts_only,
                                                        const protocol::client::CodeRun& run, std::int64_t now) {
  if (hosts_only && !runner.role.is_host && !runner.role.is_cohost) {
    return Problem{ErrorCode::run_hosts_only, "The host lets only hosts run code in this room.", std::nullopt};
  }
  if (!runs_here(run.language)) return Problem{ErrorCode::run_unsupported, "Only JavaScript and Python run here.", std::nullopt};
  if (const auto going = running(now)) {
    const std::int64_t left_ms = going->started_at + kRunLimitMs + kRunGraceMs - now;
    return Problem{ErrorCode::run_in_progress, going->display_name + " is running " + going->file + ": one run at a time.",
                   static_cast<int>((left_ms + 999) / 1000)};
  }
  count_ += 1;
  running_ = srv::CodeRunning{"run-" + std::to_string(now) + "-" + std::to_string(count_), runner.peer_id,
                              runner.display_name, run.file, run.language, kRunLimitMs, now};
  return *running_;
}

std::variant<srv::CodeOutput, Problem> CodeRuns::finish(const std::string& peer_id, const protocol::client::CodeOutput& output) {
  if (!running_ || running_->run_id != output.run_id || running_->by != peer_id) {
    return Problem{ErrorCode::bad_request, "That run is not yours, or it has ended.", std::nullopt};
  }
  if (!runner_status(output.result.status)) {
    return Problem{ErrorCode::bad_request, "A run ends as ok, error, timeout or crashed.", std::nullopt};
  }
  std::size_t chars = 0;
  for (const protocol::OutputChunk& chunk : output.result.output) {
    if (chunk.stream != "stdout" && chunk.stream != "stderr") {
      return Problem{ErrorCode::bad_request, "Output is stdout or stderr.", std::nullopt};
    }
    chars += protocol::utf8_length(chunk.text).value_or(0);
  }
  if (chars > protocol::kMaxRunOutputChars) {
    return Problem{ErrorCode::too_large, "A run shows at most 16000 characters of output.", std::nullopt};
  }
  return ended(output.result);
}

std::optional<srv::CodeOutput> CodeRuns::runner_gone(const std::string& peer_id) {
  if (!running_ || running_->by != peer_id) return std::nullopt;
  return ended(protocol::RunResult{"abandoned", {}, running_->display_name + " left before the run ended.", std::nullopt, 0});
}

std::optional<srv::CodeRunning> CodeRuns::running(std::int64_t now) const {
  if (running_ && now < running_->started_at + kRunLimitMs + kRunGraceMs) return running_;
  return std::nullopt;
}

srv::CodeOutput CodeRuns::ended(protocol::RunResult result) {
  const srv::CodeRunning run = *running_;
  running_.reset();
  last_ = srv::CodeOutput{run.run_id, run.by, run.display_name, run.file, run.language, run.started_at, std::move(result)};
  return *last_;
}

}  // namespace mehfil::authority
