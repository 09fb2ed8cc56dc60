// The board's text font at a few sizes (board_font.h).
#include "board_font.h"

#include <string_view>

#include <imgui.h>

namespace mehfil::ui {
namespace {

constexpr float kBakes[] = {18, 36, 72};  // pixels from ascent to descent; each is drawn at most about 2x smaller
std::string ttf_bytes;  // ImGui reads the TTF when it builds the atlas: it must outlive the atlas
ImFont* bakes[std::size(kBakes)] = {};

// Latin with its accents (most Latin-script languages), general punctuation and the euro sign.
constexpr ImWchar kRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x205E, 0x20AC, 0x20AC, 0};

}  // namespace

bool load_board_font(std::string ttf) {
  // A TrueType file starts with 0x00010000 or "true": anything else (a proxy's HTML page answering
  // the font's address) would stop ImGui at an assertion, so the built-in font stays.
  if (!(ttf.starts_with(std::string_view("\0\1\0\0", 4)) || ttf.starts_with("true"))) return false;
  ttf_bytes = std::move(ttf);
  ImGuiIO& io = ImGui::GetIO();
  for (std::size_t i = 0; i < std::size(kBakes); ++i) {
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;
    config.OversampleH = i == 0 ? 2 : 1;  // big bakes need no horizontal oversampling
    config.OversampleV = 1;
    bakes[i] = io.Fonts->AddFontFromMemoryTTF(ttf_bytes.data(), static_cast<int>(ttf_bytes.size()), kBakes[i], &config,
                                              kRanges);
  }
  io.FontDefault = bakes[0];
  return bakes[0] != nullptr;
}

TextDraw board_text(float em) {
  if (!bakes[0]) return {ImGui::GetFont(), em, 0};
  // DejaVu Sans: ascent 1901 and descent 483 in an em of 2048.
  constexpr float kAscent = 1901.f / 2048, kDescent = 483.f / 2048;
  const float size = em * (kAscent + kDescent);
  std::size_t i = 0;
  while (i + 1 < std::size(kBakes) && size > kBakes[i] * 1.05f) ++i;
  return {bakes[i], size, em * (1 - kAscent)};
}

}  // namespace mehfil::ui
