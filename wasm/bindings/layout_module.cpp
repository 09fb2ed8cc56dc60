// Embind face of the layout engine. JSON text crosses the JS/wasm boundary: one string each way is
// cheaper than walking a JS object field by field through emscripten::val, and it reuses the exact
// validation the command-line tool and native tests use. layout_module_post.js wraps this into
// `computeLayout(object) -> object`, so callers never see handles or call .delete().
#include <emscripten/bind.h>

#include <nlohmann/json.hpp>

#include "layout/layout_json.h"

namespace {

// Returns the output JSON, or {"error": message} for bad input (JS turns that into a thrown Error).
std::string compute_layout_json(const std::string& input_json) {
  try {
    return mehfil::layout::output_to_json_text(mehfil::layout::compute_from_json_text(input_json));
  } catch (const std::exception& error) {
    return nlohmann::json{{"error", error.what()}}.dump();
  }
}

}  // namespace

EMSCRIPTEN_BINDINGS(mehfil_layout) { emscripten::function("computeLayoutJson", &compute_layout_json); }
