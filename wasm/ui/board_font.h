// The font of the texts on the board: one proportional TTF (DejaVu Sans, copied into the site by the
// build as whiteboard-font.ttf and fetched by js-glue/whiteboard.js) baked by Dear ImGui at a few
// sizes, so a text zoomed large stays sharp and a small one is not a big bake shrunk. Without the
// font (it failed to load), ImGui's built-in one draws the texts. The SVG export names the same family
// (wasm/core/whiteboard/svg_export.cpp).
#pragma once

#include <string>

struct ImFont;

namespace mehfil::ui {

// Adds the TTF's bakes to the ImGui atlas; call after ImGui::CreateContext, before the first frame.
// The smallest bake becomes ImGui's default font (the text-entry box). False if the bytes are empty.
bool load_board_font(std::string ttf);
// How to draw a text of `em` pixels so it lands where the SVG export puts it (its baseline `em` below
// its anchor): the bake (the smallest at least as tall as the text, else the largest), the size to
// hand ImGui (which sizes a font by its ascent plus descent, not its em) and how far below the
// anchor the text's top goes.
struct TextDraw {
  ImFont* font;
  float size;
  float dy;
};
TextDraw board_text(float em);

}  // namespace mehfil::ui
