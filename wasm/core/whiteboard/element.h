// The whiteboard's elements: plain values that travel as `wb:ops` and merge without a server.
//
// Every edit is the whole new state of one element (as Excalidraw does): a stroke, a shape or a
// text, with `version` bumped by the editor and a random `version_nonce` it chose. Replicas keep, per
// id, the state with the higher version, and on equal versions the lower nonce (board.h), so any
// order of delivery, with duplicates, ends in the same board. Deleting is a tombstone (`deleted`),
// never a removal, so a late edit cannot resurrect what was erased.
//
// Coordinates are world units (the canvas camera maps them to pixels), kept to 0.1 so a stroke
// stays small on the wire.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <glm/vec2.hpp>

namespace mehfil::whiteboard {

enum class ElementKind { freehand, line, arrow, rectangle, ellipse, text };

struct Style {
  std::uint32_t stroke = 0x1e1e1eff;  // RGBA
  float width = 2;
  bool filled = false;
  std::uint32_t fill = 0x00000000;
  friend bool operator==(const Style&, const Style&) = default;
};

struct Element {
  std::string id;                  // "<author>:<counter>", unique for ever
  ElementKind kind = ElementKind::freehand;
  std::vector<glm::vec2> points;   // a freehand stroke's points; two corners or ends for the others
  std::string text;                // text elements only
  float font_size = 20;
  Style style;
  std::string z;                   // order on the board: elements sort by (z, id)
  std::int64_t version = 1;
  std::uint32_t version_nonce = 0;
  bool deleted = false;
  friend bool operator==(const Element&, const Element&) = default;
};

// Limits, enforced when an element is read from the wire (element_json.h).
inline constexpr std::size_t kMaxPoints = 5000;
inline constexpr float kMaxCoordinate = 1e6f;
inline constexpr std::size_t kMaxTextChars = 2000;
inline constexpr std::size_t kMaxIdChars = 80;
inline constexpr float kMaxStrokeWidth = 200;

std::string_view to_string(ElementKind kind);

}  // namespace mehfil::whiteboard
