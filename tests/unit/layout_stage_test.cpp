// The stage: spotlight, screen shares and pinned tiles, the filmstrip, and picture in picture.
#include <catch2/catch.hpp>

#include "layout_test_support.h"

using namespace layout_test;

TEST_CASE("A screen share takes the stage in auto mode and the others form a filmstrip on the right") {
  Input input = grid_of(4);
  input.mode = Mode::automatic;
  input.tiles[2].kind = TileKind::screen;
  const Output out = compute(input);
  REQUIRE(out.stage == "t2");
  const TileRect& stage = rect_of(out, "t2");
  for (const TileRect& t : out.tiles) {
    if (t.id == "t2") continue;
    CHECK(t.x >= stage.x + stage.width + input.gap - 1e-9);  // to the right of the stage
    CHECK(t.width < stage.width / 3);
  }
  CHECK(stage.width * stage.height > 0.6 * 1280 * 720 * 0.8);
  CHECK(broken_invariant(input, out) == "");
}

TEST_CASE("On a portrait viewport the filmstrip sits under the stage") {
  Input input = grid_of(5, 390, 844);
  input.mode = Mode::spotlight;
  input.tiles[0].pinned = true;
  const Output out = compute(input);
  REQUIRE(out.stage == "t0");
  const TileRect& stage = rect_of(out, "t0");
  for (std::size_t i = 1; i < out.tiles.size(); ++i) {
    if (out.tiles[i].visible) CHECK(out.tiles[i].y >= stage.y + stage.height + input.gap - 1e-9);
  }
  CHECK(broken_invariant(input, out) == "");
}

TEST_CASE("A document on the stage takes the whole stage area, on a phone and on a desktop, and a screen keeps its aspect") {
  const auto [width, height] = GENERATE(table<double, double>({{390, 844}, {1280, 720}}));
  CAPTURE(width, height);
  Input input = grid_of(3, width, height);
  input.mode = Mode::automatic;
  input.tiles[2].kind = TileKind::document;
  const Output out = compute(input);
  REQUIRE(out.stage == "t2");
  const TileRect& stage = rect_of(out, "t2");
  const TileRect& strip = rect_of(out, "t0");
  if (height > width) {
    CHECK(stage.width == Approx(width));  // the full width, down to the filmstrip under it
    CHECK(stage.height == Approx(height - strip.height - input.gap));
    CHECK(stage.height > 1.5 * stage.width);  // a phone's tall screen, not a 16:9 box
  } else {
    CHECK(stage.height == Approx(height));
    CHECK(stage.width == Approx(width - strip.width - input.gap));
  }
  CHECK(broken_invariant(input, out) == "");
  input.tiles[2].kind = TileKind::screen;
  const TileRect& screen = rect_of(compute(input), "t2");
  CHECK(screen.width / screen.height == Approx(input.aspect).epsilon(0.005));
}

TEST_CASE("The stage goes to the pinned tile, then a screen, then (spotlight) who speaks, then a remote") {
  Input input = grid_of(4);
  input.tiles[0].is_local = true;
  input.mode = Mode::spotlight;
  CHECK(compute(input).stage == "t1");  // the first remote tile
  input.tiles[3].speaking = true;
  CHECK(compute(input).stage == "t3");
  input.tiles[2].kind = TileKind::screen;
  CHECK(compute(input).stage == "t2");
  input.tiles[1].pinned = true;
  CHECK(compute(input).stage == "t1");

  SECTION("auto without a pin or a screen is a plain grid") {
    input.mode = Mode::automatic;
    input.tiles[1].pinned = false;
    input.tiles[2].kind = TileKind::camera;
    const Output out = compute(input);
    CHECK(out.stage == std::nullopt);
    CHECK(out.columns == 2);
  }
}

TEST_CASE("A long filmstrip is paginated and the stage stays on every page") {
  Input input = grid_of(40);
  input.mode = Mode::spotlight;
  const Output first = compute(input);
  REQUIRE(first.pages > 1);
  input.page = first.pages - 1;
  const Output last = compute(input);
  CHECK(rect_of(last, *last.stage).visible);
  CHECK(rect_of(last, *last.stage).page == last.page);
  CHECK(broken_invariant(input, first) == "");
  CHECK(broken_invariant(input, last) == "");
}

TEST_CASE("Two cameras in auto mode, one local: the remote fills the view, the local is a corner picture") {
  Input input = grid_of(2);
  input.mode = Mode::automatic;
  input.tiles[0].is_local = true;
  const Output out = compute(input);
  REQUIRE(out.stage == "t1");
  REQUIRE(out.pip == "t0");
  const TileRect& remote = rect_of(out, "t1");
  const TileRect& local = rect_of(out, "t0");
  CHECK(remote.width == Approx(1280));
  CHECK(local.width == Approx(remote.width / 4));
  CHECK(local.x + local.width > 1280 - 20);  // bottom-right corner
  CHECK(local.y + local.height > 720 - 20);
  CHECK(broken_invariant(input, out) == "");

  SECTION("dragged to another corner, it sits there, inside the remote tile") {
    const auto [corner, left, top] = GENERATE(table<Corner, bool, bool>({{Corner::bottom_left, true, false},
                                                                       {Corner::top_right, false, true},
                                                                       {Corner::top_left, true, true}}));
    input.pip_corner = corner;
    const Output moved = compute(input);
    const TileRect& pip = rect_of(moved, "t0");
    CHECK((pip.x < 1280 / 2) == left);
    CHECK((pip.y < 720 / 2) == top);
    CHECK(pip.x >= remote.x);
    CHECK(pip.y >= remote.y);
    CHECK(pip.x + pip.width <= remote.x + remote.width);
    CHECK(pip.y + pip.height <= remote.y + remote.height);
    CHECK(broken_invariant(input, moved) == "");
  }
  SECTION("in grid mode the two sit side by side") {
    input.mode = Mode::grid;
    CHECK(compute(input).pip == std::nullopt);
  }
  SECTION("two remote cameras are not a picture in picture") {
    input.tiles[0].is_local = false;
    CHECK(compute(input).pip == std::nullopt);
  }
}
