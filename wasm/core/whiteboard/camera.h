// Camera: pan and zoom over the infinite board (GLM). World units are the elements' coordinates;
// screen units are canvas pixels. Zooming keeps the point under the cursor where it is.
#pragma once

#include <algorithm>

#include <glm/mat3x3.hpp>
#include <glm/vec2.hpp>

namespace mehfil::whiteboard {

struct Camera {
  glm::vec2 offset{0, 0};  // the world point at the screen's top-left corner
  float zoom = 1;          // screen pixels per world unit

  static constexpr float kMinZoom = 0.1f;
  static constexpr float kMaxZoom = 8.f;

  glm::vec2 to_screen(glm::vec2 world) const { return (world - offset) * zoom; }
  glm::vec2 to_world(glm::vec2 screen) const { return screen / zoom + offset; }
  void pan(glm::vec2 screen_delta) { offset -= screen_delta / zoom; }
  void zoom_at(glm::vec2 screen_point, float factor) {
    const glm::vec2 anchor = to_world(screen_point);
    zoom = std::clamp(zoom * factor, kMinZoom, kMaxZoom);
    offset = anchor - screen_point / zoom;
  }
  // World → clip space for a canvas of `size` pixels, for the vertex shader.
  glm::mat3 world_to_clip(glm::vec2 size) const {
    const glm::vec2 scale = 2.f * zoom / size;
    return glm::mat3(scale.x, 0, 0, 0, -scale.y, 0, -1 - offset.x * scale.x, 1 + offset.y * scale.y, 1);
  }
};

}  // namespace mehfil::whiteboard
