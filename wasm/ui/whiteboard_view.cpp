// The whiteboard's canvas and toolbar (whiteboard_view.h).
#include "whiteboard_view.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include <imgui.h>

#include "whiteboard/element_json.h"
#include "whiteboard/hit_test.h"
#include "whiteboard/stroke_smoothing.h"
#include "whiteboard/svg_export.h"

namespace mehfil::ui {
namespace {

using whiteboard::Element;
using whiteboard::ElementKind;

constexpr double kBatchEveryMs = 33;

struct ToolButton {
  Tool tool;
  const char* label;
  const char* tip;
};
constexpr ToolButton kTools[] = {
    {Tool::pen, "Pen", "Draw freehand (P)"},         {Tool::eraser, "Eraser", "Erase what you touch (E)"},
    {Tool::line, "Line", "Straight line (L)"},       {Tool::arrow, "Arrow", "Arrow (A)"},
    {Tool::rectangle, "Box", "Rectangle (R)"},       {Tool::ellipse, "Ellipse", "Ellipse (O)"},
    {Tool::text, "Text", "Text (T)"},                {Tool::select, "Select", "Select and move (V)"},
    {Tool::pan, "Pan", "Move around; the wheel zooms (H)"},
    {Tool::laser, "Laser", "Point at something for everyone, without drawing"},
};
constexpr double kCursorEveryMs = 50;
constexpr double kCursorFadeMs = 2000;
constexpr std::size_t kLaserTrail = 24;
constexpr std::uint32_t kColours[] = {0x1e1e1eff, 0xe03131ff, 0x2f9e44ff, 0x1971c2ff, 0xf08c00ff, 0x9c36b5ff};

ImU32 imgui_colour(std::uint32_t rgba) {
  return IM_COL32(rgba >> 24, (rgba >> 16) & 0xff, (rgba >> 8) & 0xff, rgba & 0xff);
}

ElementKind kind_of(Tool tool) {
  switch (tool) {
    case Tool::line: return ElementKind::line;
    case Tool::arrow: return ElementKind::arrow;
    case Tool::rectangle: return ElementKind::rectangle;
    case Tool::ellipse: return ElementKind::ellipse;
    default: return ElementKind::freehand;
  }
}

}  // namespace

WhiteboardView::WhiteboardView(std::string author, bool is_host, std::uint32_t seed)
    : editor_(std::move(author)), is_host_(is_host), random_state_(seed ? seed : 0x9e3779b9u) {}

// xorshift32 from the seed JS handed over: the nonces only need to differ between replicas.
std::uint32_t WhiteboardView::nonce() {
  random_state_ ^= random_state_ << 13;
  random_state_ ^= random_state_ >> 17;
  random_state_ ^= random_state_ << 5;
  return random_state_;
}

int WhiteboardView::receive(const nlohmann::json& ops) {
  if (!ops.is_array()) return 1;
  int malformed = 0;
  for (const auto& op : ops) {
    auto read = whiteboard::read_element(op);
    if (read.element) board_.apply(*read.element);
    else ++malformed;
  }
  return malformed;
}

std::optional<std::string> WhiteboardView::take_outgoing(double now_ms) {
  if (outgoing_.empty() || now_ms - last_sent_ms_ < kBatchEveryMs) return std::nullopt;
  last_sent_ms_ = now_ms;
  nlohmann::json ops = nlohmann::json::array();
  for (const Element& op : outgoing_) ops.push_back(whiteboard::write_element(op));
  outgoing_.clear();
  return ops.dump();
}

std::string WhiteboardView::export_svg() const { return whiteboard::export_svg(board_); }

void WhiteboardView::remote_cursor(const std::string& from, glm::vec2 world, bool laser, double now_ms) {
  RemoteCursor& cursor = cursors_[from];
  cursor.at = world;
  cursor.laser = laser;
  cursor.seen_ms = now_ms;
  if (!laser) cursor.trail.clear();
  else {
    cursor.trail.push_back(world);
    if (cursor.trail.size() > kLaserTrail) cursor.trail.erase(cursor.trail.begin());
  }
}

std::optional<CursorUpdate> WhiteboardView::take_cursor(double now_ms) {
  if (now_ms - cursor_sent_ms_ < kCursorEveryMs || (sent_pointer_ && *sent_pointer_ == pointer_)) return std::nullopt;
  cursor_sent_ms_ = now_ms;
  sent_pointer_ = pointer_;
  return CursorUpdate{static_cast<int>(std::lround(pointer_.x)), static_cast<int>(std::lround(pointer_.y)),
                      tool_ == Tool::laser && pressing_};
}

void WhiteboardView::draw_cursors(double now_ms) {
  ImDrawList* draw = ImGui::GetForegroundDrawList();
  const auto trail = [&](const std::vector<glm::vec2>& points, float alpha) {
    for (std::size_t i = 1; i < points.size(); ++i) {
      const glm::vec2 a = camera_.to_screen(points[i - 1]), b = camera_.to_screen(points[i]);
      const float fade = alpha * static_cast<float>(i) / static_cast<float>(points.size());
      draw->AddLine(ImVec2(a.x, a.y), ImVec2(b.x, b.y), IM_COL32(230, 40, 40, static_cast<int>(255 * fade)), 4.f);
    }
  };
  trail(laser_trail_, 1.f);
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    const double age = now_ms - it->second.seen_ms;
    if (age > kCursorFadeMs) {
      it = cursors_.erase(it);
      continue;
    }
    const float alpha = 1.f - static_cast<float>(age / kCursorFadeMs);
    const glm::vec2 at = camera_.to_screen(it->second.at);
    trail(it->second.trail, alpha);
    const ImU32 colour = it->second.laser ? IM_COL32(230, 40, 40, static_cast<int>(255 * alpha))
                                          : IM_COL32(25, 113, 194, static_cast<int>(255 * alpha));
    draw->AddCircleFilled(ImVec2(at.x, at.y), it->second.laser ? 6.f : 4.f, colour);
    ++it;
  }
}

Element WhiteboardView::shape_preview() const {
  Element preview;
  preview.kind = kind_of(tool_);
  preview.style = style_;
  if (tool_ == Tool::pen) {
    preview.points = drawing_;
  } else if (!drawing_.empty()) {
    preview.points = {drawing_.front(), drawing_.back()};
  }
  return preview;
}

void WhiteboardView::toolbar() {
  ImGui::SetNextWindowPos(ImVec2(8, 8), ImGuiCond_Always);
  ImGui::Begin("Whiteboard tools", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings);
  // On a phone the row of tools is wider than the board: a button that would cross the right edge
  // starts a new row instead (ImGui's wrapping idiom), so every tool stays on screen.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float right_edge = ImGui::GetIO().DisplaySize.x - 8 - style.WindowPadding.x;
  const auto same_line_if_fits = [&](float next_width) {
    if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + next_width <= right_edge) ImGui::SameLine();
  };
  const auto button_width = [&](const char* label) { return ImGui::CalcTextSize(label).x + style.FramePadding.x * 2; };
  for (std::size_t i = 0; i < std::size(kTools); ++i) {
    const ToolButton& button = kTools[i];
    const bool active = tool_ == button.tool;
    if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(button.label)) tool_ = button.tool;
    if (active) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", button.tip);
    if (i + 1 < std::size(kTools)) same_line_if_fits(button_width(kTools[i + 1].label));
  }
  for (std::size_t i = 0; i < std::size(kColours); ++i) {
    ImGui::PushID(static_cast<int>(i));
    const std::uint32_t c = kColours[i];
    const ImVec4 colour(static_cast<float>(c >> 24) / 255.f, static_cast<float>((c >> 16) & 0xff) / 255.f,
                        static_cast<float>((c >> 8) & 0xff) / 255.f, 1.f);
    if (ImGui::ColorButton("colour", colour, ImGuiColorEditFlags_NoTooltip, ImVec2(20, 20))) style_.stroke = c;
    ImGui::PopID();
    if (i + 1 < std::size(kColours)) ImGui::SameLine();
  }
  constexpr float kWidthSlider = 90;
  same_line_if_fits(kWidthSlider + style.ItemInnerSpacing.x + ImGui::CalcTextSize("width").x);
  ImGui::SetNextItemWidth(kWidthSlider);
  ImGui::SliderFloat("width", &style_.width, 1.f, 24.f, "%.0f");
  same_line_if_fits(ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize("fill").x);
  ImGui::Checkbox("fill", &style_.filled);
  style_.fill = (style_.stroke & 0xffffff00u) | 0x55u;
  if (ImGui::Button("Undo") || (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Z)) && !ImGui::GetIO().KeyShift)) {
    emit(editor_.undo(board_, nonce()));
  }
  ImGui::SameLine();
  if (ImGui::Button("Redo") || (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Y)))) {
    emit(editor_.redo(board_, nonce()));
  }
  if (is_host_) {
    ImGui::SameLine();
    if (ImGui::Button("Clear")) emit(editor_.clear(board_, nonce()));
  }
  ImGui::End();
}

void WhiteboardView::pointer(glm::vec2 canvas_size) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureMouse && !pressing_) return;  // over the toolbar
  const glm::vec2 screen(io.MousePos.x, io.MousePos.y);
  const bool inside = screen.x >= 0 && screen.y >= 0 && screen.x < canvas_size.x && screen.y < canvas_size.y;
  const glm::vec2 world = camera_.to_world(screen);
  if (inside) pointer_ = world;
  if (io.MouseWheel != 0 && inside) camera_.zoom_at(screen, io.MouseWheel > 0 ? 1.1f : 1 / 1.1f);

  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) && inside) {
    pressing_ = true;
    drawing_.assign({world});
    if (tool_ == Tool::select) {
      moving_ = whiteboard::element_at(board_, world, 4 / camera_.zoom);
      moved_ = {0, 0};
    }
    if (tool_ == Tool::text) {
      text_at_ = world;
      text_buffer_[0] = '\0';
      ImGui::OpenPopup("text-entry");
    }
  }
  if (pressing_ && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    const glm::vec2 delta(io.MouseDelta.x, io.MouseDelta.y);
    switch (tool_) {
      case Tool::pen:
        if (drawing_.empty() || drawing_.back() != world) drawing_.push_back(world);
        break;
      case Tool::eraser:
        if (auto hit = whiteboard::element_at(board_, world, 6 / camera_.zoom)) {
          if (auto op = editor_.erase(board_, *hit, nonce())) emit(*op);
        }
        break;
      case Tool::pan:
        camera_.pan(delta);
        break;
      case Tool::select:
        moved_ += delta / camera_.zoom;
        break;
      case Tool::line: case Tool::arrow: case Tool::rectangle: case Tool::ellipse:
        if (drawing_.size() == 1) drawing_.push_back(world);
        else drawing_.back() = world;
        break;
      case Tool::laser:
        laser_trail_.push_back(world);
        if (laser_trail_.size() > kLaserTrail) laser_trail_.erase(laser_trail_.begin());
        break;
      case Tool::text:
        break;
    }
  }
  if (pressing_ && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
    pressing_ = false;
    if (tool_ == Tool::pen && !drawing_.empty()) {
      Element stroke = shape_preview();
      stroke.points = whiteboard::smooth_stroke(drawing_);
      emit(editor_.add(board_, stroke, nonce()));
    } else if ((tool_ == Tool::line || tool_ == Tool::arrow || tool_ == Tool::rectangle || tool_ == Tool::ellipse) &&
               drawing_.size() == 2 && drawing_.front() != drawing_.back()) {
      emit(editor_.add(board_, shape_preview(), nonce()));
    } else if (tool_ == Tool::select && moving_ && (moved_.x != 0 || moved_.y != 0)) {
      if (auto op = editor_.move(board_, *moving_, moved_, nonce())) emit(*op);
    }
    drawing_.clear();
    moving_.reset();
    laser_trail_.clear();
  }
}

void WhiteboardView::draw_texts() {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  for (const Element* e : board_.ordered()) {
    if (e->kind != ElementKind::text || e->points.empty()) continue;
    const glm::vec2 at = camera_.to_screen(e->points.front());
    draw->AddText(ImGui::GetFont(), e->font_size * camera_.zoom, ImVec2(at.x, at.y), imgui_colour(e->style.stroke),
                  e->text.c_str());
  }
}

void WhiteboardView::frame(double now_ms, glm::vec2 canvas_size) {
  if (!renderer_) renderer_.emplace();
  toolbar();
  pointer(canvas_size);

  typing_ = false;
  if (ImGui::BeginPopup("text-entry")) {
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool entered = ImGui::InputText("##text", text_buffer_, sizeof text_buffer_, ImGuiInputTextFlags_EnterReturnsTrue);
    typing_ = ImGui::IsItemActive();  // the focus lands a frame after the box opens
    const bool done = entered || (typing_ && enter_pressed_);
    if (done && std::strlen(text_buffer_) > 0) {
      Element text;
      text.kind = ElementKind::text;
      text.points = {text_at_};
      text.text = text_buffer_;
      text.style = style_;
      text.font_size = 14 + style_.width * 2;
      emit(editor_.add(board_, text, nonce()));
    }
    if (done || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }

  enter_pressed_ = false;
  geometry_.build(board_);
  if (pressing_ && tool_ != Tool::eraser && tool_ != Tool::select && tool_ != Tool::pan && tool_ != Tool::text &&
      tool_ != Tool::laser) {
    geometry_.append(shape_preview());
  }
  renderer_->draw(geometry_.vertices(), camera_, canvas_size);
  draw_texts();
  draw_cursors(now_ms);
}

}  // namespace mehfil::ui
