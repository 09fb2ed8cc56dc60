#include "whiteboard/svg_export.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <glm/geometric.hpp>

namespace mehfil::whiteboard {
namespace {

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", std::round(v * 10) / 10);
  return text;
}

std::string colour(std::uint32_t rgba, const char* attribute) {
  char text[64];
  std::snprintf(text, sizeof text, " %s=\"#%06x\" %s-opacity=\"%.3f\"", attribute, rgba >> 8, attribute, (rgba & 0xff) / 255.0);
  return text;
}

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string stroke_attributes(const Element& e) {
  return colour(e.style.stroke, "stroke") + " stroke-width=\"" + number(e.style.width) +
         "\" stroke-linecap=\"round\" stroke-linejoin=\"round\"" +
         (e.style.filled ? colour(e.style.fill, "fill") : std::string(" fill=\"none\""));
}

}  // namespace

std::string export_svg(const Board& board) {
  const auto live = board.ordered();
  glm::vec2 low(std::numeric_limits<float>::max()), high(std::numeric_limits<float>::lowest());
  for (const Element* e : live) {
    for (const glm::vec2& p : e->points) {
      // A text's extent is estimated from its length; browsers measure fonts differently anyway.
      const glm::vec2 text_extent = e->kind == ElementKind::text
          ? glm::vec2(0.6f * e->font_size * static_cast<float>(e->text.size()), 1.2f * e->font_size)
          : glm::vec2(0);
      low = glm::min(low, p - e->style.width);
      high = glm::max(high, p + e->style.width + text_extent);
    }
  }
  if (live.empty()) low = high = glm::vec2(0);
  const glm::vec2 size = glm::max(high - low, glm::vec2(1));
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"" + number(low.x) + " " + number(low.y) + " " +
                    number(size.x) + " " + number(size.y) + "\" width=\"" + number(size.x) + "\" height=\"" + number(size.y) + "\">\n";
  for (const Element* e : live) {
    const glm::vec2 a = e->points.front(), b = e->points.back();
    const glm::vec2 lo = glm::min(a, b), hi = glm::max(a, b);
    switch (e->kind) {
      case ElementKind::freehand: {
        svg += "<polyline points=\"";
        for (std::size_t i = 0; i < e->points.size(); ++i) {
          svg += (i ? " " : "") + number(e->points[i].x) + "," + number(e->points[i].y);
        }
        if (e->points.size() == 1) svg += " " + number(a.x) + "," + number(a.y);
        svg += "\"" + stroke_attributes(*e) + "/>\n";
        break;
      }
      case ElementKind::line:
        svg += "<line x1=\"" + number(a.x) + "\" y1=\"" + number(a.y) + "\" x2=\"" + number(b.x) + "\" y2=\"" + number(b.y) + "\"" + stroke_attributes(*e) + "/>\n";
        break;
      case ElementKind::arrow: {
        svg += "<line x1=\"" + number(a.x) + "\" y1=\"" + number(a.y) + "\" x2=\"" + number(b.x) + "\" y2=\"" + number(b.y) + "\"" + stroke_attributes(*e) + "/>\n";
        const glm::vec2 direction = glm::length(b - a) > 0 ? glm::normalize(b - a) : glm::vec2(1, 0);
        const glm::vec2 normal(-direction.y, direction.x);
        const float head = 4 * e->style.width + 6;
        const glm::vec2 left = b - direction * head + normal * head * 0.5f, right = b - direction * head - normal * head * 0.5f;
        svg += "<polygon points=\"" + number(b.x) + "," + number(b.y) + " " + number(left.x) + "," + number(left.y) + " " +
               number(right.x) + "," + number(right.y) + "\"" + colour(e->style.stroke, "fill") + "/>\n";
        break;
      }
      case ElementKind::rectangle:
        svg += "<rect x=\"" + number(lo.x) + "\" y=\"" + number(lo.y) + "\" width=\"" + number(hi.x - lo.x) + "\" height=\"" + number(hi.y - lo.y) + "\"" + stroke_attributes(*e) + "/>\n";
        break;
      case ElementKind::ellipse:
        svg += "<ellipse cx=\"" + number((lo.x + hi.x) / 2) + "\" cy=\"" + number((lo.y + hi.y) / 2) + "\" rx=\"" + number((hi.x - lo.x) / 2) + "\" ry=\"" + number((hi.y - lo.y) / 2) + "\"" + stroke_attributes(*e) + "/>\n";
        break;
      case ElementKind::text:
        svg += "<text x=\"" + number(a.x) + "\" y=\"" + number(a.y + e->font_size) + "\" font-size=\"" + number(e->font_size) +
               "\" font-family=\"DejaVu Sans, Verdana, sans-serif\"" + colour(e->style.stroke, "fill") + ">" + escaped(e->text) + "</text>\n";
        break;
    }
  }
  return svg + "</svg>\n";
}

}  // namespace mehfil::whiteboard
