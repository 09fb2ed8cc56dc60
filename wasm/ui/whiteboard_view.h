// WhiteboardView: the shared whiteboard on a canvas, drawn from C++. It owns this user's replica of
// the board (whiteboard/board.h), the tool state (tool, colour, width, fill) and the camera;
// BoardRenderer draws the strokes and shapes, Dear ImGui the texts (board_font.h), the cursors and
// the text-entry box. Remote ops come in through receive(); local ops leave through
// take_outgoing(), batched no more often than every 33 ms so a fast pen does not flood the room.
//
// Tools: pen (streamlined and simplified on release), eraser (hit-testing under the pointer), line,
// arrow, rectangle, ellipse, text, select and move, pan (and the wheel zooms at the pointer), and a
// laser pointer that, like everyone's cursor, is shown to the others and never stored; undo/redo of
// one's own actions; clear (offered to hosts only); colours, widths and fill.
//
// The toolbar is the page's (js-glue/whiteboard-toolbar.js, real buttons with names): it sets the
// state through the setters here and shows what tool_state() says. The keyboard shortcuts are
// decided here alone (tools.h): keys come in through press_key() and count only while the board
// has the keyboard focus (set_keyboard_focus, told by the page) and no text is being typed into it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <glm/vec2.hpp>
#include <nlohmann/json.hpp>

#include "board_renderer.h"
#include "tools.h"
#include "whiteboard/board.h"
#include "whiteboard/camera.h"
#include "whiteboard/geometry.h"

namespace mehfil::ui {

// What the page's toolbar shows.
struct ToolState {
  Tool tool = Tool::pen;
  std::uint32_t colour = 0;  // RGBA
  float width = 0;
  bool filled = false;
  bool can_undo = false;
  bool can_redo = false;
  bool operator==(const ToolState&) const = default;
};

// Where this user's pointer is, for the others (wb:cursor): transient, never stored.
struct CursorUpdate {
  int x = 0;
  int y = 0;
  bool laser = false;
};

class WhiteboardView {
 public:
  WhiteboardView(std::string author, bool is_host, std::uint32_t seed);

  // Remote ops (wb:ops.ops). Returns how many were malformed (and ignored).
  int receive(const nlohmann::json& ops);
  // One frame: reads ImGui's input and the keys pressed since the last frame, draws the board and the texts. Needs a GL context
  // and an ImGui frame begun.
  void frame(double now_ms, glm::vec2 canvas_size);
  // The ops made since the last batch, as a JSON array text, once 33 ms have passed since then.
  std::optional<std::string> take_outgoing(double now_ms);
  std::string export_svg() const;
  // Someone else's pointer (wb:cursor); it fades after two seconds without news.
  void remote_cursor(const std::string& from, glm::vec2 world, bool laser, double now_ms);
  // This user's pointer when it moved, at most every 50 ms (so cursors and ops stay under the
  // server's 50 messages a second together).
  std::optional<CursorUpdate> take_cursor(double now_ms);
  int remote_cursor_count() const { return static_cast<int>(cursors_.size()); }
  void request_png() { png_requested_ = true; }
  bool wants_png() { return std::exchange(png_requested_, false); }
  void set_host(bool is_host) { is_host_ = is_host; }
  const whiteboard::Board& board() const { return board_; }
  // The tool state, set by the page's toolbar (and by tests and embedders).
  void select_tool(Tool tool) { tool_ = tool; }
  void set_colour(std::uint32_t rgba);
  void set_width(float width);
  void set_filled(bool filled);
  void undo();
  void redo();
  void clear();  // hosts only: nothing for the others (the server would refuse it anyway)
  ToolState tool_state() const;
  // A key went down (GLFW key code), queued for the next frame; see tools.h for what it does. Keys
  // pressed while the board has no focus are dropped at once (GLFW hears the whole page's keys, also
  // after the board has stopped drawing frames).
  void press_key(const KeyPress& press) {
    if (keyboard_focus_ && keys_.size() < 64) keys_.push_back(press);
  }
  void set_keyboard_focus(bool focused) { keyboard_focus_ = focused; }
  bool typing() const { return typing_; }  // the text box is open and has the keyboard
  // Enter was pressed since the last frame. Dear ImGui 1.86 keeps no queue of key events, so a press
  // and release within one frame (a slow machine, a fast typist) would otherwise be lost.
  void press_enter() { enter_pressed_ = true; }

 private:
  std::uint32_t nonce();
  void emit(const whiteboard::Element& op) { outgoing_.push_back(op); }
  void emit(const std::vector<whiteboard::Element>& ops) { outgoing_.insert(outgoing_.end(), ops.begin(), ops.end()); }
  void shortcuts();
  void pointer(glm::vec2 canvas_size);
  void draw_texts();
  whiteboard::Element shape_preview() const;

  whiteboard::Board board_;
  whiteboard::BoardEditor editor_;
  whiteboard::Camera camera_;
  whiteboard::GeometryBuilder geometry_;
  std::optional<BoardRenderer> renderer_;  // made on the first frame, when GL is ready
  bool is_host_;
  std::uint32_t random_state_;
  Tool tool_ = Tool::pen;
  whiteboard::Style style_;
  bool pressing_ = false;
  std::vector<glm::vec2> drawing_;  // world points of the stroke or shape being drawn
  std::optional<std::string> moving_;
  glm::vec2 moved_{0, 0};
  bool typing_ = false;
  bool text_open_ = false;  // the text-entry box is open (it takes the keyboard a frame later)
  bool enter_pressed_ = false;
  bool keyboard_focus_ = false;
  std::vector<KeyPress> keys_;
  glm::vec2 text_at_{0, 0};
  char text_buffer_[512] = {};
  struct RemoteCursor {
    glm::vec2 at{0, 0};
    bool laser = false;
    double seen_ms = 0;
    std::vector<glm::vec2> trail;  // the laser's last positions, newest last
  };
  void draw_cursors(double now_ms);
  std::map<std::string, RemoteCursor> cursors_;
  std::vector<glm::vec2> laser_trail_;  // this user's laser, drawn locally too
  glm::vec2 pointer_{0, 0};
  std::optional<glm::vec2> sent_pointer_;
  double cursor_sent_ms_ = -1e9;
  std::vector<whiteboard::Element> outgoing_;
  double last_sent_ms_ = -1e9;
  bool png_requested_ = false;
};

}  // namespace mehfil::ui
