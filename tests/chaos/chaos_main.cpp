// mehfil_server_chaos: a bounded chaos test against the real mehfil-server.
//
// For MEHFIL_CHAOS_SECONDS (default 40) a few hundred clients (chaos_client.cpp) do random valid
// and invalid things in a set of rooms (some with passwords): join with the right and the wrong
// password, leave, chat, draw, kick and mute, reconnect with the resume token, drop the socket in
// the middle of a large frame, stop reading for a while, send garbage. Meanwhile the server child
// (server_child.h) is killed with SIGKILL every 8-12 s and started again on the same database and
// port. Every ack the server sends for chat:send and wb:ops goes into a ledger.
//
// Invariants, checked at the end after one more kill and restart (final_check.h):
//   - the server never exits on its own;
//   - /healthz, asked every second, is answered within 5 s outside the restart windows (from the
//     kill to a second after the server is back), and at the end; a failed probe while the server
//     got under half a core and other processes held over half the machine is printed as starved
//     and not counted (the machine may be shared: the server's CPU is sampled through the run);
//   - every frame from the server decodes with the protocol codec;
//   - every room is joinable by a fresh user (room:joined, or room_full); EOF or no answer within
//     10 s is a failure; and, as nobody is connected any more and every resume grace and REST
//     reservation has run out, a room still full after 10 more seconds has leaked its seats;
//   - its board has every acknowledged element at its acknowledged version or later (erased or
//     not, as acknowledged) and nothing from a wb:ops batch the server had to refuse;
//   - its chat history (chat:message frames after room:joined, the newest 200) has every
//     acknowledged message in that window, none twice.
// Rooms are never ended (room:end), locked or switched to chat off: those make a room unjoinable
// or refuse chat by design. The test prints its figures and `N passed, M failed`; it exits 1 when
// an invariant fails and keeps the work folder (database and server log) for a look.
//
// Environment: MEHFIL_CHAOS_SECONDS=S runs longer (e.g. 600); MEHFIL_CHAOS_SEED=N picks the
// clients' random choices (printed; the default is fixed, timing still varies run to run).
// Flags: --seconds S, --seed N, --clients N (default 240), --rooms N (default 16), --server PATH
// (default: mehfil-server beside this executable), --plant-loss (the check's own test: pretends
// one acked chat message and element that were never sent, which must fail). All traffic stays on
// 127.0.0.1.
#include <signal.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "chaos_client.h"
#include "chaos_common.h"
#include "final_check.h"
#include "http_probe.h"
#include "server_child.h"

namespace {

using namespace chaos;
using nlohmann::json;

constexpr int kResumeGraceMs = 3000;
constexpr int kReservationMs = 3000;
constexpr int kSweepMs = 500;
constexpr int kHealthTimeoutMs = 5000;  // a probe unanswered this long is a failure

struct Options {
  double seconds = 40;
  std::uint64_t seed = 20240611;
  int clients = 240;
  int rooms = 16;
  std::string server;
  bool plant_loss = false;  // the check's own test: it must report a planted loss
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "mehfil_server_chaos: %s\n", why.c_str());
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  if (const char* s = std::getenv("MEHFIL_CHAOS_SECONDS")) o.seconds = std::atof(s);
  if (const char* s = std::getenv("MEHFIL_CHAOS_SEED")) o.seed = std::strtoull(s, nullptr, 10);
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--seconds") o.seconds = std::stod(value());
    else if (a == "--seed") o.seed = std::stoull(value());
    else if (a == "--clients") o.clients = std::stoi(value());
    else if (a == "--rooms") o.rooms = std::stoi(value());
    else if (a == "--server") o.server = value();
    else if (a == "--plant-loss") o.plant_loss = true;
    else die("unknown flag " + a + " (see the file header: --seconds, --seed, --clients, --rooms, --server)");
  }
  if (o.seconds <= 0 || o.clients < 2 || o.rooms < 1 || o.rooms > o.clients) die("nonsense sizes");
  return o;
}

std::string find_server(const std::string& given) {
  if (!given.empty()) return given;
  const auto beside = std::filesystem::read_symlink("/proc/self/exe").parent_path() / "mehfil-server";
  if (!std::filesystem::exists(beside)) die("mehfil-server is not beside this executable; pass --server PATH");
  return beside.string();
}

struct Window {
  Clock::time_point from, to;
};

// The invariants' tally.
struct Tally {
  int passed = 0;
  std::vector<std::string> failures;
  void check(bool ok, const std::string& what) {
    if (ok) ++passed;
    else failures.push_back(what);
  }
};

// CPU seconds the whole machine spent busy so far (/proc/stat: all but idle and iowait).
double machine_busy_seconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;
  unsigned long long total = 0, idle = 0, value = 0;
  for (int i = 0; i < 8 && in >> value; ++i) {  // user nice system idle iowait irq softirq steal
    total += value;
    if (i == 3 || i == 4) idle += value;
  }
  return static_cast<double>(total - idle) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Who had the CPU when: sampled through the run, so a slow /healthz can be told apart as a busy
// server or a server that other processes starved.
struct CpuSample {
  Clock::time_point at;
  double server = 0, machine = 0, self = 0;
};
struct CpuShare {
  double server_pct = 0, others_pct = 0;
};
CpuShare cpu_share(const std::vector<CpuSample>& samples, Clock::time_point from, Clock::time_point to) {
  const CpuSample* a = nullptr;
  const CpuSample* b = nullptr;
  for (const CpuSample& s : samples) {
    if (s.at <= from || !a) a = &s;
    if (s.at <= to || !b) b = &s;
  }
  if (!a || !b || b->at <= a->at) return {};
  const double wall = std::chrono::duration<double>(b->at - a->at).count();
  const double server = b->server - a->server, self = b->self - a->self;
  return {100.0 * server / wall, 100.0 * std::max(0.0, (b->machine - a->machine) - server - self) / wall};
}

void print_counts(const char* title, const std::map<std::string, std::uint64_t>& counts,
                  const std::map<std::string, std::string>& samples = {}) {
  std::uint64_t total = 0;
  for (const auto& [key, n] : counts) total += n;
  std::printf("%s (%llu):\n", title, static_cast<unsigned long long>(total));
  std::vector<std::pair<std::uint64_t, std::string>> sorted;
  for (const auto& [key, n] : counts) sorted.emplace_back(n, key);
  std::sort(sorted.rbegin(), sorted.rend());
  for (const auto& [n, key] : sorted) {
    const auto sample = samples.find(key);
    std::printf("  %8llu  %s%s\n", static_cast<unsigned long long>(n), key.c_str(),
                sample == samples.end() ? "" : ("  (e.g. \"" + sample->second.substr(0, 90) + "\")").c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  setvbuf(stdout, nullptr, _IOLBF, 0);
  const Options o = parse(argc, argv);
  const std::string binary = find_server(o.server);
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = std::min<rlim_t>(files.rlim_max, std::max<rlim_t>(files.rlim_cur, static_cast<rlim_t>(o.clients) * 2 + 256));
  setrlimit(RLIMIT_NOFILE, &files);

  std::string folder_template = (std::filesystem::temp_directory_path() / "mehfil-chaos-XXXXXX").string();
  if (!mkdtemp(folder_template.data())) die("mkdtemp failed");
  const std::filesystem::path work = folder_template;
  std::filesystem::create_directories(work / "web");

  std::printf("Mehfil server chaos test: %d clients, %d rooms, %.0f s, seed %llu (MEHFIL_CHAOS_SEED=%llu reruns it)\n",
              o.clients, o.rooms, o.seconds, static_cast<unsigned long long>(o.seed), static_cast<unsigned long long>(o.seed));
  std::printf("server: %s\n", binary.c_str());

  const std::vector<std::string> flags = flags_the_server_knows(
      binary, {"--guest-sessions-per-minute", "100000", "--max-connections-per-address", "100000", "--password-attempts", "100000",
               "--friend-requests-per-hour", "100000", "--resume-grace-ms", std::to_string(kResumeGraceMs), "--reservation-ms", std::to_string(kReservationMs),
               "--idle-ping-ms", "1000", "--idle-drop-ms", "3000", "--sweep-ms", std::to_string(kSweepMs)});
  std::unique_ptr<ServerChild> server;
  try {
    server = std::make_unique<ServerChild>(binary, (work / "chaos.db").string(), (work / "web").string(),
                                           (work / "server.log").string(), flags);
  } catch (const std::exception& e) {
    die(e.what());
  }
  const unsigned short port = server->port();
  std::mt19937_64 rng(o.seed);

  // ---- setup over REST: a user per client; room r made by client r (its first host).
  std::vector<UserInfo> users;
  std::vector<RoomInfo> rooms;
  try {
    for (int i = 0; i < o.clients; ++i) {
      const json s = post_json(port, "/api/session", {{"display_name", "Chaos " + std::to_string(i)}});
      users.push_back({s.at("user_id").get<std::string>(), s.at("display_name").get<std::string>(), s.at("token").get<std::string>()});
    }
    for (int r = 0; r < o.rooms; ++r) {
      RoomInfo room;
      room.max_participants = r < 3 ? 3 + r : 10;  // a few small rooms fill up
      json body = {{"room_name", "Chaos room " + std::to_string(r)}, {"max_participants", room.max_participants}};
      if (r % 3 == 1) {
        room.password = "pw-" + std::to_string(rng() % 100000);
        body["password"] = *room.password;
      }
      room.code = post_json(port, "/api/rooms/create", body, users[static_cast<std::size_t>(r)].token).at("room_code").get<std::string>();
      room.creator_user_id = users[static_cast<std::size_t>(r)].user_id;
      rooms.push_back(room);
    }
  } catch (const std::exception& e) {
    std::printf("setup failed: %s\nserver log tail:\n%s\n", e.what(), server->log_tail(2000).c_str());
    return 1;
  }
  int password_rooms = 0;
  for (const RoomInfo& r : rooms) password_rooms += r.password ? 1 : 0;
  std::printf("setup: %d users, %d rooms (%d with a password, 3 small ones of 3-5 seats) on port %u\n\n", o.clients, o.rooms,
              password_rooms, port);

  // ---- the run.
  Ledger ledger;
  boost::asio::io_context io(1);
  auto guard = boost::asio::make_work_guard(io);
  World world{io, {boost::asio::ip::address_v4::loopback(), port}, rooms, ledger};
  std::vector<std::shared_ptr<ChaosClient>> clients;
  for (int i = 0; i < o.clients; ++i) {
    const std::optional<std::size_t> home = i < o.rooms ? std::optional<std::size_t>(static_cast<std::size_t>(i)) : std::nullopt;
    clients.push_back(std::make_shared<ChaosClient>(world, users[static_cast<std::size_t>(i)], rng(), home));
  }
  for (auto& c : clients) c->start(std::chrono::milliseconds(rng() % 2000));
  std::thread io_thread([&io] { io.run(); });

  Tally tally;
  std::vector<Window> windows;
  std::vector<double> downtime_ms;
  std::vector<std::string> crashes;
  HealthPoller health(port, std::chrono::milliseconds(kHealthTimeoutMs));
  const auto restart = [&] {
    Window w{Clock::now(), {}};
    try {
      server->restart();
    } catch (const std::exception& e) {
      std::printf("the server did not come back: %s\n", e.what());
      tally.check(false, std::string("the server starts again after a kill: ") + e.what());
      return false;
    }
    w.to = Clock::now();
    downtime_ms.push_back(std::chrono::duration<double, std::milli>(w.to - w.from).count());
    w.to += std::chrono::seconds(1);
    windows.push_back(w);
    return true;
  };
  const auto started = Clock::now();
  const auto run_until = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  auto next_kill = started + std::chrono::milliseconds(8000 + rng() % 4001);
  bool alive = true;
  std::vector<CpuSample> cpu;
  const auto sample_cpu = [&] { cpu.push_back({Clock::now(), server->cpu_seconds(), machine_busy_seconds(), own_cpu_seconds()}); };
  sample_cpu();
  while (alive && Clock::now() < run_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (Clock::now() - cpu.back().at >= std::chrono::milliseconds(250)) sample_cpu();
    std::string why;
    if (server->exited_on_its_own(why)) {
      crashes.push_back(why + " at " + std::to_string(seconds_since(started)) + " s; log tail:\n" + server->log_tail(3000));
      std::printf("!! the server %s at %.1f s\n", why.c_str(), seconds_since(started));
      windows.push_back({Clock::now() - std::chrono::seconds(4), Clock::now()});  // the crash is its own failure
      alive = restart();
    } else if (Clock::now() >= next_kill) {
      alive = restart();
      next_kill = Clock::now() + std::chrono::milliseconds(8000 + rng() % 4001);
    }
  }
  const double ran_s = seconds_since(started);
  sample_cpu();
  const CpuShare run_share = cpu_share(cpu, started, Clock::now());

  // ---- stop the clients, then one more kill and restart, and wait out the resume grace so the
  // rooms have their seats back.
  boost::asio::post(io, [&clients] {
    for (auto& c : clients) c->stop();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  guard.reset();
  io.stop();
  io_thread.join();
  clients.clear();
  std::string why;
  if (alive && server->exited_on_its_own(why)) {
    crashes.push_back(why + " at the end; log tail:\n" + server->log_tail(3000));
  }
  if (o.plant_loss) {
    ledger.chats[rooms[0].code].push_back({"planted", "never sent", system_ms()});
    ledger.elements[rooms[0].code][rooms[0].creator_user_id + ":999999999"] = {1, false};
    std::printf("--plant-loss: room %s gets an acknowledged chat message and element that were never sent; the check must "
                "report both\n", rooms[0].code.c_str());
  }
  if (alive) alive = restart();
  std::this_thread::sleep_for(std::chrono::milliseconds(std::max(kResumeGraceMs, kReservationMs) + 3 * kSweepMs));

  // ---- the final check, room by room, each with a fresh user.
  std::vector<RoomVerdict> verdicts;
  std::vector<double> final_join_ms;
  if (alive) {
    for (const RoomInfo& room : rooms) {
      UserInfo fresh;
      try {
        const json s = post_json(port, "/api/session", {{"display_name", "Checker"}});
        fresh = {s.at("user_id").get<std::string>(), "Checker", s.at("token").get<std::string>()};
      } catch (const std::exception& e) {
        RoomVerdict v;
        v.join_problem = std::string("no session for the checker: ") + e.what();
        verdicts.push_back(v);
        continue;
      }
      verdicts.push_back(check_room(port, room, fresh, ledger));
      if (verdicts.back().joinable && verdicts.back().content_checked) final_join_ms.push_back(verdicts.back().join_ms);
    }
  }
  const HttpAnswer last_health = http_request(port, "GET", "/healthz", {}, {}, std::chrono::milliseconds(kHealthTimeoutMs));
  health.stop();
  if (alive && server->exited_on_its_own(why)) crashes.push_back(why + " during the final check; log tail:\n" + server->log_tail(3000));

  // ---- figures.
  const auto probes = health.probes();
  int probe_failures_in_windows = 0;
  std::vector<std::string> probe_failures, probe_failures_starved;
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<double> probe_ms;
  for (const auto& p : probes) {
    if (p.ok) {
      probe_ms.push_back(p.ms);
      continue;
    }
    const bool excused = std::any_of(windows.begin(), windows.end(), [&](const Window& w) { return p.started <= w.to && p.ended >= w.from; });
    if (excused) ++probe_failures_in_windows;
    else {
      const CpuShare share = cpu_share(cpu, p.started, p.ended);
      double since_restart = -1;  // seconds since the server last came back, if it did before the probe
      for (const Window& w : windows) {
        if (w.to <= p.started) since_restart = std::chrono::duration<double>(p.started - w.to).count() + 1.0;
      }
      char text[200];
      std::snprintf(text, sizeof text, " at %.1f s (%.1f s after the server last came back; meanwhile the server used %.0f %% of a core, other processes %.0f %%)",
                    std::chrono::duration<double>(p.started - started).count(), since_restart, share.server_pct, share.others_pct);
      // A server that got little CPU while other processes held most of the machine was starved,
      // not stuck: told apart, not counted (a busy or a blocked server on a free machine counts).
      const bool starved = share.server_pct < 50 && share.others_pct > 50 * cores;
      (starved ? probe_failures_starved : probe_failures).push_back(p.failure + text);
    }
  }
  std::uint64_t actions = 0;
  for (const auto& [k, n] : ledger.actions) actions += n;
  std::printf("ran %.1f s: %d clients, %llu actions (%.0f/s), %llu frames from the server\n", ran_s, o.clients,
              static_cast<unsigned long long>(actions), static_cast<double>(actions) / ran_s,
              static_cast<unsigned long long>(ledger.frames));
  print_counts("actions by kind", ledger.actions);
  std::printf("acks: %llu chat messages, %llu wb:ops batches (%llu elements), %llu joins, %llu other; %llu requests unanswered "
              "(their socket went away first)\n",
              static_cast<unsigned long long>(ledger.chat_acks), static_cast<unsigned long long>(ledger.wb_acks),
              static_cast<unsigned long long>(ledger.wb_elements_acked), static_cast<unsigned long long>(ledger.join_acks),
              static_cast<unsigned long long>(ledger.other_acks), static_cast<unsigned long long>(ledger.unanswered));
  print_counts("errors from the server by code", ledger.errors, ledger.error_samples);
  print_counts("connection events", ledger.events);
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  const double self_cpu_s = static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
                            static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec) * 1e-6;
  std::printf("CPU during the run: the server %.0f %% of one core, other processes %.0f %%, on %u cores (this test %.1f s in all)\n",
              run_share.server_pct, run_share.others_pct, std::thread::hardware_concurrency(), self_cpu_s);
  std::printf("restarts: %zu kills with SIGKILL (the last before the final check), down %.0f ms on average, %.0f ms at most\n",
              downtime_ms.size(), downtime_ms.empty() ? 0.0 : std::accumulate(downtime_ms.begin(), downtime_ms.end(), 0.0) / static_cast<double>(downtime_ms.size()),
              downtime_ms.empty() ? 0.0 : *std::max_element(downtime_ms.begin(), downtime_ms.end()));
  std::printf("/healthz: %zu probes, %zu answered (p50 %.1f ms, p99 %.1f ms), %d failed inside restart windows, %zu outside, "
              "%zu more while other processes starved the server (not counted)\n",
              probes.size(), probe_ms.size(), quantile(probe_ms, 0.5), quantile(probe_ms, 0.99), probe_failures_in_windows,
              probe_failures.size(), probe_failures_starved.size());
  for (const auto& f : probe_failures_starved) std::printf("  starved: %s\n", f.c_str());
  std::printf("join latency (room:join -> room:joined):\n");
  for (const auto& [kind, ms] : ledger.join_ms) {
    std::printf("  %-28s %6zu joins, p50 %7.1f ms, p99 %7.1f ms, max %7.1f ms\n", (kind + ":").c_str(), ms.size(),
                quantile(ms, 0.5), quantile(ms, 0.99), quantile(ms, 1.0));
  }
  std::printf("final joins after the last restart: p50 %.1f ms, p99 %.1f ms\n", quantile(final_join_ms, 0.5), quantile(final_join_ms, 0.99));
  std::printf("\nrooms after the last restart:\n");
  for (std::size_t r = 0; r < verdicts.size(); ++r) {
    const RoomVerdict& v = verdicts[r];
    const auto chats = ledger.chats.count(rooms[r].code) ? ledger.chats.at(rooms[r].code).size() : 0;
    const auto elements = ledger.elements.count(rooms[r].code) ? ledger.elements.at(rooms[r].code).size() : 0;
    std::printf("  %s%s  acked: %4zu chat, %5zu elements;  fresh join: %s, history %zu, board %zu\n", rooms[r].code.c_str(),
                rooms[r].password ? " (password)" : "           ", chats, elements,
                !v.joinable ? ("FAILED: " + v.join_problem).c_str() : v.content_checked ? "room:joined" : "room_full (not read)",
                v.history, v.board_elements);
  }

  // ---- invariants.
  tally.check(crashes.empty(), "the server never exited on its own: " + (crashes.empty() ? "" : crashes.front()));
  tally.check(probe_failures.empty(), "/healthz answered outside restart windows: " + std::to_string(probe_failures.size()) +
                                          " failures" + (probe_failures.empty() ? "" : ", first: " + probe_failures.front()));
  tally.check(last_health.reached && last_health.status == 200, "/healthz answered at the end: " +
                                                                    (last_health.reached ? "status " + std::to_string(last_health.status) : last_health.failure));
  tally.check(ledger.undecodable == 0, "every server frame decodes with the protocol codec: " + std::to_string(ledger.undecodable) +
                                           " did not" + (ledger.undecodable_samples.empty() ? "" : ", e.g. " + ledger.undecodable_samples.front()));
  tally.check(!verdicts.empty() || !alive, "the final check ran");
  for (std::size_t r = 0; r < verdicts.size(); ++r) {
    const RoomVerdict& v = verdicts[r];
    const std::string name = "room " + rooms[r].code;
    tally.check(v.joinable, name + " is joinable: " + v.join_problem);
    // Nobody is connected by now and every grace and reservation has run out: a full room has
    // seats that never came back.
    tally.check(!v.stayed_full, name + " has its seats back once everyone is gone: room_full for 10 s with nobody in it");
    std::string board, chat;
    for (const auto& p : v.board_problems) board += (board.empty() ? "" : "; ") + p;
    for (const auto& p : v.chat_problems) chat += (chat.empty() ? "" : "; ") + p;
    if (v.content_checked) {
      tally.check(v.board_problems.empty(), name + " keeps its acknowledged board: " + board);
      tally.check(v.chat_problems.empty(), name + " keeps its acknowledged chat: " + chat);
    }
  }
  std::printf("\n");
  for (const auto& f : tally.failures) std::printf("FAILED: %s\n", f.c_str());
  for (const auto& c : crashes) std::printf("crash: %s\n", c.c_str());
  std::printf("%d passed, %zu failed\n", tally.passed, tally.failures.size());

  server->stop();
  if (tally.failures.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
    return 0;
  }
  std::printf("the database and the server log are kept in %s\n", work.c_str());
  return 1;
}
