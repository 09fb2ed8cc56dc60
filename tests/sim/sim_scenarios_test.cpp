// Whole rooms under stress, on many seeds: after the network settles, every pair of present peers
// has exactly one connected link on both sides, every participant list equals the server's, and
// nobody is a ghost. A failing seed is printed with a trace that replays it:
//   MEHFIL_SIM_SEED=<seed> build/native/bin/mehfil_sim_tests "<the scenario>"
// reruns only that seed (in the scenario it belongs to) and prints its full trace;
// MEHFIL_SIM_SEEDS=<n> runs n seeds per scenario instead of the default (for a longer soak).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>

#include "sim_world.h"
#include "authority/room_authority.h"

using namespace mehfil::sim;
using namespace mehfil::room;

namespace {

constexpr std::int64_t kSettleMs = 60'000;  // quiet time before the property is checked
constexpr int kSeedsPerScenario = 150;      // eighteen scenarios: 2700 seeds in all

// Sets up the scenario's actions; returns when its last disturbance happens. The check is for
// anything the scenario promises beyond the common property ("" when it holds).
struct Scenario {
  int number;  // seeds number*10000 + i belong to it
  std::function<std::int64_t(SimWorld&)> setup;
  std::function<std::string(const SimWorld&)> check = [](const SimWorld&) { return std::string(); };
};

std::string run_seed(const Scenario& scenario, std::uint32_t seed, bool tracing, SimWorld** keep = nullptr) {
  auto* world = new SimWorld(seed, tracing);
  const std::int64_t last = scenario.setup(*world);
  world->run_until(last + kSettleMs);
  std::string problems = world->check_settled();
  problems += scenario.check(*world);
  if (keep) {
    *keep = world;
  } else {
    delete world;
  }
  return problems;
}

void run_scenario(const Scenario& scenario) {
  if (const char* only = std::getenv("MEHFIL_SIM_SEED")) {
    const auto seed = static_cast<std::uint32_t>(std::strtoul(only, nullptr, 10));
    if (static_cast<int>(seed / 10000) != scenario.number) return;
    SimWorld* world = nullptr;
    const std::string problems = run_seed(scenario, seed, true, &world);
    for (const auto& line : world->trace()) std::cout << line << '\n';
    delete world;
    INFO("seed " << seed << "\n" << problems);
    CHECK(problems.empty());
    return;
  }
  int seeds = kSeedsPerScenario;
  if (const char* many = std::getenv("MEHFIL_SIM_SEEDS")) seeds = std::max(1, std::atoi(many));
  seeds = std::min(seeds, 10000);  // the next scenario's seeds start there
  int failures = 0;
  for (int i = 0; i < seeds; ++i) {
    const auto seed = static_cast<std::uint32_t>(scenario.number * 10000 + i);
    const std::string problems = run_seed(scenario, seed, false);
    if (problems.empty()) continue;
    if (++failures > 3) continue;  // the first few are enough to read
    SimWorld* world = nullptr;
    run_seed(scenario, seed, true, &world);
    const auto& trace = world->trace();
    std::string tail;
    for (std::size_t t = trace.size() > 150 ? trace.size() - 150 : 0; t < trace.size(); ++t) tail += trace[t] + "\n";
    delete world;
    FAIL_CHECK("seed " << seed << " failed (rerun: MEHFIL_SIM_SEED=" << seed << ")\n" << problems
                       << "--- last trace lines ---\n" << tail);
  }
  CHECK(failures == 0);
}

std::int64_t everybody_joins(SimWorld& world, int count, std::int64_t from, std::int64_t spread) {
  world.add_clients(count);
  for (int i = 0; i < count; ++i) world.join(i, from + world.rng().between(0, spread));
  return from + spread;
}

// Appends "c<client> <what>" to the problems (built by appending: GCC 12 warns falsely on a + chain).
void note(std::string& problems, int client, std::string_view what) {
  problems += 'c';
  problems += std::to_string(client);
  problems += ' ';
  problems += what;
  problems += '\n';
}

int host_of(const SimWorld& world) {
  const auto* room = world.server().room(kRoomCode);
  for (int i = 0; i < world.client_count(); ++i) {
    if (world.client(i).user_id == room->facts().host_user_id) return i;
  }
  return -1;
}

}  // namespace

TEST_CASE("Ten people joining at once all end up connected to each other, and no two offers cross") {
  run_scenario({1, [](SimWorld& world) { return everybody_joins(world, 10, 0, 50); },
                [](const SimWorld& world) {
                  std::string problems;
                  for (int i = 0; i < world.client_count(); ++i) {
                    if (world.client(i).room.state() != RoomState::in_room) note(problems, i, "is not in the room");
                  }
                  // The newcomer offers and the member already there answers, so even joins 50 ms
                  // apart never collide: a rollback here is a round trip on someone's first frame.
                  if (world.rollbacks() > 0) problems += std::to_string(world.rollbacks()) + " rollbacks: offers crossed\n";
                  return problems;
                }});
}

TEST_CASE("Half the room leaves and rejoins and the mesh heals without ghosts") {
  run_scenario({2, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(6, 10));
                  everybody_joins(world, count, 0, 300);
                  const std::int64_t leave_at = world.rng().between(500, 8000);  // often mid-negotiation
                  for (int i = 0; i < count; i += 2) {
                    world.leave(i, leave_at + world.rng().between(0, 1000));
                    world.join(i, leave_at + world.rng().between(1000, 4000));
                  }
                  return leave_at + 4000;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  for (int i = 0; i < world.client_count(); ++i) {
                    if (world.client(i).room.state() != RoomState::in_room) note(problems, i, "is not back");
                  }
                  return problems;
                }});
}

TEST_CASE("The host kicks people and they are gone from every list and every link") {
  run_scenario({3, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(4, 10));
                  world.add_clients(count);
                  world.join(0, 0);  // c0 is the host
                  for (int i = 1; i < count; ++i) world.join(i, 500 + world.rng().between(0, 300));
                  const std::int64_t kick_at = world.rng().between(1000, 10000);
                  for (int victim = 1; victim < count; victim += 3) {
                    HostIntent kick;
                    kick.action = HostActionKind::kick;
                    kick.target_user_id = world.client(victim).user_id;
                    world.act(0, kick, kick_at + world.rng().between(0, 500));
                  }
                  return kick_at + 500;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  for (int i = 1; i < world.client_count(); ++i) {
                    const RoomState want = i % 3 == 1 ? RoomState::kicked : RoomState::in_room;
                    if (world.client(i).room.state() != want) {
                      note(problems, i, to_string(world.client(i).room.state()));
                    }
                  }
                  return problems;
                }});
}

TEST_CASE("The host leaves and the co-host, or else the longest present, takes over") {
  run_scenario({4, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 10));
                  world.add_clients(count);
                  for (int i = 0; i < count; ++i) world.join(i, i * 400);  // far enough apart: join order = index
                  const bool with_cohost = world.rng().chance(0.5);
                  std::int64_t at = count * 400 + world.rng().between(500, 3000);
                  if (with_cohost) {
                    HostIntent make;
                    make.action = HostActionKind::make_cohost;
                    make.target_user_id = world.client(count - 1).user_id;
                    world.act(0, make, at);
                    at += 1000;
                  }
                  world.leave(0, at);
                  return at;
                },
                [](const SimWorld& world) {
                  const auto* room = world.server().room(kRoomCode);
                  const bool had_cohost = room->members().back().is_cohost;
                  const int successor = had_cohost ? world.client_count() - 1 : 1;
                  std::string problems;
                  if (host_of(world) != successor) note(problems, host_of(world), "is the host, not the successor");
                  const auto& toasts = world.client(successor).toasts;
                  if (std::find(toasts.begin(), toasts.end(), Toast::you_are_host) == toasts.end()) {
                    problems += "the new host was not told\n";
                  }
                  if (world.client(0).room.state() != RoomState::left) problems += "the old host did not leave\n";
                  return problems;
                }});
}

TEST_CASE("Every connection drops mid-negotiation and the room recovers") {
  run_scenario({5, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(4, 10));
                  everybody_joins(world, count, 0, 100);
                  std::int64_t last = 0;
                  const int rounds = static_cast<int>(world.rng().between(1, 2));
                  for (int round = 0; round < rounds; ++round) {
                    const std::int64_t base = 300 + round * 5000 + world.rng().between(0, 1500);
                    for (int i = 0; i < count; ++i) {
                      const std::int64_t at = base + world.rng().between(0, 400);
                      world.drop_connection(i, at);
                      last = std::max(last, at);
                    }
                  }
                  return last;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  for (int i = 0; i < world.client_count(); ++i) {
                    if (world.client(i).room.state() != RoomState::in_room) note(problems, i, "did not come back");
                  }
                  return problems;
                }});
}

TEST_CASE("Glare on every pair resolves to one connection per pair") {
  run_scenario({6, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(2, 10));
                  everybody_joins(world, count, 0, 20);
                  const std::int64_t at = world.rng().between(8000, 12000);
                  world.restart_ice_everywhere(at);  // every pc offers again at the same instant
                  return at;
                },
                [](const SimWorld& world) {
                  return world.rollbacks() > 0 ? std::string() : std::string("no polite peer ever rolled back\n");
                }});
}

TEST_CASE("Chaos: drops, leaves, rejoins and ICE restarts all at once still settle into a full mesh") {
  run_scenario({7, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 9));
                  everybody_joins(world, count, 0, 2000);
                  std::int64_t last = 2000;
                  for (int i = 0; i < count; ++i) {
                    const int drops = static_cast<int>(world.rng().between(0, 3));
                    for (int d = 0; d < drops; ++d) {
                      const std::int64_t at = world.rng().between(100, 20000);
                      world.drop_connection(i, at);
                      last = std::max(last, at);
                    }
                    if (world.rng().chance(0.3)) {
                      const std::int64_t at = world.rng().between(500, 15000);
                      world.leave(i, at);
                      world.join(i, at + world.rng().between(0, 3000));
                      last = std::max(last, at + 3000);
                    }
                  }
                  if (world.rng().chance(0.5)) world.restart_ice_everywhere(world.rng().between(1000, 20000));
                  return last;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  for (int i = 0; i < world.client_count(); ++i) {
                    if (world.client(i).room.state() != RoomState::in_room) note(problems, i, "is not in the room");
                  }
                  return problems;
                }});
}

// ---------------------------------------------------------------------------------------------
// The server's side of a room: the simulation runs the real rules (wasm/core/authority), so these
// scenarios test what the real server does when people race it.

TEST_CASE("The host drops, someone claims the room while the host races back, and everyone agrees on the host") {
  run_scenario({8, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 8));
                  world.add_clients(count);
                  for (int i = 0; i < count; ++i) world.join(i, i * 300);
                  const std::int64_t drop_at = count * 300 + world.rng().between(1000, 4000);
                  // Away for a moment or for a while: the claim lands before or after the host is back.
                  world.cut_off(0, drop_at, drop_at + world.rng().between(0, 6000));
                  const int claimant = static_cast<int>(world.rng().between(1, count - 1));
                  world.act(claimant, ClaimHost{}, drop_at + world.rng().between(300, 3000));
                  return drop_at + 6000;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  for (int i = 0; i < world.client_count(); ++i) {
                    if (world.client(i).room.state() != RoomState::in_room) note(problems, i, "is not in the room");
                  }
                  if (host_of(world) < 0) problems += "nobody is host\n";
                  return problems;
                }});
}

TEST_CASE("Someone gone past the resume grace is gone for everyone, and comes back as a new arrival") {
  run_scenario({9, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 8));
                  everybody_joins(world, count, 0, 500);
                  const int gone = static_cast<int>(world.rng().between(1, count - 1));
                  const std::int64_t from = world.rng().between(3000, 6000);
                  const std::int64_t grace = mehfil::authority::Timing{}.resume_grace_ms;
                  world.cut_off(gone, from, from + grace + world.rng().between(2000, 10000));
                  return from + grace + 10000;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  for (int i = 0; i < world.client_count(); ++i) {
                    if (world.client(i).room.state() != RoomState::in_room) note(problems, i, "is not back");
                  }
                  return problems;
                }});
}

TEST_CASE("Someone the host removed tries to come back and is kept out with the kicked screen") {
  run_scenario({10, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 8));
                  world.add_clients(count);
                  world.join(0, 0);
                  for (int i = 1; i < count; ++i) world.join(i, 400 + world.rng().between(0, 300));
                  const int victim = static_cast<int>(world.rng().between(1, count - 1));
                  const std::int64_t kick_at = world.rng().between(2000, 6000);
                  HostIntent kick;
                  kick.action = HostActionKind::kick;
                  kick.target_user_id = world.client(victim).user_id;
                  world.act(0, kick, kick_at);
                  world.join(victim, kick_at + world.rng().between(500, 3000));
                  return kick_at + 3000;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  const auto* room = world.server().room(kRoomCode);
                  for (int i = 0; i < world.client_count(); ++i) {
                    const SimClient& c = world.client(i);
                    const bool removed = !room->member(c.user_id);
                    const bool told = std::count(c.screens.begin(), c.screens.end(), Screen::kicked) >= 2;
                    if (removed && !told) note(problems, i, "was kept out without the kicked screen both times");
                    if (removed && c.room.state() == RoomState::in_room) note(problems, i, "thinks it is in");
                  }
                  if (room->members().size() != static_cast<std::size_t>(world.client_count() - 1)) {
                    problems += "the server has " + std::to_string(room->members().size()) + " members\n";
                  }
                  return problems;
                }});
}

TEST_CASE("A co-host removes and mutes members but cannot remove the host or end the room") {
  run_scenario({11, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(4, 8));
                  world.add_clients(count);
                  for (int i = 0; i < count; ++i) world.join(i, i * 300);
                  std::int64_t at = count * 300 + world.rng().between(500, 2000);
                  HostIntent make{HostActionKind::make_cohost, world.client(1).user_id, false, {}};
                  world.act(0, make, at);
                  at += world.rng().between(500, 1500);
                  world.act(1, HostIntent{HostActionKind::kick, world.client(2).user_id, false, {}}, at);
                  world.act(1, HostIntent{HostActionKind::mute, world.client(3).user_id, false, {}}, at + 10);
                  world.act(1, HostIntent{HostActionKind::kick, world.client(0).user_id, false, {}}, at + 20);
                  world.act(1, HostIntent{HostActionKind::end, {}, false, {}}, at + 30);
                  return at + 30;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  const auto* room = world.server().room(kRoomCode);
                  if (room->phase() != mehfil::authority::Phase::active) problems += "the room ended\n";
                  if (world.client(2).room.state() != RoomState::kicked) note(problems, 2, "was not removed");
                  if (!room->member(world.client(0).user_id) || host_of(world) != 0) note(problems, 0, "is no longer the host");
                  const auto* muted = room->member(world.client(3).user_id);
                  if (!muted || muted->audio) note(problems, 3, "was not muted");
                  for (int i = 0; i < world.client_count(); ++i) {
                    if (i != 2 && world.client(i).room.state() != RoomState::in_room) note(problems, i, "is not in the room");
                  }
                  return problems;
                }});
}

TEST_CASE("Hands go up and down while sockets drop: everyone agrees with the room on each hand and on the order, and the host's lowering reaches all") {
  run_scenario({16, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 8));
                  world.add_clients(count);
                  for (int i = 0; i < count; ++i) world.join(i, i * 200);
                  const std::int64_t start = count * 200 + 1000;
                  std::int64_t last = start;
                  for (int i = 1; i < count; ++i) {
                    const std::int64_t up = start + world.rng().between(0, 3000);
                    world.act(i, RaiseHand{true}, up);
                    if (world.rng().between(0, 2) == 0) world.drop_connection(i, up + world.rng().between(0, 400));
                    if (world.rng().between(0, 3) == 0) world.act(i, RaiseHand{false}, up + world.rng().between(500, 2000));
                    last = std::max(last, up + 2000);
                  }
                  // The host lowers client 1's hand, whether it is up yet or not.
                  world.act(0, HostIntent{HostActionKind::lower_hand, world.client(1).user_id, false, {}}, last + 15'000);
                  return last + 15'000;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  const auto* room = world.server().room(kRoomCode);
                  if (const auto* one = room->member(world.client(1).user_id); one && one->hand_raised_at) note(problems, 1, "still has a hand up");
                  // The order each client would show: by the time each went up, as the room has it.
                  for (int i = 0; i < world.client_count(); ++i) {
                    for (const auto& p : world.client(i).room.participants()) {
                      const auto* m = room->member(p.user_id);
                      if (m && m->hand_raised_at != p.hand_raised_at) note(problems, i, "sees another hand for " + p.user_id);
                    }
                  }
                  return problems;
                }});
}

TEST_CASE("The waiting room: knockers wait through dropped sockets, the host lets some in and turns one away, leaves, and the co-host lets the rest in") {
  run_scenario({17, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(4, 8));
                  world.add_clients(count);
                  world.join(0, 0);  // the host
                  world.join(1, 100);  // in before the door closes; made co-host below
                  HostIntent on{HostActionKind::settings, {}, false, {}};
                  on.settings.waiting_room = true;
                  world.act(0, on, 2500);  // once both are surely in, whatever the network's latency
                  world.act(0, HostIntent{HostActionKind::make_cohost, world.client(1).user_id, false, {}}, 2550);
                  for (int i = 2; i < count; ++i) {
                    const std::int64_t at = 4000 + world.rng().between(0, 1000);
                    world.join(i, at);
                    if (world.rng().between(0, 2) == 0) world.drop_connection(i, at + world.rng().between(100, 3000));
                  }
                  // The host lets client 2 in, turns client 3 away, and leaves; the co-host lets the rest in.
                  world.act(0, HostIntent{HostActionKind::admit, world.client(2).user_id, false, {}}, 11'000);
                  world.act(0, HostIntent{HostActionKind::deny, world.client(3).user_id, false, {}}, 11'100);
                  world.leave(0, 12'000);
                  world.act(1, HostIntent{HostActionKind::admit, {}, false, {}}, 15'000);
                  return std::int64_t{15'000};
                },
                [](const SimWorld& world) {
                  std::string problems;
                  const auto* room = world.server().room(kRoomCode);
                  if (!room->knocking().empty()) problems += "someone still waits at the door\n";
                  if (host_of(world) != 1) note(problems, 1, "is not the host after the host left");
                  for (int i = 2; i < world.client_count(); ++i) {
                    const auto& c = world.client(i);
                    const bool denied = i == 3;
                    if (denied && (c.room.state() != RoomState::failed || c.screens.empty() || c.screens.back() != Screen::knock_denied)) {
                      note(problems, i, "was not turned away with knock_denied");
                    }
                    if (!denied && c.room.state() != RoomState::in_room) note(problems, i, "was not let in");
                    if (std::count(c.screens.begin(), c.screens.end(), Screen::waiting_room) == 0) note(problems, i, "never saw the waiting room");
                  }
                  return problems;
                }});
}

TEST_CASE("More people than places join at once: exactly the room's size get in, the rest see room_full") {
  run_scenario({12, [](SimWorld& world) {
                  const int places = static_cast<int>(world.rng().between(2, 5));
                  world.remake_room(places);
                  everybody_joins(world, places + static_cast<int>(world.rng().between(1, 5)), 0, 60);
                  return 60;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  const auto* room = world.server().room(kRoomCode);
                  const int places = room->facts().max_participants;
                  int in = 0;
                  for (int i = 0; i < world.client_count(); ++i) {
                    const SimClient& c = world.client(i);
                    if (c.room.state() == RoomState::in_room) {
                      ++in;
                    } else if (std::find(c.screens.begin(), c.screens.end(), Screen::room_full) == c.screens.end()) {
                      note(problems, i, "is out without the room_full screen");
                    }
                  }
                  if (in != places) problems += std::to_string(in) + " got in for " + std::to_string(places) + " places\n";
                  return problems;
                }});
}

TEST_CASE("People who arrive before the host talk to each other, cannot take the room, and the host is host on arrival") {
  run_scenario({13, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 8));
                  world.add_clients(count);
                  for (int i = 1; i < count; ++i) world.join(i, world.rng().between(0, 500));
                  world.act(1, ClaimHost{}, world.rng().between(1500, 2500));
                  const std::int64_t host_at = world.rng().between(3000, 8000);
                  world.join(0, host_at);
                  return host_at;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  if (host_of(world) != 0) problems += "the maker of the room is not its host\n";
                  const auto& toasts = world.client(1).toasts;
                  if (std::find(toasts.begin(), toasts.end(), Toast::you_are_host) != toasts.end()) note(problems, 1, "was told it is host");
                  for (int i = 0; i < world.client_count(); ++i) {
                    if (world.client(i).room.state() != RoomState::in_room) note(problems, i, "is not in the room");
                  }
                  return problems;
                }});
}

TEST_CASE("A member wiping someone else's drawings is refused and reaches nobody, while the host's Clear reaches everyone, late joiners too") {
  run_scenario({14, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 6));
                  world.add_clients(count + 1);  // the last one comes after the Clear
                  for (int i = 0; i < count; ++i) world.join(i, i * 300);
                  std::int64_t at = count * 300 + world.rng().between(1500, 3000);
                  world.draw(1, static_cast<int>(world.rng().between(2, 4)), at);  // c1 draws
                  at += world.rng().between(1500, 3000);
                  world.erase_drawings_of(2, 1, at);  // c2, a member, wipes all of it at once
                  at += world.rng().between(1500, 3000);
                  world.clear_board(0, at);  // c0, the host, clears the board
                  at += world.rng().between(500, 2000);
                  world.join(count, at);
                  return at;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  const auto* board = world.server().board(kRoomCode);
                  if (board->elements().empty()) problems += "nothing was drawn\n";
                  for (const auto& [id, element] : board->elements()) {
                    if (id.rfind(world.client(1).user_id + ":", 0) != 0) problems += id + " is on the board\n";
                    if (!element.deleted) problems += id + " was not cleared\n";
                  }
                  const auto& refusals = world.client(2).refusals;
                  if (std::find(refusals.begin(), refusals.end(), "Only the host or a co-host can clear the board.") == refusals.end()) {
                    note(problems, 2, "was not refused");
                  }
                  const std::string wiper = world.client(2).room.self().peer_id;
                  for (int i = 0; i < world.client_count(); ++i) {
                    const SimClient& c = world.client(i);
                    if (c.room.state() != RoomState::in_room) note(problems, i, "is not in the room");
                    if (c.board_from.count(wiper)) note(problems, i, "heard the refused wipe");
                    // c2's own replica kept its refused erasures, as a browser's would.
                    if (i != 2 && c.board.canonical_json() != board->canonical_json()) note(problems, i, "has another board than the server");
                  }
                  return problems;
                }});
}

TEST_CASE("The host's REST reservation runs out before the host's socket comes: the room waits for its maker, who is host on arrival") {
  run_scenario({15, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 7));
                  world.add_clients(count);
                  world.reserve(0, 0);  // the maker's page joined over REST; its socket is slow to come
                  for (int i = 1; i < count; ++i) world.join(i, world.rng().between(0, 1000));
                  const std::int64_t ran_out = mehfil::authority::Timing{}.reservation_ms;
                  world.act(1, ClaimHost{}, ran_out + world.rng().between(100, 400));  // "Become Host" meanwhile
                  const std::int64_t host_at = ran_out + world.rng().between(500, 8000);
                  world.join(0, host_at);
                  return host_at;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  if (host_of(world) != 0) problems += "the maker of the room is not its host\n";
                  for (int i = 1; i < world.client_count(); ++i) {
                    const auto& toasts = world.client(i).toasts;
                    if (std::find(toasts.begin(), toasts.end(), Toast::you_are_host) != toasts.end()) note(problems, i, "was told it is host");
                  }
                  for (int i = 0; i < world.client_count(); ++i) {
                    if (world.client(i).room.state() != RoomState::in_room) note(problems, i, "is not in the room");
                  }
                  return problems;
                }});
}

TEST_CASE("Reports made while sockets drop: each one of someone here is kept and reaches the host, never the one reported or anyone else, a flood is cut off, and Report sent is said only of a kept one") {
  run_scenario({18, [](SimWorld& world) {
                  const int count = static_cast<int>(world.rng().between(3, 7));
                  world.add_clients(count);
                  for (int i = 0; i < count; ++i) world.join(i, i * 200);
                  const std::int64_t start = count * 200 + 2000;
                  std::int64_t last = start;
                  const std::string reasons[] = {"harassment", "spam", "other"};
                  for (int n = 0; n < count * 3; ++n) {
                    const int from = static_cast<int>(world.rng().between(1, count - 1));  // the host (0) never drops
                    const int about = static_cast<int>(world.rng().between(0, count - 1));  // themselves now and then
                    const std::int64_t at = start + world.rng().between(0, 6000);
                    world.act(from, ReportMember{world.client(about).user_id, reasons[world.rng().between(0, 2)], "", std::nullopt}, at);
                    if (world.rng().between(0, 4) == 0) world.drop_connection(from, at + world.rng().between(0, 300));
                    last = std::max(last, at);
                  }
                  return last + 15'000;
                },
                [](const SimWorld& world) {
                  std::string problems;
                  const auto reports = world.server().reports(kRoomCode);
                  std::map<std::string, int> by_reporter;
                  std::size_t of_others_than_host = 0;
                  for (const auto& report : reports) {
                    if (report.reporter_user_id == report.target_user_id) note(problems, 0, "a report of oneself was kept");
                    if (++by_reporter[report.reporter_user_id] > mehfil::authority::kReportsPerWindow) note(problems, 0, "a flood was kept");
                    if (report.target_user_id != world.client(0).user_id) ++of_others_than_host;
                  }
                  if (world.client(0).reported.size() != of_others_than_host) {
                    note(problems, 0, "heard " + std::to_string(world.client(0).reported.size()) + " reports of " +
                                          std::to_string(of_others_than_host));
                  }
                  for (int i = 1; i < world.client_count(); ++i) {
                    if (!world.client(i).reported.empty()) note(problems, i, "a member who is no host heard of a report");
                  }
                  // room:report-taken comes only for a kept report (a socket that dropped may lose it).
                  std::size_t said = 0;
                  for (int i = 0; i < world.client_count(); ++i) {
                    const auto& toasts = world.client(i).toasts;
                    const auto sent = static_cast<int>(std::count(toasts.begin(), toasts.end(), Toast::report_sent));
                    said += static_cast<std::size_t>(sent);
                    if (sent > by_reporter[world.client(i).user_id]) note(problems, i, "told Report sent of a report not kept");
                  }
                  if (!reports.empty() && said == 0) note(problems, 0, "nobody was told Report sent");
                  return problems;
                }});
}
