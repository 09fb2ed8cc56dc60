// The JSON face: defaults, exact field names, and a clear error for every kind of bad input.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "layout/layout_json.h"

using namespace mehfil::layout;
using nlohmann::json;

TEST_CASE("Every input field but viewport and tiles has a default") {
  Input input;
  REQUIRE(read_input_text(R"({"viewport": {"width": 1280, "height": 720}, "tiles": [{"id": "a"}]})", input) == "");
  CHECK(input.gap == 8);
  CHECK(input.aspect == Approx(1.7778));
  CHECK(input.min_tile_width == 160);
  CHECK(input.min_aspect == 0);  // 0: the aspect
  CHECK(input.max_aspect == 0);
  CHECK(input.mode == Mode::grid);
  CHECK(input.policy == Policy::table);
  CHECK(input.page == 0);
  CHECK(input.tiles[0].kind == TileKind::camera);
  CHECK(input.tiles[0].has_video);
  CHECK_FALSE(input.tiles[0].pinned);
}

TEST_CASE("The output carries exactly the documented field names") {
  const Output out = compute_from_json_text(
      R"({"viewport": {"width": 1280, "height": 720}, "mode": "auto", "policy": "best-fit",
          "tiles": [{"id": "a"}, {"id": "s", "kind": "screen"}]})");
  const json j = json::parse(output_to_json_text(out));
  CHECK(j["stage"] == "s");
  CHECK(j["pip"] == nullptr);
  for (const char* key : {"columns", "rows", "pages", "page", "stage", "tiles"}) CHECK(j.contains(key));
  for (const char* key : {"id", "x", "y", "width", "height", "visible", "page"}) CHECK(j["tiles"][0].contains(key));
  CHECK(j["tiles"][0]["id"] == "a");
}

TEST_CASE("Equal inputs give equal bytes") {
  const char* text = R"({"viewport": {"width": 1000, "height": 700}, "tiles": [{"id": "a"}, {"id": "b"}, {"id": "c"}]})";
  CHECK(output_to_json_text(compute_from_json_text(text)) == output_to_json_text(compute_from_json_text(text)));
}

TEST_CASE("Bad input is a LayoutError that names what is wrong") {
  const auto [text, message] = GENERATE(table<std::string, std::string>({
      {"{", "input is not valid JSON"},
      {"[]", "input must be an object"},
      {R"({"tiles": []})", "viewport is required"},
      {R"({"viewport": {"width": 10}, "tiles": []})", "viewport.height is required"},
      {R"({"viewport": {"width": "wide", "height": 5}, "tiles": []})", "viewport.width must be a number"},
      {R"({"viewport": {"width": 0, "height": 720}, "tiles": []})", "viewport.width must be a number above 0"},
      {R"({"viewport": {"width": -5, "height": 720}, "tiles": []})", "viewport.width must be a number above 0"},
      {R"({"viewport": {"width": 1e400, "height": 720}, "tiles": []})", "input is not valid JSON"},
      {R"({"viewport": {"width": null, "height": 720}, "tiles": []})", "viewport.width must be a number"},
      {R"({"viewport": {"width": 800, "height": 600}})", "tiles is required"},
      {R"({"viewport": {"width": 800, "height": 600}, "tiles": {}})", "tiles must be an array"},
      {R"({"viewport": {"width": 800, "height": 600}, "tiles": [7]})", "tiles[0] must be an object"},
      {R"({"viewport": {"width": 800, "height": 600}, "tiles": [{}]})", "tiles[0].id is required"},
      {R"({"viewport": {"width": 800, "height": 600}, "tiles": [{"id": 4}]})", "tiles[0].id must be a string"},
      {R"({"viewport": {"width": 800, "height": 600}, "tiles": [{"id": ""}]})", "every tile id must be 1 to 128 characters"},
      {R"({"viewport": {"width": 800, "height": 600}, "tiles": [{"id": "a"}, {"id": "a"}]})", "tile ids must be unique"},
      {R"({"viewport": {"width": 800, "height": 600}, "tiles": [{"id": "a", "kind": "hologram"}]})", "tiles[0].kind must be \"camera\", \"screen\" or \"document\""},
      {R"({"viewport": {"width": 800, "height": 600}, "tiles": [{"id": "a", "pinned": "yes"}]})", "tiles[0].pinned must be true or false"},
      {R"({"viewport": {"width": 800, "height": 600}, "mode": "mosaic", "tiles": []})", "mode must be \"grid\", \"spotlight\" or \"auto\""},
      {R"({"viewport": {"width": 800, "height": 600}, "policy": "random", "tiles": []})", "policy must be \"table\" or \"best-fit\""},
      {R"({"viewport": {"width": 800, "height": 600}, "page": -1, "tiles": []})", "page must be a whole number"},
      {R"({"viewport": {"width": 800, "height": 600}, "page": 1.5, "tiles": []})", "page must be a whole number"},
      {R"({"viewport": {"width": 800, "height": 600}, "gap": -1, "tiles": []})", "gap must be a number of at least 0"},
      {R"({"viewport": {"width": 800, "height": 600}, "gap": 500, "tiles": []})", "gap must be smaller than a quarter"},
      {R"({"viewport": {"width": 800, "height": 600}, "aspect": 0, "tiles": []})", "aspect must be a number from 0.1 to 10"},
      {R"({"viewport": {"width": 800, "height": 600}, "min_tile_width": -3, "tiles": []})", "min_tile_width must be a number of at least 0"},
      {R"({"viewport": {"width": 800, "height": 600}, "min_aspect": "tall", "tiles": []})", "min_aspect must be a number"},
      {R"({"viewport": {"width": 800, "height": 600}, "min_aspect": 2, "max_aspect": 1, "tiles": []})", "min_aspect must not be above max_aspect"},
  }));
  CAPTURE(text);
  CHECK_THROWS_WITH(compute_from_json_text(text), Catch::Contains(message));
}

TEST_CASE("A hundred thousand tiles are refused before any of them is read") {
  std::string text = R"({"viewport": {"width": 800, "height": 600}, "tiles": [)";
  for (int i = 0; i < 100000; ++i) text += (i ? ",{\"id\":\"" : "{\"id\":\"") + std::to_string(i) + "\"}";
  text += "]}";
  CHECK_THROWS_WITH(compute_from_json_text(text), Catch::Contains("tiles must hold at most 10000 tiles"));
}

TEST_CASE("NaN and infinite sizes from the C++ API are refused too") {
  Input input;
  input.tiles.push_back({"a"});
  input.viewport = {std::nan(""), 720};
  CHECK_THROWS_AS(compute(input), LayoutError);
  input.viewport = {1280, std::numeric_limits<double>::infinity()};
  CHECK_THROWS_AS(compute(input), LayoutError);
  input.viewport = {1280, 720};
  input.aspect = std::nan("");
  CHECK_THROWS_AS(compute(input), LayoutError);
  input.aspect = 1.7778;
  input.tiles.assign(kMaxTiles + 1, TileInput{"x"});
  CHECK_THROWS_WITH(compute(input), Catch::Contains("at most 10000"));
}
