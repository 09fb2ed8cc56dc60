// Elements on the wire: one JSON object per element, inside `wb:ops.ops`. Reading validates every
// field (kind, finite coordinates within ±1e6, at most 5000 points, text length, id format) and
// never throws; writing is canonical (fixed key order, coordinates rounded to 0.1), so equal boards
// export equal bytes.
//
//   {"id": "u1:7", "kind": "freehand", "points": [x0, y0, x1, y1, ...], "text": "", "font_size": 20,
//    "stroke": "#1e1e1eff", "width": 2, "filled": false, "fill": "#00000000", "z": "a0",
//    "version": 3, "version_nonce": 123456, "deleted": false}
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "whiteboard/element.h"

namespace mehfil::whiteboard {

struct ElementRead {
  std::optional<Element> element;
  std::string problem;  // what is wrong when `element` is empty
};

ElementRead read_element(const nlohmann::json& json);
nlohmann::json write_element(const Element& element);

}  // namespace mehfil::whiteboard
