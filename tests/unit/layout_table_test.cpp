// The grid: the table our users asked for, portrait phones, pagination, best-fit and stability.
#include <catch2/catch.hpp>

#include "layout_test_support.h"

using namespace layout_test;

TEST_CASE("On a landscape viewport the table policy gives the grid our users asked for") {
  const auto [count, columns, rows] = GENERATE(table<int, int, int>({
      {1, 1, 1}, {2, 2, 1}, {3, 3, 1}, {4, 2, 2}, {5, 3, 2},
      {6, 3, 2}, {7, 3, 3}, {8, 3, 3}, {9, 3, 3}, {10, 4, 3}}));
  CAPTURE(count);
  const Input input = grid_of(count);
  const Output out = compute(input);
  CHECK(out.columns == columns);
  CHECK(out.rows == rows);
  CHECK(out.pages == 1);
  CHECK(out.stage == std::nullopt);
  CHECK(visible_rows(out).size() == static_cast<std::size_t>(rows));
  CHECK(broken_invariant(input, out) == "");
}

TEST_CASE("One tile fills a 16:9 viewport") {
  const Output out = compute(grid_of(1));
  CHECK(out.tiles[0].x == Approx(0));
  CHECK(out.tiles[0].y == Approx(0).margin(0.01));
  CHECK(out.tiles[0].width == Approx(1280));
  CHECK(out.tiles[0].height == Approx(720).epsilon(0.001));
}

TEST_CASE("Ten tiles are laid out 4+4+2 with the last row centred") {
  const Output out = compute(grid_of(10));
  const auto rows = visible_rows(out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].size() == 4);
  CHECK(rows[1].size() == 4);
  REQUIRE(rows[2].size() == 2);
  const double left_margin = rows[2].front().x;
  const double right_margin = 1280 - (rows[2].back().x + rows[2].back().width);
  CHECK(left_margin == Approx(right_margin));
  CHECK(left_margin > rows[0].front().x);
}

TEST_CASE("The grid is centred and neighbours are exactly one gap apart") {
  const int count = GENERATE(2, 4, 6, 9);
  Input input = grid_of(count, 1920, 1080);
  input.gap = 12;
  const Output out = compute(input);
  const auto rows = visible_rows(out);
  const double top = rows.front().front().y;
  const double bottom = 1080 - (rows.back().front().y + rows.back().front().height);
  CHECK(top == Approx(bottom));
  for (const auto& row : rows) {
    CHECK(row.front().x == Approx(1920 - (row.back().x + row.back().width)));
    for (std::size_t i = 1; i < row.size(); ++i) CHECK(row[i].x - (row[i - 1].x + row[i - 1].width) == Approx(12));
  }
  for (std::size_t r = 1; r < rows.size(); ++r) {
    CHECK(rows[r].front().y - (rows[r - 1].front().y + rows[r - 1].front().height) == Approx(12));
  }
}

TEST_CASE("A portrait viewport never puts more than two tiles in a row") {
  const int count = GENERATE(range(1, 11));
  const auto policy = GENERATE(Policy::table, Policy::best_fit);
  Input input = grid_of(count, 390, 844);
  input.policy = policy;
  const Output out = compute(input);
  CHECK(out.columns <= 2);
  for (const auto& row : visible_rows(out)) CHECK(row.size() <= 2);
  CHECK(broken_invariant(input, out) == "");
}

TEST_CASE("Tiles that would fall below min_tile_width go to another page instead of shrinking") {
  Input input = grid_of(30, 390, 844);
  const Output first = compute(input);
  REQUIRE(first.pages > 1);
  int on_first_page = 0;
  for (const TileRect& t : first.tiles) {
    CHECK(t.width >= 160);
    if (t.page == 0) ++on_first_page;
  }
  CHECK(first.pages == (30 + on_first_page - 1) / on_first_page);

  SECTION("every page uses the same tile size and only its own tiles are visible") {
    input.page = 1;
    const Output second = compute(input);
    CHECK(second.page == 1);
    CHECK(second.tiles[0].width == first.tiles[0].width);
    for (const TileRect& t : second.tiles) CHECK(t.visible == (t.page == 1));
  }
  SECTION("a page past the last is the last") {
    input.page = 99;
    CHECK(compute(input).page == first.pages - 1);
  }
}

TEST_CASE("Best-fit picks the column count that gives the largest tiles") {
  const auto [count, width, height] = GENERATE(table<int, double, double>({
      {3, 1280, 720}, {4, 2560, 600}, {7, 1000, 1000}, {10, 1280, 720}, {16, 1920, 1080}, {5, 3000, 400}}));
  Input input = grid_of(count, width, height);
  input.policy = Policy::best_fit;
  input.min_tile_width = 0;
  const Output out = compute(input);
  double best = 0;
  for (int columns = 1; columns <= count; ++columns) {
    const int rows = (count + columns - 1) / columns;
    const double by_width = (width - (columns - 1) * input.gap) / columns;
    const double by_height = (height - (rows - 1) * input.gap) / rows * input.aspect;
    best = std::max(best, std::min(by_width, by_height));
  }
  CAPTURE(count, width, height);
  CHECK(out.tiles[0].width == Approx(best));
  CHECK(broken_invariant(input, out) == "");
}

TEST_CASE("When a tile joins or leaves the others keep their relative order") {
  const int count = GENERATE(range(2, 11));
  const Input before = grid_of(count);
  const auto order_before = reading_order(compute(before));
  CHECK(order_before == reading_order(compute(before)));

  for (int leaver = 0; leaver < count; ++leaver) {
    Input after = before;
    after.tiles.erase(after.tiles.begin() + leaver);
    auto expected = order_before;
    expected.erase(std::find(expected.begin(), expected.end(), before.tiles[leaver].id));
    CHECK(reading_order(compute(after)) == expected);
  }
  Input joined = before;
  joined.tiles.push_back({"newcomer"});
  auto expected = order_before;
  expected.push_back("newcomer");
  CHECK(reading_order(compute(joined)) == expected);
}
