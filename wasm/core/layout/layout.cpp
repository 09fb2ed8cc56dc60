// The layout engine's rules; layout.h says what they are and why.
#include "layout/layout.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

namespace mehfil::layout {
namespace {

struct Size {
  double width = 0;
  double height = 0;
};

struct Area {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

struct Grid {
  int columns = 1;
  int rows = 1;
  Size tile;
};

bool is_portrait(const Viewport& viewport) { return viewport.height > viewport.width; }

// The shapes a camera tile may take: [min_aspect, max_aspect], each `aspect` when not given.
struct AspectRange {
  double low = 1;
  double high = 1;
  explicit AspectRange(const Input& input)
      : low(input.min_aspect > 0 ? input.min_aspect : input.aspect),
        high(input.max_aspect > 0 ? input.max_aspect : input.aspect) {}
  double nearest(double aspect) const { return std::clamp(aspect, low, high); }
};

int ceil_div(int a, int b) { return (a + b - 1) / b; }

// Size of the largest `aspect` rect that fits in `area`.
Size fit(Size area, double aspect) {
  const double width = std::max(0.0, std::min(area.width, area.height * aspect));
  return {width, width / aspect};
}

// The largest rect that fits in `area` with a shape from `range`: the area's own, as near as allowed.
Size fit(Size area, const AspectRange& range) {
  return fit(area, area.height > 0 ? range.nearest(area.width / area.height) : range.high);
}

// The largest tile (of a shape from `range`) of which `columns` x `rows` fit in `area` with `gap`
// between them: each cell's own shape, as near as the range allows.
Size tile_size(Size area, int columns, int rows, double gap, const AspectRange& range) {
  const Size cell{(area.width - (columns - 1) * gap) / columns, (area.height - (rows - 1) * gap) / rows};
  if (cell.width <= 0 || cell.height <= 0) return {0, 0};
  return fit(cell, range);
}

int table_columns(int count) {
  static constexpr int kColumnsForCount[] = {1, 1, 2, 3, 2, 3, 3, 3, 3, 3, 4};
  return kColumnsForCount[count];
}

class GridChooser {
 public:
  GridChooser(const Input& input, Size area)
      : input_(input), range_(input), area_(area), portrait_(is_portrait(input.viewport)) {
    // Columns narrower than min_tile_width can only lose to fewer columns, so best-fit never needs to
    // try more than fit across at that width. This keeps best-fit O(columns), not O(tiles).
    const double most = std::floor((area.width + input.gap) / (input.min_tile_width + input.gap));
    widest_useful_columns_ = std::isfinite(most) && most < kMaxTiles ? std::max(1, static_cast<int>(most))
                                                                     : static_cast<int>(kMaxTiles);
  }

  Grid for_count(int count) const {
    int columns = 1;
    if (portrait_) {
      columns = best_fit_columns(count, 2);
    } else if (input_.policy == Policy::table && count <= 10) {
      columns = table_columns(count);
    } else {
      columns = best_fit_columns(count, count);
    }
    const int rows = ceil_div(count, columns);
    return {columns, rows, tile_size(area_, columns, rows, input_.gap, range_)};
  }

  // Most tiles one page can hold while they stay at least min_tile_width wide (at least one).
  int tiles_per_page(int count) const {
    if (fits(count)) return count;
    // Beyond the table (more than 10 tiles) the chosen width never grows with the count, so a binary
    // search finds the boundary. The table itself is not monotonic (3 -> 3x1 is narrower than
    // 4 -> 2x2), so its ten counts are scanned.
    if (count > 11 && fits(11)) {
      int good = 11;
      int bad = count;
      while (bad - good > 1) {
        const int mid = good + (bad - good) / 2;
        (fits(mid) ? good : bad) = mid;
      }
      return good;
    }
    for (int k = std::min(count - 1, 10); k > 1; --k) {
      if (fits(k)) return k;
    }
    return 1;
  }

 private:
  bool fits(int count) const {
    const double width = for_count(count).tile.width;
    return width > 0 && width >= input_.min_tile_width;
  }

  int best_fit_columns(int count, int most_columns) const {
    const int limit = std::min({count, most_columns, widest_useful_columns_});
    int best = 1;
    double best_area = -1;
    for (int columns = 1; columns <= limit; ++columns) {
      const Size tile = tile_size(area_, columns, ceil_div(count, columns), input_.gap, range_);
      if (tile.width * tile.height > best_area) {  // strictly larger: ties keep fewer columns
        best_area = tile.width * tile.height;
        best = columns;
      }
    }
    return best;
  }

  const Input& input_;
  AspectRange range_;
  Size area_;
  bool portrait_;
  int widest_useful_columns_;
};

// Places `count` tiles in rows of `grid.columns`, centred in `area`, a partial last row centred too.
// `tile_at(k)` is the k-th tile placed, so callers can skip the stage without copying.
template <typename TileAt>
void place_rows(TileAt tile_at, int count, const Grid& grid, Area area, double gap, int page, bool visible) {
  const int rows_used = ceil_div(count, grid.columns);
  const double block_height = rows_used * grid.tile.height + (rows_used - 1) * gap;
  const double top = area.y + (area.height - block_height) / 2;
  for (int row = 0; row < rows_used; ++row) {
    const int in_row = std::min(grid.columns, count - row * grid.columns);
    const double row_width = in_row * grid.tile.width + (in_row - 1) * gap;
    const double left = area.x + (area.width - row_width) / 2;
    for (int column = 0; column < in_row; ++column) {
      TileRect& tile = tile_at(row * grid.columns + column);
      tile.x = left + column * (grid.tile.width + gap);
      tile.y = top + row * (grid.tile.height + gap);
      tile.width = grid.tile.width;
      tile.height = grid.tile.height;
      tile.page = page;
      tile.visible = visible;
    }
  }
}

void layout_grid(const Input& input, Output& out) {
  const int count = static_cast<int>(input.tiles.size());
  const Area area{0, 0, input.viewport.width, input.viewport.height};
  const GridChooser chooser(input, {area.width, area.height});
  const int per_page = chooser.tiles_per_page(count);
  const Grid grid = chooser.for_count(per_page);
  out.columns = grid.columns;
  out.rows = grid.rows;
  out.pages = ceil_div(count, per_page);
  out.page = std::min(input.page, out.pages - 1);
  for (int page = 0; page < out.pages; ++page) {
    const int first = page * per_page;
    const auto tile_at = [&](int k) -> TileRect& { return out.tiles[static_cast<std::size_t>(first + k)]; };
    place_rows(tile_at, std::min(per_page, count - first), grid, area, input.gap, page, page == out.page);
  }
}

// The stage and a filmstrip of everyone else: a column on the right of a landscape viewport, a row
// under the stage on a portrait one. The pair is centred as one block.
void layout_stage(const Input& input, std::size_t stage_index, Output& out) {
  const Viewport& viewport = input.viewport;
  const double gap = input.gap;
  const int others = static_cast<int>(input.tiles.size()) - 1;
  out.stage = input.tiles[stage_index].id;
  // A document (the whiteboard, the code editor) takes all the stage has; a camera the shape of the
  // stage as far as the aspect range allows; a screen keeps its aspect.
  const TileKind kind = input.tiles[stage_index].kind;
  const AspectRange range(input);
  const auto stage_in = [&](Size area) {
    return kind == TileKind::document ? area : kind == TileKind::camera ? fit(area, range) : fit(area, input.aspect);
  };

  if (others == 0) {
    const Size stage = stage_in({viewport.width, viewport.height});
    TileRect& tile = out.tiles[stage_index];
    tile = {tile.id, (viewport.width - stage.width) / 2, (viewport.height - stage.height) / 2,
            stage.width, stage.height, true, 0};
    return;
  }

  const bool portrait = is_portrait(viewport);
  // The filmstrip's tile: a fifth of the width beside a landscape stage; on a phone, two to a row
  // but no taller than a quarter of the screen.
  const Size strip_tile = portrait
      ? fit({(viewport.width - gap) / 2, viewport.height / 4}, input.aspect)
      : fit({viewport.width / 5, viewport.height}, input.aspect);
  const double along = portrait ? viewport.width : viewport.height;  // the filmstrip's long side
  const double strip_step = portrait ? strip_tile.width + gap : strip_tile.height + gap;
  const int per_page = std::max(1, std::min(others, static_cast<int>(std::floor((along + gap) / strip_step))));
  out.pages = ceil_div(others, per_page);
  out.page = std::min(input.page, out.pages - 1);
  out.columns = portrait ? per_page : 1;
  out.rows = portrait ? 1 : per_page;

  const Size stage = portrait ? stage_in({viewport.width, viewport.height - strip_tile.height - gap})
                              : stage_in({viewport.width - strip_tile.width - gap, viewport.height});
  Area strip;
  TileRect& stage_tile = out.tiles[stage_index];
  stage_tile.width = stage.width;
  stage_tile.height = stage.height;
  stage_tile.visible = true;
  stage_tile.page = out.page;
  if (portrait) {
    const double top = (viewport.height - (stage.height + gap + strip_tile.height)) / 2;
    stage_tile.x = (viewport.width - stage.width) / 2;
    stage_tile.y = top;
    strip = {0, top + stage.height + gap, viewport.width, strip_tile.height};
  } else {
    const double left = (viewport.width - (stage.width + gap + strip_tile.width)) / 2;
    stage_tile.x = left;
    stage_tile.y = (viewport.height - stage.height) / 2;
    strip = {left + stage.width + gap, 0, strip_tile.width, viewport.height};
  }

  // The filmstrip keeps join order, skipping the stage tile.
  const Grid grid{out.columns, out.rows, strip_tile};
  for (int page = 0; page < out.pages; ++page) {
    const int first = page * per_page;
    const auto tile_at = [&](int k) -> TileRect& {
      const auto other = static_cast<std::size_t>(first + k);
      return out.tiles[other < stage_index ? other : other + 1];
    };
    place_rows(tile_at, std::min(per_page, others - first), grid, strip, gap, page, page == out.page);
  }
}

// One-to-one call: the remote tile fills the viewport, the local one sits in the corner asked for,
// the same shape as the remote one.
void layout_picture_in_picture(const Input& input, std::size_t remote, std::size_t local, Output& out) {
  const Viewport& viewport = input.viewport;
  const Size stage = fit({viewport.width, viewport.height}, AspectRange(input));
  const double x = (viewport.width - stage.width) / 2;
  const double y = (viewport.height - stage.height) / 2;
  const double pip_width = stage.width / 4;
  const double pip_height = stage.height / 4;
  const double margin = std::min(input.gap, stage.height / 8);
  out.columns = 1;
  out.rows = 1;
  out.stage = input.tiles[remote].id;
  out.pip = input.tiles[local].id;
  TileRect& remote_tile = out.tiles[remote];
  remote_tile = {remote_tile.id, x, y, stage.width, stage.height, true, 0};
  TileRect& local_tile = out.tiles[local];
  const bool right = input.pip_corner == Corner::bottom_right || input.pip_corner == Corner::top_right;
  const bool bottom = input.pip_corner == Corner::bottom_right || input.pip_corner == Corner::bottom_left;
  local_tile = {local_tile.id, right ? x + stage.width - pip_width - margin : x + margin,
                bottom ? y + stage.height - pip_height - margin : y + margin, pip_width, pip_height, true, 0};
}

template <typename Predicate>
std::optional<std::size_t> first_tile(const std::vector<TileInput>& tiles, Predicate predicate) {
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    if (predicate(tiles[i])) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> choose_stage(const Input& input) {
  if (input.mode == Mode::grid || input.tiles.empty()) return std::nullopt;
  if (auto pinned = first_tile(input.tiles, [](const TileInput& t) { return t.pinned; })) return pinned;
  if (auto screen = first_tile(input.tiles, [](const TileInput& t) { return t.kind != TileKind::camera; })) return screen;
  if (input.mode == Mode::automatic) return std::nullopt;
  if (auto speaking = first_tile(input.tiles, [](const TileInput& t) { return t.speaking; })) return speaking;
  if (auto remote = first_tile(input.tiles, [](const TileInput& t) { return !t.is_local; })) return remote;
  return 0;
}

}  // namespace

std::string input_problem(const Input& input) {
  const auto finite = [](double v) { return std::isfinite(v); };
  if (!(finite(input.viewport.width) && input.viewport.width > 0 && input.viewport.width <= kMaxViewportSide)) {
    return "viewport.width must be a number above 0 and at most 100000";
  }
  if (!(finite(input.viewport.height) && input.viewport.height > 0 && input.viewport.height <= kMaxViewportSide)) {
    return "viewport.height must be a number above 0 and at most 100000";
  }
  if (!(finite(input.gap) && input.gap >= 0)) return "gap must be a number of at least 0";
  if (!(input.gap < std::min(input.viewport.width, input.viewport.height) / 4)) {
    return "gap must be smaller than a quarter of the viewport's shorter side";
  }
  if (!(finite(input.aspect) && input.aspect >= kMinAspect && input.aspect <= kMaxAspect)) {
    return "aspect must be a number from 0.1 to 10";
  }
  for (const auto& [name, value] : {std::pair{"min_aspect", input.min_aspect}, std::pair{"max_aspect", input.max_aspect}}) {
    if (!(finite(value) && (value == 0 || (value >= kMinAspect && value <= kMaxAspect)))) {
      return std::string(name) + " must be 0 (the aspect) or a number from 0.1 to 10";
    }
  }
  if (AspectRange range(input); range.low > range.high) return "min_aspect must not be above max_aspect (each is the aspect when 0)";
  if (!(finite(input.min_tile_width) && input.min_tile_width >= 0)) return "min_tile_width must be a number of at least 0";
  if (input.page < 0) return "page must be at least 0";
  if (input.tiles.size() > kMaxTiles) return "tiles must hold at most 10000 tiles";

  std::vector<std::string_view> ids;
  ids.reserve(input.tiles.size());
  for (const TileInput& tile : input.tiles) {
    if (tile.id.empty() || tile.id.size() > kMaxIdLength) return "every tile id must be 1 to 128 characters";
    ids.push_back(tile.id);
  }
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) return "tile ids must be unique";
  return {};
}

namespace {

Output compute_valid(const Input& input) {
  Output out;
  out.tiles.resize(input.tiles.size());
  for (std::size_t i = 0; i < input.tiles.size(); ++i) out.tiles[i].id = input.tiles[i].id;
  if (input.tiles.empty()) return out;

  if (const auto stage = choose_stage(input)) {
    layout_stage(input, *stage, out);
    return out;
  }
  if (input.mode == Mode::automatic && input.tiles.size() == 2 &&
      input.tiles[0].kind == TileKind::camera && input.tiles[1].kind == TileKind::camera &&
      input.tiles[0].is_local != input.tiles[1].is_local) {
    const std::size_t local = input.tiles[0].is_local ? 0 : 1;
    layout_picture_in_picture(input, 1 - local, local, out);
    return out;
  }
  layout_grid(input, out);
  return out;
}

}  // namespace

Output compute(const Input& input) {
  if (std::string problem = input_problem(input); !problem.empty()) throw LayoutError(problem);
  return compute_valid(input);
}

Output compute_checked(const Input& input) { return compute_valid(input); }

}  // namespace mehfil::layout
