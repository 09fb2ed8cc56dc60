// Properties over thousands of generated inputs: every viewport from 200x200 to 7680x4320, 0 to 100
// tiles, every mode and policy. A failure prints the seed and the input as JSON, which replays it
// with `build/native/bin/mehfil-layout`.
#include <catch2/catch.hpp>

#include <random>

#include "layout/layout_json.h"
#include "layout_test_support.h"

#include <nlohmann/json.hpp>

using namespace layout_test;

namespace {

Input generated_input(std::uint32_t seed) {
  std::mt19937 rng(seed);
  const auto uniform = [&](double low, double high) { return std::uniform_real_distribution<double>(low, high)(rng); };
  const auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  Input input;
  input.viewport = {std::round(uniform(200, 7680)), std::round(uniform(200, 4320))};
  input.gap = chance(0.2) ? 0 : std::round(uniform(0, 24));
  input.aspect = chance(0.7) ? 1.7778 : uniform(0.5, 2.5);
  if (chance(0.3)) {  // a range of shapes around the aspect
    input.min_aspect = uniform(0.4, 1) * input.aspect;
    input.max_aspect = chance(0.5) ? 0 : uniform(1, 1.6) * input.aspect;
  }
  input.min_tile_width = chance(0.2) ? 0 : uniform(80, 400);
  input.mode = std::array{Mode::grid, Mode::spotlight, Mode::automatic}[rng() % 3];
  input.policy = chance(0.5) ? Policy::table : Policy::best_fit;
  input.page = static_cast<int>(rng() % 4);
  const int count = chance(0.5) ? static_cast<int>(rng() % 11) : static_cast<int>(rng() % 101);
  for (int i = 0; i < count; ++i) {
    TileInput tile{"p" + std::to_string(rng() % 100000) + "-" + std::to_string(i)};
    tile.kind = chance(0.05) ? TileKind::screen : chance(0.03) ? TileKind::document : TileKind::camera;
    tile.pinned = chance(0.03);
    tile.speaking = chance(0.1);
    tile.has_video = chance(0.8);
    tile.is_local = i == 0 && chance(0.7);
    input.tiles.push_back(tile);
  }
  return input;
}

std::string replay(std::uint32_t seed, const Input& input) {
  nlohmann::json tiles = nlohmann::json::array();
  for (const TileInput& t : input.tiles) {
    tiles.push_back({{"id", t.id}, {"kind", t.kind == TileKind::screen ? "screen" : "camera"}, {"pinned", t.pinned},
                     {"speaking", t.speaking}, {"has_video", t.has_video}, {"is_local", t.is_local}});
  }
  const char* modes[] = {"grid", "spotlight", "auto"};
  nlohmann::json json = {{"viewport", {{"width", input.viewport.width}, {"height", input.viewport.height}}},
                         {"gap", input.gap}, {"aspect", input.aspect}, {"min_aspect", input.min_aspect},
                         {"max_aspect", input.max_aspect}, {"min_tile_width", input.min_tile_width},
                         {"mode", modes[static_cast<int>(input.mode)]},
                         {"policy", input.policy == Policy::table ? "table" : "best-fit"},
                         {"page", input.page}, {"tiles", tiles}};
  return "seed " + std::to_string(seed) + ", replay with: echo '" + json.dump() + "' | build/native/bin/mehfil-layout";
}

}  // namespace

TEST_CASE("Every generated input gives a layout that keeps every invariant") {
  for (std::uint32_t seed = 1; seed <= 5000; ++seed) {
    const Input input = generated_input(seed);
    const Output out = compute(input);
    const std::string broken = broken_invariant(input, out);
    if (!broken.empty()) FAIL(broken << "\n" << replay(seed, input));
    // Deterministic: equal inputs, equal outputs, to the byte.
    if (output_to_json_text(compute(input)) != output_to_json_text(out)) FAIL("not deterministic\n" << replay(seed, input));
  }
}

TEST_CASE("Removing any one tile never reorders the rest, on any generated grid") {
  for (std::uint32_t seed = 1; seed <= 500; ++seed) {
    Input input = generated_input(seed);
    input.mode = Mode::grid;
    input.page = 0;
    if (input.tiles.size() < 2) continue;
    const auto before = reading_order(compute(input));
    const std::size_t leaver = seed % input.tiles.size();
    const std::string gone = input.tiles[leaver].id;
    input.tiles.erase(input.tiles.begin() + static_cast<long>(leaver));
    auto expected = before;
    expected.erase(std::find(expected.begin(), expected.end(), gone));
    if (reading_order(compute(input)) != expected) FAIL("reordered\n" << replay(seed, input));
  }
}
