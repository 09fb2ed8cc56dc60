// Embind face of the layout engine (mehfil-layout.mjs). layout_module_post.js wraps it into
// `computeLayout(object) -> object`, so callers never see handles or call .delete().
//
// Two paths cross the JS/wasm boundary:
//  - flat (every well-typed input): JS writes the numbers into a Float64 buffer and the ids as UTF-8
//    into a byte buffer, both owned here; the output comes back as numbers and JS rebuilds the objects
//    with the ids it already has. No JSON, no per-field calls: a 10-tile layout costs a few µs.
//  - JSON (anything the flat path can't express: wrong types, unknown enum values...): the same reader
//    as the command-line tool, so bad input gets the same message everywhere.
// The build has no C++ exceptions; problems come back as text and JS throws them as Errors.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <emscripten/bind.h>

#include <nlohmann/json.hpp>

#include "layout/layout_json.h"

namespace {

using namespace mehfil::layout;

// The flat formats; layout_module_post.js writes and reads the same offsets.
constexpr std::size_t kHeaderNumbers = 13;  // present-mask, width, height, gap, aspect, min_tile_width, mode, policy, page, count, pip corner, min_aspect, max_aspect
constexpr std::size_t kTileNumbers = 6;     // kind, pinned, speaking, has_video, is_local, id byte length
constexpr std::size_t kOutputHeader = 6;    // columns, rows, pages, page, stage index, pip index
constexpr std::size_t kOutputTile = 6;      // x, y, width, height, visible, page
enum PresentBit { kGap = 1, kAspect = 2, kMinTileWidth = 4, kMode = 8, kPolicy = 16, kPage = 32, kPipCorner = 64, kMinAspect = 128, kMaxAspect = 256 };

struct Exchange {
  std::vector<double> numbers;
  std::string id_bytes;
  std::vector<double> result;
  std::string problem;
};
Exchange exchange;  // one per module instance; JS calls are never re-entrant

std::uintptr_t reserve_numbers(std::size_t count) {
  exchange.numbers.resize(count);
  return reinterpret_cast<std::uintptr_t>(exchange.numbers.data());
}

std::uintptr_t reserve_id_bytes(std::size_t count) {
  exchange.id_bytes.resize(count);
  return reinterpret_cast<std::uintptr_t>(exchange.id_bytes.data());
}

// -1 means "absent": keep Input's default.
void read_flag(double value, bool& into) {
  if (value >= 0) into = value > 0;
}

// Reads the flat input, lays it out, writes the flat output. Returns the output's address, or 0 when
// the input has a problem (then `lastProblem()` says what).
std::uintptr_t compute_flat() {
  const std::vector<double>& n = exchange.numbers;
  Input input;
  const auto present = static_cast<unsigned>(n[0]);
  input.viewport = {n[1], n[2]};
  if (present & kGap) input.gap = n[3];
  if (present & kAspect) input.aspect = n[4];
  if (present & kMinTileWidth) input.min_tile_width = n[5];
  if (present & kMode) input.mode = static_cast<Mode>(n[6]);
  if (present & kPolicy) input.policy = static_cast<Policy>(n[7]);
  if (present & kPage) input.page = std::isfinite(n[8]) && n[8] >= 0 && n[8] <= 1e6 ? static_cast<int>(n[8]) : -1;
  const auto count = static_cast<std::size_t>(n[9]);
  if (present & kPipCorner) input.pip_corner = static_cast<Corner>(n[10]);
  if (present & kMinAspect) input.min_aspect = n[11];
  if (present & kMaxAspect) input.max_aspect = n[12];
  input.tiles.resize(count);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double* t = &n[kHeaderNumbers + i * kTileNumbers];
    TileInput& tile = input.tiles[i];
    if (t[0] >= 0) tile.kind = static_cast<TileKind>(t[0]);
    read_flag(t[1], tile.pinned);
    read_flag(t[2], tile.speaking);
    read_flag(t[3], tile.has_video);
    read_flag(t[4], tile.is_local);
    const auto length = static_cast<std::size_t>(t[5]);
    tile.id.assign(exchange.id_bytes, offset, length);
    offset += length;
  }
  exchange.problem = input_problem(input);
  if (!exchange.problem.empty()) return 0;

  const Output out = compute_checked(input);
  const auto index_of = [&](const std::optional<std::string>& id) {
    for (std::size_t i = 0; id && i < input.tiles.size(); ++i) {
      if (input.tiles[i].id == *id) return static_cast<double>(i);
    }
    return -1.0;
  };
  std::vector<double>& r = exchange.result;
  r.resize(kOutputHeader + out.tiles.size() * kOutputTile);
  r[0] = out.columns;
  r[1] = out.rows;
  r[2] = out.pages;
  r[3] = out.page;
  r[4] = index_of(out.stage);
  r[5] = index_of(out.pip);
  for (std::size_t i = 0; i < out.tiles.size(); ++i) {
    const TileRect& tile = out.tiles[i];
    double* o = &r[kOutputHeader + i * kOutputTile];
    o[0] = tile.x;
    o[1] = tile.y;
    o[2] = tile.width;
    o[3] = tile.height;
    o[4] = tile.visible ? 1 : 0;
    o[5] = tile.page;
  }
  return reinterpret_cast<std::uintptr_t>(r.data());
}

std::string last_problem() { return exchange.problem; }

// The JSON path: the output JSON, or {"error": message}.
std::string compute_layout_json(const std::string& input_json) {
  Input input;
  std::string problem = read_input_text(input_json, input);
  if (problem.empty()) problem = input_problem(input);
  if (!problem.empty()) return nlohmann::json{{"error", problem}}.dump();
  return output_to_json_text(compute_checked(input));
}

}  // namespace

EMSCRIPTEN_BINDINGS(mehfil_layout) {
  emscripten::function("reserveNumbers", &reserve_numbers);
  emscripten::function("reserveIdBytes", &reserve_id_bytes);
  emscripten::function("computeFlat", &compute_flat);
  emscripten::function("lastProblem", &last_problem);
  emscripten::function("computeLayoutJson", &compute_layout_json);
}
