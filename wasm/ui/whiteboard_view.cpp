// The whiteboard's canvas: pointer, keys, the text box and the drawing (whiteboard_view.h).
#include "whiteboard_view.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include <imgui.h>

#include "board_font.h"
#include "whiteboard/element_json.h"
#include "whiteboard/hit_test.h"
#include "whiteboard/stroke_smoothing.h"
#include "whiteboard/svg_export.h"

namespace mehfil::ui {
namespace {

using whiteboard::Element;
using whiteboard::ElementKind;

constexpr double kBatchEveryMs = 33;

constexpr double kCursorEveryMs = 50;
constexpr double kCursorFadeMs = 2000;
constexpr std::size_t kLaserTrail = 24;
constexpr float kMinWidth = 1, kMaxWidth = 24;

// A filled shape's inside: its stroke's colour, see-through.
std::uint32_t fill_of(std::uint32_t stroke) { return (stroke & 0xffffff00u) | 0x55u; }

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
    : editor_(std::move(author)), is_host_(is_host), random_state_(seed ? seed : 0x9e3779b9u) {
  style_.fill = fill_of(style_.stroke);
}

void WhiteboardView::set_colour(std::uint32_t rgba) {
  style_.stroke = rgba | 0xffu;  // opaque: the fill is the see-through one
  style_.fill = fill_of(style_.stroke);
}
void WhiteboardView::set_width(float width) {
  if (width == width) style_.width = std::clamp(width, kMinWidth, kMaxWidth);  // NaN is ignored
}
void WhiteboardView::set_filled(bool filled) { style_.filled = filled; }
void WhiteboardView::undo() { emit(editor_.undo(board_, nonce())); }
void WhiteboardView::redo() { emit(editor_.redo(board_, nonce())); }
void WhiteboardView::clear() {
  if (is_host_) emit(editor_.clear(board_, nonce()));
}

ToolState WhiteboardView::tool_state() const {
  return {tool_, style_.stroke, style_.width, style_.filled, editor_.can_undo(), editor_.can_redo()};
}

// The keys pressed since the last frame, while the board has the keyboard and no text is typed into
// it (the text box takes every key then, "p" included).
void WhiteboardView::shortcuts() {
  const std::vector<KeyPress> keys = std::exchange(keys_, {});
  if (!keyboard_focus_ || text_open_ || ImGui::GetIO().WantTextInput) return;
  for (const KeyPress& press : keys) {
    const KeyCommand command = command_for(press);
    switch (command.kind) {
      case KeyCommand::Kind::tool: tool_ = command.tool; break;
      case KeyCommand::Kind::undo: undo(); break;
      case KeyCommand::Kind::redo: redo(); break;
      case KeyCommand::Kind::none: break;
    }
  }
}

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

void WhiteboardView::pointer(glm::vec2 canvas_size) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureMouse && !pressing_) return;  // over the text box
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
    const TextDraw text = board_text(e->font_size * camera_.zoom);
    draw->AddText(text.font, text.size, ImVec2(at.x, at.y + text.dy), imgui_colour(e->style.stroke), e->text.c_str());
  }
}

void WhiteboardView::frame(double now_ms, glm::vec2 canvas_size) {
  if (!renderer_) renderer_.emplace();
  shortcuts();
  pointer(canvas_size);

  typing_ = false;
  text_open_ = ImGui::BeginPopup("text-entry");
  if (text_open_) {
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
