// The layout engine's JSON face: the exact field names of the wire format (see layout.h for the
// rules). The wasm module's fallback path, the command-line tool and embedders' tests all go
// through these, so a malformed input gets the same message everywhere.
//
// Reading is strict about what it uses (types, enum values, integer pages) and ignores fields it
// does not know, so callers may pass their own richer tile objects. Reading never throws (the wasm
// build has no exceptions); the *_or_throw forms are for native callers.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "layout/layout.h"

namespace mehfil::layout {

// Fills `input` from JSON; returns "" or what is wrong ("tiles[2].kind must be \"camera\" or \"screen\"").
std::string read_input(const nlohmann::json& json, Input& input);
std::string read_input_text(std::string_view json_text, Input& input);

nlohmann::json output_to_json(const Output& output);
// Canonical: equal outputs give equal bytes.
std::string output_to_json_text(const Output& output);

// JSON text in, Output out; throws LayoutError for bad JSON or a bad input.
Output compute_from_json_text(std::string_view input_json);

}  // namespace mehfil::layout
