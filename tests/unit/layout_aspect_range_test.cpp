// The aspect range (layout.h, rule 5): on a portrait phone, camera tiles may take the shape of the
// space they get, from min_aspect to max_aspect, so they fill the screen; screens and the filmstrip
// keep the aspect, and without a range nothing changes.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "layout_test_support.h"

using namespace layout_test;

namespace {

constexpr double kPortrait = 9.0 / 16;
constexpr double kLandscape = 16.0 / 9;

Input phone_call(int people) {
  Input input = grid_of(people, 390, 844);
  input.mode = Mode::automatic;
  input.tiles[0].is_local = true;
  return input;
}

double used_share(const Output& out, const Input& in) {
  double area = 0;
  for (const TileRect& t : out.tiles) {
    if (t.visible && (!out.pip || t.id != *out.pip)) area += t.width * t.height;
  }
  return area / (in.viewport.width * in.viewport.height);
}

Input ranged(Input input) {
  input.min_aspect = kPortrait;
  input.max_aspect = kLandscape;
  return input;
}

}  // namespace

TEST_CASE("On a portrait phone an aspect range lets the cameras of 2 to 10 people cover more of the screen") {
  // The share of a 390x844 screen under tiles with the range, and its least gain over 16:9 (4 people
  // in one column already fill it: their cells are wider than 16:9). tests/bench/layout_bench.cpp
  // prints both.
  const auto [people, at_least, gain] = GENERATE(table<int, double, double>({
      {2, 0.8, 3.0}, {3, 0.95, 1.2}, {4, 0.9, 0.999}, {5, 0.8, 1.1}, {6, 0.95, 1.6},
      {7, 0.8, 1.6}, {8, 0.9, 1.8}, {9, 0.8, 1.5}, {10, 0.9, 1.5}}));
  INFO(people << " people");
  const Input fixed = phone_call(people);
  const Input range = ranged(fixed);
  const Output after = compute(range);
  CHECK(broken_invariant(range, after).empty());
  CHECK(used_share(after, range) >= at_least);
  CHECK(used_share(after, range) >= used_share(compute(fixed), fixed) * gain);
  for (const TileRect& t : after.tiles) {
    CHECK(t.width / t.height >= kPortrait * 0.995);
    CHECK(t.width / t.height <= kLandscape * 1.005);
  }
}

TEST_CASE("A 1:1 call on a phone fills the screen and its corner picture has the same shape") {
  const Output out = compute(ranged(phone_call(2)));
  REQUIRE(out.pip);
  const TileRect& remote = rect_of(out, *out.stage);
  const TileRect& local = rect_of(out, *out.pip);
  CHECK(remote.width == Approx(390));
  CHECK(remote.height == Approx(390 / kPortrait));  // 9:16, as tall as the range allows
  CHECK(local.width / local.height == Approx(remote.width / remote.height));
}

TEST_CASE("With a range a camera on the stage takes the stage's shape while a shared screen keeps the aspect") {
  Input input = ranged(phone_call(4));
  input.tiles[1].pinned = true;
  const Output camera_stage = compute(input);
  const TileRect& camera = rect_of(camera_stage, "t1");
  CHECK(camera.width / camera.height < 1.0);  // taller than wide: the phone's shape
  CHECK(broken_invariant(input, camera_stage).empty());
  input.tiles[1].pinned = false;
  input.tiles[2].kind = TileKind::screen;
  const Output screen_stage = compute(input);
  const TileRect& screen = rect_of(screen_stage, "t2");
  CHECK(screen.width / screen.height == Approx(input.aspect).epsilon(0.005));
  for (const TileRect& t : screen_stage.tiles) {
    if (t.id != "t2") CHECK(t.width / t.height == Approx(input.aspect).epsilon(0.005));  // the filmstrip
  }
}

TEST_CASE("Without a range, or with one that is only the aspect, the layout is the same to the pixel") {
  for (int people = 1; people <= 12; ++people) {
    Input input = phone_call(people);
    const Output plain = compute(input);
    input.min_aspect = input.aspect;
    input.max_aspect = input.aspect;
    const Output same = compute(input);
    for (std::size_t i = 0; i < plain.tiles.size(); ++i) {
      CHECK(same.tiles[i].x == Approx(plain.tiles[i].x));
      CHECK(same.tiles[i].width == Approx(plain.tiles[i].width));
      CHECK(same.tiles[i].height == Approx(plain.tiles[i].height));
    }
  }
}

TEST_CASE("A range that is no range is refused with the field named") {
  const auto [min_aspect, max_aspect, problem] = GENERATE(table<double, double, std::string>({
      {2.0, 1.0, "min_aspect must not be above max_aspect (each is the aspect when 0)"},
      {2.0, 0, "min_aspect must not be above max_aspect (each is the aspect when 0)"},
      {-1, 0, "min_aspect must be 0 (the aspect) or a number from 0.1 to 10"},
      {0, 11, "max_aspect must be 0 (the aspect) or a number from 0.1 to 10"},
      {0, std::numeric_limits<double>::quiet_NaN(), "max_aspect must be 0 (the aspect) or a number from 0.1 to 10"}}));
  Input input = grid_of(3);
  input.min_aspect = min_aspect;
  input.max_aspect = max_aspect;
  CHECK(input_problem(input) == problem);
}
