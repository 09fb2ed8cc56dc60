// Who may run the room's code and when (wasm/core/authority/code_runs.h): the room's setting, one
// run at a time, a run's end from its runner alone, and a runner who leaves.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <variant>

#include "authority/code_runs.h"

using namespace mehfil::authority;
using mehfil::protocol::OutputChunk;
using mehfil::protocol::RunResult;
using mehfil::protocol::to_string;
namespace cli = mehfil::protocol::client;
namespace srv = mehfil::protocol::server;

namespace {

const Runner kHost{"ana", "p-ana", "Ana", {true, false}};
const Runner kCohost{"cyd", "p-cyd", "Cyd", {false, true}};
const Runner kGuest{"ben", "p-ben", "Ben", {false, false}};

// "running" or the refusal's code.
template <class T>
std::string verdict(const std::variant<T, Problem>& decision) {
  if (const auto* refused = std::get_if<Problem>(&decision)) return std::string(to_string(refused->code));
  return "allowed";
}

}  // namespace

TEST_CASE("Who may run code follows the room's setting: everyone, or only the host and co-hosts") {
  const auto [who, runner, hosts_only, expected] = GENERATE(table<std::string, Runner, bool, std::string>({
      {"a guest, everyone may run", kGuest, false, "allowed"},
      {"a guest, hosts only", kGuest, true, "run_hosts_only"},
      {"the host, hosts only", kHost, true, "allowed"},
      {"a co-host, hosts only", kCohost, true, "allowed"},
  }));
  CAPTURE(who);
  CodeRuns runs;
  CHECK(verdict(runs.start(runner, hosts_only, cli::CodeRun{"main.py", "python"}, 1000)) == expected);
}

TEST_CASE("Only JavaScript and Python run") {
  const auto [language, expected] = GENERATE(table<std::string, std::string>({
      {"javascript", "allowed"}, {"python", "allowed"}, {"cpp", "run_unsupported"}, {"sql", "run_unsupported"}}));
  CodeRuns runs;
  CHECK(verdict(runs.start(kGuest, false, cli::CodeRun{"main", language}, 1000)) == expected);
}

TEST_CASE("One run goes at a time, and a run whose output never came is over after the limit and its grace") {
  CodeRuns runs;
  const auto first = runs.start(kGuest, false, cli::CodeRun{"main.js", "javascript"}, 1000);
  REQUIRE(verdict(first) == "allowed");
  const srv::CodeRunning& running = std::get<srv::CodeRunning>(first);
  CHECK(running.by == "p-ben");
  CHECK(running.limit_ms == kRunLimitMs);
  const auto second = runs.start(kHost, false, cli::CodeRun{"main.py", "python"}, 2000);
  CHECK(verdict(second) == "run_in_progress");
  CHECK(std::get<Problem>(second).retry_after_s == 9);
  CHECK(runs.running(2000)->run_id == running.run_id);
  const std::int64_t over = 1000 + kRunLimitMs + kRunGraceMs;
  CHECK_FALSE(runs.running(over).has_value());
  CHECK(verdict(runs.start(kHost, false, cli::CodeRun{"main.py", "python"}, over)) == "allowed");
}

TEST_CASE("A run's output comes from its runner, once, with a status a runner may give and no more than the room shows") {
  CodeRuns runs;
  const std::string id = std::get<srv::CodeRunning>(runs.start(kGuest, false, cli::CodeRun{"main.py", "python"}, 1000)).run_id;
  const auto output = [&](std::string status, std::string text = "45\n") {
    return cli::CodeOutput{id, RunResult{std::move(status), {OutputChunk{"stdout", std::move(text)}}, std::nullopt, std::nullopt, 12}};
  };
  CHECK(verdict(runs.finish("p-ana", output("ok"))) == "bad_request");                           // not the runner
  CHECK(verdict(runs.finish("p-ben", cli::CodeOutput{"run-9", output("ok").result})) == "bad_request");  // another run
  CHECK(verdict(runs.finish("p-ben", output("abandoned"))) == "bad_request");                    // the room's word only
  CHECK(verdict(runs.finish("p-ben", output("ok", std::string(16001, 'x')))) == "too_large");
  const auto ended = runs.finish("p-ben", output("ok"));
  REQUIRE(verdict(ended) == "allowed");
  const srv::CodeOutput& told = std::get<srv::CodeOutput>(ended);
  CHECK(told.display_name == "Ben");
  CHECK(told.file == "main.py");
  CHECK(told.result.output.at(0).text == "45\n");
  CHECK(runs.last() == told);
  CHECK(verdict(runs.finish("p-ben", output("ok"))) == "bad_request");  // it has ended
  CHECK(verdict(runs.start(kHost, false, cli::CodeRun{"main.py", "python"}, 1500)) == "allowed");
}

TEST_CASE("A runner who leaves mid-run ends it as abandoned for everyone, and anyone else leaving changes nothing") {
  CodeRuns runs;
  REQUIRE(verdict(runs.start(kGuest, false, cli::CodeRun{"loop.js", "javascript"}, 1000)) == "allowed");
  CHECK_FALSE(runs.runner_gone("p-ana").has_value());
  const auto abandoned = runs.runner_gone("p-ben");
  REQUIRE(abandoned.has_value());
  CHECK(abandoned->result.status == "abandoned");
  CHECK_FALSE(runs.running(1001).has_value());
  CHECK(verdict(runs.start(kHost, false, cli::CodeRun{"main.py", "python"}, 1002)) == "allowed");
}
