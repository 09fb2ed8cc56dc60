#include "whiteboard/geometry.h"

#include <algorithm>
#include <cmath>

#include <glm/geometric.hpp>

namespace mehfil::whiteboard {
namespace {

constexpr int kEllipseSegments = 48;
constexpr float kTau = 6.28318530718f;

}  // namespace

void GeometryBuilder::triangle(glm::vec2 a, glm::vec2 b, glm::vec2 c, std::uint32_t rgba) {
  vertices_.push_back({a.x, a.y, rgba});
  vertices_.push_back({b.x, b.y, rgba});
  vertices_.push_back({c.x, c.y, rgba});
}

void GeometryBuilder::polyline(const glm::vec2* points, std::size_t count, float width, std::uint32_t rgba, bool closed) {
  const float half = width / 2;
  const std::size_t segments = closed ? count : count - 1;
  if (count == 1) {  // a dot: a small square
    const glm::vec2 p = points[0];
    triangle(p + glm::vec2(-half, -half), p + glm::vec2(half, -half), p + glm::vec2(half, half), rgba);
    triangle(p + glm::vec2(-half, -half), p + glm::vec2(half, half), p + glm::vec2(-half, half), rgba);
    return;
  }
  for (std::size_t i = 0; i < segments; ++i) {
    const glm::vec2 a = points[i];
    const glm::vec2 b = points[(i + 1) % count];
    const glm::vec2 d = b - a;
    const float length = std::sqrt(d.x * d.x + d.y * d.y);
    if (length == 0) continue;
    const glm::vec2 n = glm::vec2(-d.y, d.x) * (half / length);
    triangle(a + n, b + n, b - n, rgba);
    triangle(a + n, b - n, a - n, rgba);
    // Fill the wedge at the joint with the next segment so thick strokes have no gaps.
    if (i + 1 < segments || closed) {
      const glm::vec2 c = points[(i + 2) % count];
      const glm::vec2 e = c - b;
      const float next_length = std::sqrt(e.x * e.x + e.y * e.y);
      if (next_length > 0) {
        const glm::vec2 m = glm::vec2(-e.y, e.x) * (half / next_length);
        triangle(b, b + n, b + m, rgba);
        triangle(b, b - n, b - m, rgba);
      }
    }
  }
}

void GeometryBuilder::fan(const glm::vec2* points, std::size_t count, std::uint32_t rgba) {
  for (std::size_t i = 1; i + 1 < count; ++i) triangle(points[0], points[i], points[i + 1], rgba);
}

void GeometryBuilder::append(const Element& e) {
  if (e.points.empty()) return;
  const glm::vec2 a = e.points.front(), b = e.points.back();
  const glm::vec2 lo = glm::min(a, b), hi = glm::max(a, b);
  switch (e.kind) {
    case ElementKind::freehand:
      polyline(e.points.data(), e.points.size(), e.style.width, e.style.stroke, false);
      break;
    case ElementKind::line:
      polyline(e.points.data(), 2, e.style.width, e.style.stroke, false);
      break;
    case ElementKind::arrow: {
      polyline(e.points.data(), 2, e.style.width, e.style.stroke, false);
      const glm::vec2 direction = glm::length(b - a) > 0 ? glm::normalize(b - a) : glm::vec2(1, 0);
      const glm::vec2 normal(-direction.y, direction.x);
      const float head = 4 * e.style.width + 6;
      triangle(b, b - direction * head + normal * head * 0.5f, b - direction * head - normal * head * 0.5f, e.style.stroke);
      break;
    }
    case ElementKind::rectangle:
      scratch_.assign({lo, {hi.x, lo.y}, hi, {lo.x, hi.y}});
      if (e.style.filled) fan(scratch_.data(), 4, e.style.fill);
      polyline(scratch_.data(), 4, e.style.width, e.style.stroke, true);
      break;
    case ElementKind::ellipse: {
      const glm::vec2 centre = (lo + hi) / 2.f, radii = (hi - lo) / 2.f;
      scratch_.resize(kEllipseSegments);
      for (int i = 0; i < kEllipseSegments; ++i) {
        const float t = kTau * static_cast<float>(i) / kEllipseSegments;
        scratch_[static_cast<std::size_t>(i)] = centre + radii * glm::vec2(std::cos(t), std::sin(t));
      }
      if (e.style.filled) fan(scratch_.data(), scratch_.size(), e.style.fill);
      polyline(scratch_.data(), scratch_.size(), e.style.width, e.style.stroke, true);
      break;
    }
    case ElementKind::text:
      break;
  }
}

const std::vector<Vertex>& GeometryBuilder::build(const Board& board) {
  vertices_.clear();  // keeps its capacity: no allocation once warm
  order_.clear();
  for (const auto& [id, element] : board.elements()) {
    if (!element.deleted) order_.push_back(&element);
  }
  std::stable_sort(order_.begin(), order_.end(), [](const Element* x, const Element* y) { return x->z < y->z; });
  for (const Element* e : order_) append(*e);
  return vertices_;
}

}  // namespace mehfil::whiteboard
