// The pen: raw pointer samples become a light, smooth stroke. "Streamline" pulls each point part of
// the way toward the next sample (the jitter of a hand and a mouse disappears), then
// Ramer–Douglas–Peucker drops the points a straight line would reproduce within `tolerance`, and
// everything is rounded to 0.1 so a 100-point stroke is well under 1 KB as a wb:ops element.
#pragma once

#include <vector>

#include <glm/vec2.hpp>

namespace mehfil::whiteboard {

struct SmoothingOptions {
  float streamline = 0.5f;  // 0 keeps the raw samples, closer to 1 smooths more
  float tolerance = 0.75f;  // world units a dropped point may be off the simplified line
};

std::vector<glm::vec2> streamline(const std::vector<glm::vec2>& samples, float amount);
std::vector<glm::vec2> simplify(const std::vector<glm::vec2>& points, float tolerance);
std::vector<glm::vec2> smooth_stroke(const std::vector<glm::vec2>& samples, SmoothingOptions options = {});

// Distance from p to the segment ab.
float distance_to_segment(glm::vec2 p, glm::vec2 a, glm::vec2 b);

}  // namespace mehfil::whiteboard
