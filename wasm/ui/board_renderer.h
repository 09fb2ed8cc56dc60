// BoardRenderer: draws the whiteboard's triangles (whiteboard/geometry.h) with one WebGL2 draw call.
// The camera is a uniform, so the vertex buffer only changes when the board does.
#pragma once

#include <vector>

#include <glm/vec2.hpp>

#include "whiteboard/camera.h"
#include "whiteboard/geometry.h"

namespace mehfil::ui {

class BoardRenderer {
 public:
  BoardRenderer();   // needs a current GL context
  ~BoardRenderer();
  BoardRenderer(const BoardRenderer&) = delete;
  BoardRenderer& operator=(const BoardRenderer&) = delete;

  void draw(const std::vector<whiteboard::Vertex>& vertices, const whiteboard::Camera& camera, glm::vec2 canvas_size);

 private:
  unsigned program_ = 0;
  unsigned vao_ = 0;
  unsigned vbo_ = 0;
  int transform_ = -1;
  std::size_t uploaded_capacity_ = 0;
};

}  // namespace mehfil::ui
