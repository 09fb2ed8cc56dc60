// Layout engine benchmark: median time of one native `compute` for 1, 10, 100 and 1000 tiles, beside a
// baseline run in the same process (copying the Input, the least any caller pays to hand it over).
// Targets: 10 tiles <= 1 us, 1000 tiles <= 100 us. `--quick` runs a few rounds only (ctest smoke run).
// Then the share of a portrait phone (390×844) the tiles cover for 2–10 people, with the site's
// aspect range for phones (cameras from 9:16 to 16:9, cropped to fill) beside the fixed 16:9.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "layout/layout.h"

#include "median_time.h"

using namespace mehfil::layout;

namespace {

volatile double sink;

Input input_with(int count, Mode mode) {
  Input input;
  input.viewport = {1280, 720};
  input.mode = mode;
  for (int i = 0; i < count; ++i) input.tiles.push_back({"peer-" + std::to_string(i)});
  if (count > 0) input.tiles[0].is_local = true;
  if (mode == Mode::automatic && count > 2) input.tiles[1].kind = TileKind::screen;
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int rounds = quick ? 3 : 31;
  std::printf("layout engine, native (median of %d rounds)\n", rounds);
  std::printf("%-6s %-10s %14s %14s %8s\n", "tiles", "mode", "compute", "copy input", "ratio");
  for (const Mode mode : {Mode::grid, Mode::automatic}) {
    for (const int count : {1, 10, 100, 1000}) {
      const Input input = input_with(count, mode);
      const int calls = std::max(10, (quick ? 20000 : 400000) / (count + 10));
      const double compute_ns = median_ns(rounds, calls, [&] { sink = compute(input).tiles.back().width; });
      const double copy_ns = median_ns(rounds, calls, [&] {
        Input copy = input;
        sink = copy.viewport.width;
      });
      std::printf("%-6d %-10s %11.3f us %11.3f us %7.2fx\n", count, mode == Mode::grid ? "grid" : "auto+screen",
                  compute_ns / 1000, copy_ns / 1000, compute_ns / copy_ns);
    }
  }
  // Auto mode, as the call page lays it out: ourselves first, then the others.
  std::printf("\nused area of a 390x844 phone, auto mode (share of the screen under tiles)\n");
  std::printf("%-7s %10s %16s %8s\n", "people", "16:9", "9:16 to 16:9", "ratio");
  for (int people = 2; people <= 10; ++people) {
    Input input = input_with(people, Mode::grid);
    input.mode = Mode::automatic;
    input.viewport = {390, 844};
    const auto used = [](const Output& out) {
      double area = 0;
      for (const TileRect& t : out.tiles) {
        if (t.visible && (!out.pip || t.id != *out.pip)) area += t.width * t.height;  // the corner picture sits on the other
      }
      return area / (390.0 * 844.0);
    };
    const double fixed = used(compute(input));
    input.min_aspect = 9.0 / 16;
    input.max_aspect = 16.0 / 9;
    const double ranged = used(compute(input));
    std::printf("%-7d %9.1f%% %15.1f%% %7.2fx\n", people, fixed * 100, ranged * 100, ranged / fixed);
  }
  return 0;
}
