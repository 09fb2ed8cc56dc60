#include "whiteboard/hit_test.h"

#include <algorithm>
#include <cmath>

#include <glm/common.hpp>

#include "whiteboard/stroke_smoothing.h"

namespace mehfil::whiteboard {

bool hits(const Element& e, glm::vec2 p, float radius) {
  const float reach = radius + e.style.width / 2;
  if (e.points.empty()) return false;
  const glm::vec2 a = e.points.front();
  const glm::vec2 b = e.points.back();
  const glm::vec2 low = glm::min(a, b);
  const glm::vec2 high = glm::max(a, b);
  switch (e.kind) {
    case ElementKind::freehand:
      if (e.points.size() == 1) return distance_to_segment(p, a, a) <= reach;
      for (std::size_t i = 1; i < e.points.size(); ++i) {
        if (distance_to_segment(p, e.points[i - 1], e.points[i]) <= reach) return true;
      }
      return false;
    case ElementKind::line:
    case ElementKind::arrow:
      return distance_to_segment(p, a, b) <= reach;
    case ElementKind::rectangle: {
      const bool inside = p.x >= low.x && p.x <= high.x && p.y >= low.y && p.y <= high.y;
      if (inside && e.style.filled) return true;
      const glm::vec2 corners[] = {low, {high.x, low.y}, high, {low.x, high.y}};
      for (int i = 0; i < 4; ++i) {
        if (distance_to_segment(p, corners[i], corners[(i + 1) % 4]) <= reach) return true;
      }
      return false;
    }
    case ElementKind::ellipse: {
      const glm::vec2 centre = (low + high) / 2.f;
      const glm::vec2 radii = glm::max((high - low) / 2.f, glm::vec2(0.5f));
      const glm::vec2 d = (p - centre) / radii;
      const float r = std::sqrt(d.x * d.x + d.y * d.y);  // 1 on the outline
      if (r <= 1 && e.style.filled) return true;
      return std::abs(r - 1) * std::min(radii.x, radii.y) <= reach;
    }
    case ElementKind::text: {
      const glm::vec2 size{0.6f * e.font_size * static_cast<float>(std::max<std::size_t>(1, e.text.size())), 1.2f * e.font_size};
      return p.x >= a.x - radius && p.x <= a.x + size.x + radius && p.y >= a.y - radius && p.y <= a.y + size.y + radius;
    }
  }
  return false;
}

std::optional<std::string> element_at(const Board& board, glm::vec2 point, float radius) {
  const auto live = board.ordered();
  for (auto it = live.rbegin(); it != live.rend(); ++it) {
    if (hits(**it, point, radius)) return (*it)->id;
  }
  return std::nullopt;
}

}  // namespace mehfil::whiteboard
