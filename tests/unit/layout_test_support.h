// Helpers shared by the layout tests: building inputs tersely and checking the engine's invariants.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "layout/layout.h"

namespace layout_test {

using namespace mehfil::layout;

inline Input grid_of(int count, double width = 1280, double height = 720) {
  Input input;
  input.viewport = {width, height};
  for (int i = 0; i < count; ++i) input.tiles.push_back({"t" + std::to_string(i)});
  return input;
}

inline const TileRect& rect_of(const Output& out, const std::string& id) {
  return *std::find_if(out.tiles.begin(), out.tiles.end(), [&](const TileRect& t) { return t.id == id; });
}

// Visible tiles grouped by row (same y), each row left to right.
inline std::vector<std::vector<TileRect>> visible_rows(const Output& out) {
  std::map<long, std::vector<TileRect>> by_y;
  for (const TileRect& t : out.tiles) {
    if (t.visible) by_y[std::lround(t.y * 1000)].push_back(t);
  }
  std::vector<std::vector<TileRect>> rows;
  for (auto& [y, row] : by_y) {
    std::sort(row.begin(), row.end(), [](const TileRect& a, const TileRect& b) { return a.x < b.x; });
    rows.push_back(row);
  }
  return rows;
}

// Ids of all tiles in reading order: page by page, top to bottom, left to right.
inline std::vector<std::string> reading_order(const Output& out) {
  std::vector<TileRect> tiles = out.tiles;
  std::sort(tiles.begin(), tiles.end(), [](const TileRect& a, const TileRect& b) {
    return std::tuple(a.page, std::lround(a.y * 1000), a.x) < std::tuple(b.page, std::lround(b.y * 1000), b.x);
  });
  std::vector<std::string> ids;
  for (const TileRect& t : tiles) ids.push_back(t.id);
  return ids;
}

// Every invariant the engine promises; returns the first one broken, or "" when all hold.
inline std::string broken_invariant(const Input& in, const Output& out) {
  constexpr double eps = 1e-6;
  const double W = in.viewport.width;
  const double H = in.viewport.height;
  if (out.tiles.size() != in.tiles.size()) return "output has a different number of tiles";
  if (out.pages < 1 || out.page < 0 || out.page >= out.pages) return "page out of range";
  for (std::size_t i = 0; i < out.tiles.size(); ++i) {
    const TileRect& t = out.tiles[i];
    const std::string who = "tile " + t.id + ": ";
    if (t.id != in.tiles[i].id) return who + "not in input order";
    if (!(t.width > 0 && t.height > 0)) return who + "has no area";
    if (t.x < -eps || t.y < -eps || t.x + t.width > W + eps || t.y + t.height > H + eps) return who + "outside the viewport";
    // A document on the stage fills the stage area; a camera (but in the filmstrip) takes a shape
    // from the aspect range; everything else keeps the aspect.
    const bool fills = in.tiles[i].kind == TileKind::document && out.stage == t.id;
    const bool in_filmstrip = out.stage && out.stage != t.id && !out.pip;
    const bool ranged = !in_filmstrip && (in.tiles[i].kind == TileKind::camera || (!out.stage && !out.pip));
    const double low = ranged && in.min_aspect > 0 ? in.min_aspect : in.aspect;
    const double high = ranged && in.max_aspect > 0 ? in.max_aspect : in.aspect;
    const double shape = t.width / t.height;
    if (!fills && (shape < low * 0.995 || shape > high * 1.005)) return who + "lost its aspect";
    if (t.page < 0 || t.page >= out.pages) return who + "on a page that does not exist";
    if (t.visible != (t.page == out.page)) return who + "visible on another page, or hidden on this one";
  }
  for (std::size_t i = 0; i < out.tiles.size(); ++i) {
    for (std::size_t j = i + 1; j < out.tiles.size(); ++j) {
      const TileRect& a = out.tiles[i];
      const TileRect& b = out.tiles[j];
      if (!a.visible || !b.visible) continue;
      if (out.pip && (a.id == *out.pip || b.id == *out.pip)) {
        const TileRect& pip = a.id == *out.pip ? a : b;
        const TileRect& under = a.id == *out.pip ? b : a;
        if (pip.x < under.x - eps || pip.y < under.y - eps || pip.x + pip.width > under.x + under.width + eps ||
            pip.y + pip.height > under.y + under.height + eps) {
          return "the picture-in-picture tile is not inside the tile under it";
        }
        continue;
      }
      const double apart_x = std::max(b.x - (a.x + a.width), a.x - (b.x + b.width));
      const double apart_y = std::max(b.y - (a.y + a.height), a.y - (b.y + b.height));
      if (std::max(apart_x, apart_y) < in.gap - eps) return "tiles " + a.id + " and " + b.id + " overlap or are closer than the gap";
    }
  }
  return "";
}

}  // namespace layout_test
