#include "whiteboard/stroke_smoothing.h"

#include <cmath>

#include <glm/geometric.hpp>

namespace mehfil::whiteboard {

float distance_to_segment(glm::vec2 p, glm::vec2 a, glm::vec2 b) {
  const glm::vec2 ab = b - a;
  const float length_squared = glm::dot(ab, ab);
  if (length_squared == 0) return glm::distance(p, a);
  const float t = glm::clamp(glm::dot(p - a, ab) / length_squared, 0.f, 1.f);
  return glm::distance(p, a + t * ab);
}

std::vector<glm::vec2> streamline(const std::vector<glm::vec2>& samples, float amount) {
  std::vector<glm::vec2> out;
  out.reserve(samples.size());
  for (const glm::vec2& sample : samples) {
    out.push_back(out.empty() ? sample : out.back() + (sample - out.back()) * (1.f - amount));
  }
  if (samples.size() > 1) out.back() = samples.back();  // the stroke ends where the pen lifted
  return out;
}

std::vector<glm::vec2> simplify(const std::vector<glm::vec2>& points, float tolerance) {
  if (points.size() < 3) return points;
  std::vector<bool> keep(points.size(), false);
  keep.front() = keep.back() = true;
  // An explicit stack instead of recursion: a 5000-point stroke must not deepen the call stack.
  std::vector<std::pair<std::size_t, std::size_t>> spans{{0, points.size() - 1}};
  while (!spans.empty()) {
    const auto [first, last] = spans.back();
    spans.pop_back();
    float farthest = 0;
    std::size_t at = first;
    for (std::size_t i = first + 1; i < last; ++i) {
      const float d = distance_to_segment(points[i], points[first], points[last]);
      if (d > farthest) {
        farthest = d;
        at = i;
      }
    }
    if (farthest > tolerance) {
      keep[at] = true;
      spans.emplace_back(first, at);
      spans.emplace_back(at, last);
    }
  }
  std::vector<glm::vec2> out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (keep[i]) out.push_back(points[i]);
  }
  return out;
}

std::vector<glm::vec2> smooth_stroke(const std::vector<glm::vec2>& samples, SmoothingOptions options) {
  std::vector<glm::vec2> out = simplify(streamline(samples, options.streamline), options.tolerance);
  for (glm::vec2& p : out) p = glm::round(p * 10.f) / 10.f;
  return out;
}

}  // namespace mehfil::whiteboard
