// Geometry: the board as coloured triangles in world units, ready for one WebGL draw call (the
// camera is a uniform, so panning and zooming never rebuild it). Strokes and outlines become quads
// along each segment, with a small fan at the joints; filled shapes become fans; arrows get a head.
// Text is drawn by the UI's font renderer, not here.
//
// The builder owns its buffer and reuses it: after the first frame, building the same board again
// allocates nothing (the benchmark checks the buffer's capacity stays put).
#pragma once

#include <cstdint>
#include <vector>

#include <glm/vec2.hpp>

#include "whiteboard/board.h"

namespace mehfil::whiteboard {

struct Vertex {
  float x = 0;
  float y = 0;
  std::uint32_t rgba = 0;
};

class GeometryBuilder {
 public:
  // Rebuilds the triangles of every live element; the returned span is valid until the next build.
  const std::vector<Vertex>& build(const Board& board);
  // The same for an element being drawn right now (not yet on the board), appended.
  void append(const Element& element);
  const std::vector<Vertex>& vertices() const { return vertices_; }

 private:
  void polyline(const glm::vec2* points, std::size_t count, float width, std::uint32_t rgba, bool closed);
  void fan(const glm::vec2* points, std::size_t count, std::uint32_t rgba);
  void triangle(glm::vec2 a, glm::vec2 b, glm::vec2 c, std::uint32_t rgba);

  std::vector<Vertex> vertices_;
  std::vector<glm::vec2> scratch_;  // outlines of rectangles and ellipses, reused
  std::vector<const Element*> order_;
};

}  // namespace mehfil::whiteboard
