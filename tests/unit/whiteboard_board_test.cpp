// The whiteboard document: merging, the tools, undo and redo, the wire format and its limits.
#include <catch2/catch.hpp>

#include <glm/common.hpp>
#include <nlohmann/json.hpp>

#include "whiteboard/board.h"
#include "whiteboard/element_json.h"
#include "whiteboard/hit_test.h"
#include "whiteboard/stroke_smoothing.h"
#include "whiteboard/svg_export.h"

using namespace mehfil::whiteboard;
using nlohmann::json;

namespace {

Element stroke(std::vector<glm::vec2> points) {
  Element e;
  e.kind = ElementKind::freehand;
  e.points = std::move(points);
  return e;
}

}  // namespace

TEST_CASE("The higher version wins, and on equal versions the lower nonce") {
  Board board;
  Element a = stroke({{0, 0}, {10, 10}});
  a.id = "ana:1";
  a.version = 2;
  a.version_nonce = 50;
  CHECK(board.apply(a));
  Element older = a;
  older.version = 1;
  older.points = {{5, 5}};
  CHECK_FALSE(board.apply(older));
  Element same_version_higher_nonce = a;
  same_version_higher_nonce.version_nonce = 90;
  same_version_higher_nonce.deleted = true;
  CHECK_FALSE(board.apply(same_version_higher_nonce));
  Element same_version_lower_nonce = a;
  same_version_lower_nonce.version_nonce = 10;
  same_version_lower_nonce.deleted = true;
  CHECK(board.apply(same_version_lower_nonce));
  CHECK(board.find("ana:1")->deleted);
  CHECK_FALSE(board.apply(same_version_lower_nonce));  // a duplicate changes nothing
}

TEST_CASE("The editor numbers its elements, stacks them, and undoes and redoes only its own actions") {
  Board board;
  BoardEditor ana("ana"), ben("ben");
  const Element first = ana.add(board, stroke({{0, 0}, {1, 1}}), 1);
  const Element second = ben.add(board, stroke({{5, 5}, {6, 6}}), 2);
  CHECK(first.id == "ana:1");
  CHECK(second.id == "ben:1");
  CHECK(second.z > first.z);
  REQUIRE(ana.move(board, "ana:1", {10, 0}, 3));
  CHECK(board.find("ana:1")->points[0] == glm::vec2(10, 0));

  auto undone = ana.undo(board, 4);  // the move
  REQUIRE(undone.size() == 1);
  CHECK(board.find("ana:1")->points[0] == glm::vec2(0, 0));
  undone = ana.undo(board, 5);  // the add
  CHECK(board.find("ana:1")->deleted);
  CHECK_FALSE(board.find("ben:1")->deleted);  // Ben's stroke is Ben's
  CHECK(ana.undo(board, 6).empty());
  ana.redo(board, 7);
  CHECK_FALSE(board.find("ana:1")->deleted);
  ana.redo(board, 8);
  CHECK(board.find("ana:1")->points[0] == glm::vec2(10, 0));
  CHECK(ana.redo(board, 9).empty());

  SECTION("erase and clear are undoable too") {
    ana.erase(board, "ana:1", 10);
    CHECK(board.ordered().size() == 1);
    ana.undo(board, 11);
    CHECK(board.ordered().size() == 2);
    CHECK(ana.clear(board, 12).size() == 2);
    CHECK(board.ordered().empty());
    ana.undo(board, 13);
    CHECK(board.ordered().size() == 2);
  }
}

TEST_CASE("An element survives the wire unchanged and canonically") {
  Element e = stroke({{1.25f, 2.5f}, {3, 4}});
  e.id = "ana:7";
  e.z = "000000000003";
  e.style = {0xff0000ff, 3, true, 0x00ff0080};
  e.version = 4;
  e.version_nonce = 4000000000u;
  const json wire = write_element(e);
  const auto back = read_element(wire);
  REQUIRE(back.element);
  CHECK(write_element(*back.element).dump() == wire.dump());
  CHECK(wire["stroke"] == "#ff0000ff");
  CHECK(wire["points"][0] == 1.3);  // rounded to 0.1 on the wire
}

TEST_CASE("Bad ops are refused with a reason, never half-applied") {
  const json good = {{"id", "ana:1"}, {"kind", "line"}, {"points", {0, 0, 10, 10}}, {"version", 1}, {"version_nonce", 5}};
  REQUIRE(read_element(good).element);
  const auto [field, value, problem] = GENERATE(table<std::string, json, std::string>({
      {"kind", "hologram", "kind must be"},
      {"points", json::array({0, 0, std::numeric_limits<double>::infinity(), 3}), "coordinates must be finite"},
      {"points", json::array({0, 0, "1", 3}), "points must be numbers"},
      {"points", json::array({0, 0, 1e30, 3}), "coordinates must be finite and within 1e6"},
      {"points", json::array({0, 0, 1}), "points must be an array of x, y pairs"},
      {"points", json::array({0, 0, 1, 1, 2, 2}), "only freehand strokes have more than two points"},
      {"id", "no-colon", "id must be"},
      {"id", "ana:x", "id must be"},
      {"version", 0, "version must be"},
      {"version_nonce", -1, "version_nonce must be"},
      {"stroke", "red", "stroke must be a colour"},
      {"width", 0, "width must be above 0"},
      {"text", 5, "text must be a string"},
  }));
  json bad = good;
  bad[field] = value;
  CAPTURE(bad);
  const auto read = read_element(bad);
  CHECK_FALSE(read.element);
  CHECK_THAT(read.problem, Catch::Contains(problem));

  SECTION("a hundred thousand points in one stroke") {
    json huge = good;
    huge["kind"] = "freehand";
    huge["points"] = json::array();
    for (int i = 0; i < 200000; ++i) huge["points"].push_back(i % 100);
    CHECK_THAT(read_element(huge).problem, Catch::Contains("at most 5000 points"));
  }
}

TEST_CASE("A 100-point pen stroke is smoothed, simplified and under 1 KB on the wire") {
  std::vector<glm::vec2> samples;
  for (int i = 0; i < 100; ++i) {
    const float t = static_cast<float>(i) / 99.f;
    samples.push_back({t * 400.f + static_cast<float>((i * 37) % 7 - 3) * 0.8f, std::sin(t * 6.28f) * 80.f + static_cast<float>((i * 53) % 5 - 2) * 0.8f});
  }
  const auto smooth = smooth_stroke(samples);
  CHECK(smooth.size() < samples.size());
  CHECK(smooth.front() == glm::round(samples.front() * 10.f) / 10.f);
  CHECK(smooth.back() == glm::round(samples.back() * 10.f) / 10.f);
  Element e = stroke(smooth);
  e.id = "ana:1";
  e.z = "000000000001";
  const std::string wire = write_element(e).dump();
  CAPTURE(smooth.size(), wire.size());
  CHECK(wire.size() <= 1024);
  for (const glm::vec2& p : samples) {  // the simplified stroke still passes near every sample
    float nearest = 1e9f;
    for (std::size_t i = 1; i < smooth.size(); ++i) nearest = std::min(nearest, distance_to_segment(p, smooth[i - 1], smooth[i]));
    CHECK(nearest < 6.f);
  }
}

TEST_CASE("The eraser finds the topmost element under the pointer") {
  Board board;
  BoardEditor ana("ana");
  Element rect;
  rect.kind = ElementKind::rectangle;
  rect.points = {{0, 0}, {100, 100}};
  ana.add(board, rect, 1);
  const Element line = ana.add(board, stroke({{0, 50}, {100, 50}}), 2);
  CHECK(element_at(board, {50, 50}, 2) == line.id);   // the stroke is on top
  CHECK(element_at(board, {0, 20}, 2) == "ana:1");     // the rectangle's edge
  CHECK(element_at(board, {50, 20}, 2) == std::nullopt);  // inside an unfilled rectangle
  CHECK(element_at(board, {300, 300}, 2) == std::nullopt);
}

TEST_CASE("The SVG export escapes text and is the same for the same board") {
  Board board;
  BoardEditor ana("ana");
  Element text;
  text.kind = ElementKind::text;
  text.points = {{10, 10}};
  text.text = "<script>alert('x')</script> & more";
  ana.add(board, text, 1);
  ana.add(board, stroke({{0, 0}, {5, 5}, {10, 0}}), 2);
  const std::string svg = export_svg(board);
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more") != std::string::npos);
  CHECK(svg.find("<polyline points=\"0.0,0.0 5.0,5.0 10.0,0.0\"") != std::string::npos);
  CHECK(svg == export_svg(board));
}
