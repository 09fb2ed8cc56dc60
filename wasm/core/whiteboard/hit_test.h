// Hit-testing for the eraser and the select tool: which element is under a point (topmost first),
// within `radius` of its outline (half the stroke width counts as outline), or inside a filled shape
// or a text's box.
#pragma once

#include <optional>
#include <string>

#include <glm/vec2.hpp>

#include "whiteboard/board.h"

namespace mehfil::whiteboard {

bool hits(const Element& element, glm::vec2 point, float radius);
std::optional<std::string> element_at(const Board& board, glm::vec2 point, float radius);

}  // namespace mehfil::whiteboard
