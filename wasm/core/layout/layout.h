// The grid layout engine: where each video tile goes.
//
// One pure function, `compute`, turns a plain Input (viewport, tiles in join order, options) into a
// plain Output (a rect, page and visibility per tile). It does no I/O, keeps no state and reads no
// clock, so the same code places the DOM video tiles in the browser (through wasm), composes
// recordings, answers the `mehfil-layout` command-line tool and runs in native tests.
//
// The rules, in the order `compute` applies them:
//  1. Stage or grid. `spotlight` always puts one tile on the stage; `auto` does when a tile is
//     pinned or a screen (or document) is shared. The stage is the pinned tile, else the first
//     screen or document tile, else
//     (spotlight only) the first speaking tile, else the first remote tile, else the first tile.
//     The others form a filmstrip: a column on the right of a landscape viewport, a row at the
//     bottom of a portrait one, paginated when it doesn't fit. A document on the stage takes the
//     whole stage area (text and drawings have no aspect to keep; a phone's tall screen is theirs),
//     while a camera or a screen keeps `aspect`.
//  2. Picture in picture. In `auto`, exactly two camera tiles, one of them local and none pinned:
//     the remote tile fills the viewport and the local one sits small in one of its corners,
//     `pip_corner` (bottom-right unless the person dragged it elsewhere; the only overlap the engine
//     ever produces; Output::pip names it).
//  3. Grid columns. `table` on a landscape viewport follows the table our users asked for
//     (1 → 1, 2 → 2, 3 → 3, 4 → 2, 5–6 → 3, 7–9 → 3, 10 → 4); beyond 10 tiles, and for `best-fit`,
//     the column count that gives the largest tiles wins (every count is tried, as Jitsi and
//     BigBlueButton do). Portrait viewports never put more than 2 tiles in a row.
//  4. Pagination. When tiles would be narrower than `min_tile_width`, the grid shows fewer tiles per
//     page instead of shrinking further; every page uses the same grid, so flipping pages never
//     resizes tiles.
//  5. Placement. Tiles keep `aspect`, gaps between neighbours are exactly `gap`, the grid is centred
//     and a partial last row is centred. With an aspect range (`min_aspect`, `max_aspect`), grid
//     tiles, a camera on the stage and a 1:1 call's two pictures take the shape of the space they
//     get, as far as the range allows, instead of `aspect`: on a portrait phone, cameras are cropped
//     to fill the screen (the page shows video with object-fit: cover) rather than leave most of it
//     empty. Screens keep `aspect` (nothing of a shared screen is cut off), and so does the filmstrip. Tiles are placed in join order, so when one joins or leaves
//     the others keep their relative order.
// A hidden tile (another page) still gets the rect it has on its own page.
//
// Bad input (non-finite or non-positive sizes, duplicate or empty ids, too many tiles) throws
// LayoutError with a message naming the field; a layout is never produced from it. The wasm build
// runs without C++ exceptions (they would slow every call down through JS trampolines), so it asks
// `input_problem` first and then calls `compute_checked`; nothing in the engine throws otherwise.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mehfil::layout {

enum class Mode { grid, spotlight, automatic };  // "grid" | "spotlight" | "auto" on the wire
enum class Policy { table, best_fit };           // "table" | "best-fit"
enum class TileKind { camera, screen, document };  // document: the whiteboard or the code editor
enum class Corner { bottom_right, bottom_left, top_right, top_left };  // "bottom-right" | ... on the wire

struct Viewport {
  double width = 0;
  double height = 0;
};

struct TileInput {
  std::string id;
  TileKind kind = TileKind::camera;
  bool pinned = false;
  bool speaking = false;
  bool has_video = true;
  bool is_local = false;
};

struct Input {
  Viewport viewport;
  double gap = 8;
  double aspect = 1.7778;  // width / height of every tile
  // The range a camera tile's width / height may take; 0: `aspect` (the default, a fixed shape).
  double min_aspect = 0;
  double max_aspect = 0;
  double min_tile_width = 160;
  Mode mode = Mode::grid;
  Policy policy = Policy::table;
  int page = 0;                  // clamped to the last page when it is past it
  Corner pip_corner = Corner::bottom_right;
  std::vector<TileInput> tiles;  // in join order
};

struct TileRect {
  std::string id;
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  bool visible = false;
  int page = 0;
};

struct Output {
  int columns = 0;  // of the grid, or of the filmstrip when a tile is on the stage
  int rows = 0;
  int pages = 1;
  int page = 0;
  std::optional<std::string> stage;  // the tile on the stage, if any
  std::optional<std::string> pip;    // the picture-in-picture tile, if any
  std::vector<TileRect> tiles;       // same order as Input::tiles
};

// The limits `compute` enforces; anything outside them is a LayoutError.
inline constexpr std::size_t kMaxTiles = 10000;
inline constexpr std::size_t kMaxIdLength = 128;
inline constexpr double kMaxViewportSide = 100000;
inline constexpr double kMinAspect = 0.1;
inline constexpr double kMaxAspect = 10;

struct LayoutError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Where every tile goes. Throws LayoutError (with input_problem's message) for bad input.
Output compute(const Input& input);

// "" when `input` is fine, otherwise what is wrong with it, naming the field.
std::string input_problem(const Input& input);

// compute() for an input whose input_problem() is empty; never throws.
Output compute_checked(const Input& input);

}  // namespace mehfil::layout
