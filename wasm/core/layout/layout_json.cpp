// Strict JSON reading and canonical writing for the layout engine (layout_json.h).
#include "layout/layout_json.h"

#include <nlohmann/json.hpp>

namespace mehfil::layout {
namespace {

using nlohmann::json;

constexpr std::pair<const char*, Mode> kModes[] = {
    {"grid", Mode::grid}, {"spotlight", Mode::spotlight}, {"auto", Mode::automatic}};
constexpr std::pair<const char*, Policy> kPolicies[] = {{"table", Policy::table}, {"best-fit", Policy::best_fit}};
constexpr std::pair<const char*, Corner> kCorners[] = {{"bottom-right", Corner::bottom_right},
                                                     {"bottom-left", Corner::bottom_left},
                                                     {"top-right", Corner::top_right},
                                                     {"top-left", Corner::top_left}};
constexpr std::pair<const char*, TileKind> kKinds[] = {
    {"camera", TileKind::camera}, {"screen", TileKind::screen}, {"document", TileKind::document}};

// Reads fields into typed values and remembers the first problem; later reads after a problem do
// nothing. No exceptions: every nlohmann accessor is called only after its type was checked.
class Reader {
 public:
  std::string problem;

  bool failed() const { return !problem.empty(); }

  void fail(const std::string& path, const char* what) {
    if (!failed()) problem = path + " " + what;
  }

  const json* field(const json& object, const char* name, const std::string& path, bool required) {
    const auto it = object.find(name);
    if (it != object.end()) return &*it;
    if (required) fail(path + name, "is required");
    return nullptr;
  }

  void number(const json& object, const char* name, const std::string& path, double& into, bool required = false) {
    const json* value = field(object, name, path, required);
    if (!value) return;
    if (!value->is_number()) return fail(path + name, "must be a number");
    into = value->get<double>();
  }

  void boolean(const json& object, const char* name, const std::string& path, bool& into) {
    const json* value = field(object, name, path, false);
    if (!value) return;
    if (!value->is_boolean()) return fail(path + name, "must be true or false");
    into = value->get<bool>();
  }

  template <typename Enum, std::size_t N>
  void one_of(const json& object, const char* name, const std::string& path, Enum& into,
              const std::pair<const char*, Enum> (&names)[N], const char* expected) {
    const json* value = field(object, name, path, false);
    if (!value) return;
    if (value->is_string()) {
      const auto& text = value->get_ref<const std::string&>();
      for (const auto& [spelling, meaning] : names) {
        if (text == spelling) {
          into = meaning;
          return;
        }
      }
    }
    fail(path + name, (std::string("must be ") + expected).c_str());
  }

  void tile(const json& object, const std::string& path, TileInput& tile) {
    if (!object.is_object()) return fail(path.substr(0, path.size() - 1), "must be an object");
    const json* id = field(object, "id", path, true);
    if (!id) return;
    if (!id->is_string()) return fail(path + "id", "must be a string");
    tile.id = id->get<std::string>();
    one_of(object, "kind", path, tile.kind, kKinds, "\"camera\", \"screen\" or \"document\"");
    boolean(object, "pinned", path, tile.pinned);
    boolean(object, "speaking", path, tile.speaking);
    boolean(object, "has_video", path, tile.has_video);
    boolean(object, "is_local", path, tile.is_local);
  }
};

}  // namespace

std::string read_input(const json& object, Input& input) {
  Reader read;
  if (!object.is_object()) return "input must be an object";
  const json* viewport = read.field(object, "viewport", "", true);
  if (!viewport) return read.problem;
  if (!viewport->is_object()) return "viewport must be an object";
  read.number(*viewport, "width", "viewport.", input.viewport.width, true);
  read.number(*viewport, "height", "viewport.", input.viewport.height, true);
  read.number(object, "gap", "", input.gap);
  read.number(object, "aspect", "", input.aspect);
  read.number(object, "min_aspect", "", input.min_aspect);
  read.number(object, "max_aspect", "", input.max_aspect);
  read.number(object, "min_tile_width", "", input.min_tile_width);
  read.one_of(object, "mode", "", input.mode, kModes, "\"grid\", \"spotlight\" or \"auto\"");
  read.one_of(object, "policy", "", input.policy, kPolicies, "\"table\" or \"best-fit\"");
  read.one_of(object, "pip_corner", "", input.pip_corner, kCorners,
              "\"bottom-right\", \"bottom-left\", \"top-right\" or \"top-left\"");
  if (const json* page = read.field(object, "page", "", false)) {
    if (!page->is_number_integer() || page->get<std::int64_t>() < 0 || page->get<std::int64_t>() > 1'000'000) {
      read.fail("page", "must be a whole number from 0 to 1000000");
    } else {
      input.page = page->get<int>();
    }
  }
  const json* tiles = read.field(object, "tiles", "", true);
  if (read.failed()) return read.problem;
  if (!tiles->is_array()) return "tiles must be an array";
  // Checked before reading so a huge array costs nothing but this comparison.
  if (tiles->size() > kMaxTiles) return "tiles must hold at most 10000 tiles";
  input.tiles.resize(tiles->size());
  for (std::size_t i = 0; i < tiles->size() && !read.failed(); ++i) {
    read.tile((*tiles)[i], "tiles[" + std::to_string(i) + "].", input.tiles[i]);
  }
  return read.problem;
}

std::string read_input_text(std::string_view json_text, Input& input) {
  const json parsed = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return "input is not valid JSON";
  return read_input(parsed, input);
}

json output_to_json(const Output& output) {
  json tiles = json::array();
  for (const TileRect& tile : output.tiles) {
    tiles.push_back({{"id", tile.id},
                     {"x", tile.x},
                     {"y", tile.y},
                     {"width", tile.width},
                     {"height", tile.height},
                     {"visible", tile.visible},
                     {"page", tile.page}});
  }
  return {{"columns", output.columns},
          {"rows", output.rows},
          {"pages", output.pages},
          {"page", output.page},
          {"stage", output.stage ? json(*output.stage) : json(nullptr)},
          {"pip", output.pip ? json(*output.pip) : json(nullptr)},
          {"tiles", std::move(tiles)}};
}

std::string output_to_json_text(const Output& output) {
  // Ids from the C++ API may hold invalid UTF-8; replace it rather than throw while writing.
  return output_to_json(output).dump(-1, ' ', false, json::error_handler_t::replace);
}

Output compute_from_json_text(std::string_view input_json) {
  Input input;
  if (std::string problem = read_input_text(input_json, input); !problem.empty()) throw LayoutError(problem);
  return compute(input);
}

}  // namespace mehfil::layout
