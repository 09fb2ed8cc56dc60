// Embind face of the whiteboard (mehfil-whiteboard.mjs): a GLFW window on the given canvas, Dear
// ImGui with the board's font, and one WhiteboardView, driven by the browser's animation frames (the
// app never owns the main loop). JS hands in remote ops and gets local ones back through a callback,
// batched by the view; see js-glue/whiteboard.js. The page's toolbar (js-glue/whiteboard-toolbar.js)
// sets the tool state through the setters below and hears every change of it, a shortcut's too,
// through onToolState.
#include <memory>
#include <optional>
#include <string>

#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>

#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <nlohmann/json.hpp>

#include "board_font.h"
#include "whiteboard_view.h"

namespace {

// One board per module instance: each embed instantiates its own module (a canvas in a shadow root is invisible to emscripten's lookups).
struct Instance {
  GLFWwindow* window = nullptr;
  std::unique_ptr<mehfil::ui::WhiteboardView> view;
  emscripten::val on_ops = emscripten::val::undefined();
  emscripten::val on_frame_drawn = emscripten::val::undefined();
  emscripten::val on_cursor = emscripten::val::undefined();
  emscripten::val on_tool_state = emscripten::val::undefined();
  std::optional<mehfil::ui::ToolState> told;  // the tool state last handed to on_tool_state
};
Instance instance;

emscripten::val tool_state() {
  const mehfil::ui::ToolState state = instance.view->tool_state();
  emscripten::val out = emscripten::val::object();
  out.set("tool", std::string(mehfil::ui::name_of(state.tool)));
  out.set("colour", state.colour >> 8);  // 0xRRGGBB
  out.set("width", state.width);
  out.set("filled", state.filled);
  out.set("canUndo", state.can_undo);
  out.set("canRedo", state.can_redo);
  return out;
}

void frame() {
  glfwPollEvents();
  int width = 0, height = 0;
  glfwGetFramebufferSize(instance.window, &width, &height);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  glViewport(0, 0, width, height);
  glClearColor(1, 1, 1, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  const double now = emscripten_get_now();
  instance.view->frame(now, {static_cast<float>(width), static_cast<float>(height)});
  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (auto ops = instance.view->take_outgoing(now)) instance.on_ops(*ops);
  if (const auto state = instance.view->tool_state(); state != instance.told && !instance.on_tool_state.isUndefined()) {
    instance.told = state;
    instance.on_tool_state(tool_state());
  }
  if (auto cursor = instance.view->take_cursor(now); cursor && !instance.on_cursor.isUndefined()) {
    instance.on_cursor(cursor->x, cursor->y, cursor->laser);
  }
  // PNG export reads the canvas now, in the same task as the drawing, before the browser clears it.
  if (instance.view->wants_png()) instance.on_frame_drawn();
}

// font: the board font's TTF bytes (a Uint8Array), or empty for ImGui's built-in font.
void start(std::string author, bool is_host, unsigned seed, int width, int height, emscripten::val on_ops,
           emscripten::val on_frame_drawn, std::string font) {
  glfwInit();
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  instance.window = glfwCreateWindow(width, height, "Mehfil whiteboard", nullptr, nullptr);
  glfwMakeContextCurrent(instance.window);
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsLight();
  ImGuiStyle& style = ImGui::GetStyle();  // the text box, the one ImGui window left: the site's rounding
  style.WindowRounding = style.PopupRounding = 10;
  style.FrameRounding = 6;
  style.WindowPadding = ImVec2(10, 10);
  style.FramePadding = ImVec2(8, 6);
  mehfil::ui::load_board_font(std::move(font));
  ImGui_ImplGlfw_InitForOpenGL(instance.window, true);
  // Ours first, then Dear ImGui's: Enter is latched for the view (see WhiteboardView::press_enter),
  // and every key goes to the view's shortcuts, which are queued as well. GLFW hears the keys of the
  // whole page: the view counts them only while the page says the board has the focus.
  glfwSetKeyCallback(instance.window, [](GLFWwindow* window, int key, int scancode, int action, int mods) {
    if (key == GLFW_KEY_ENTER && action == GLFW_PRESS && instance.view) instance.view->press_enter();
    if ((action == GLFW_PRESS || action == GLFW_REPEAT) && instance.view) {
      instance.view->press_key({key, (mods & (GLFW_MOD_CONTROL | GLFW_MOD_SUPER)) != 0, (mods & GLFW_MOD_SHIFT) != 0,
                                (mods & GLFW_MOD_ALT) != 0, action == GLFW_REPEAT});
    }
    ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
  });
  ImGui_ImplOpenGL3_Init("#version 300 es");
  instance.view = std::make_unique<mehfil::ui::WhiteboardView>(std::move(author), is_host, seed);
  instance.on_ops = std::move(on_ops);
  instance.on_frame_drawn = std::move(on_frame_drawn);
  emscripten_set_main_loop(frame, 0, false);
}

void resize(int width, int height) { glfwSetWindowSize(instance.window, width, height); }
void on_cursor(emscripten::val callback) { instance.on_cursor = std::move(callback); }
void receive_cursor(std::string from, int x, int y, bool laser) {
  instance.view->remote_cursor(from, {static_cast<float>(x), static_cast<float>(y)}, laser, emscripten_get_now());
}
int remote_cursors() { return instance.view->remote_cursor_count(); }
int receive(std::string ops) { return instance.view->receive(nlohmann::json::parse(ops, nullptr, false)); }
std::string export_svg() { return instance.view->export_svg(); }
std::string board_json() { return instance.view->board().canonical_json(); }
void request_png() { instance.view->request_png(); }
void set_host(bool is_host) { instance.view->set_host(is_host); }
bool typing() { return instance.view->typing(); }
void stop() { emscripten_cancel_main_loop(); }

void select_tool(std::string name) {
  if (auto tool = mehfil::ui::tool_named(name)) instance.view->select_tool(*tool);
}
std::string tool_key(std::string name) {
  const auto tool = mehfil::ui::tool_named(name);
  return tool ? std::string(mehfil::ui::key_of(*tool)) : std::string();
}
void set_colour(unsigned rgb) { instance.view->set_colour((rgb & 0xffffffu) << 8 | 0xffu); }
void set_width(float width) { instance.view->set_width(width); }
void set_filled(bool filled) { instance.view->set_filled(filled); }
void undo() { instance.view->undo(); }
void redo() { instance.view->redo(); }
void clear() { instance.view->clear(); }
void set_keyboard_focus(bool focused) { instance.view->set_keyboard_focus(focused); }
void on_tool_state(emscripten::val callback) {
  instance.on_tool_state = std::move(callback);
  instance.told.reset();  // told again on the next frame
}

}  // namespace

EMSCRIPTEN_BINDINGS(mehfil_whiteboard) {
  emscripten::function("start", &start);
  emscripten::function("resize", &resize);
  emscripten::function("onCursor", &on_cursor);
  emscripten::function("receiveCursor", &receive_cursor);
  emscripten::function("remoteCursors", &remote_cursors);
  emscripten::function("receive", &receive);
  emscripten::function("exportSvg", &export_svg);
  emscripten::function("boardJson", &board_json);
  emscripten::function("requestPng", &request_png);
  emscripten::function("setHost", &set_host);
  emscripten::function("typing", &typing);
  emscripten::function("selectTool", &select_tool);
  emscripten::function("toolKey", &tool_key);
  emscripten::function("setColour", &set_colour);
  emscripten::function("setWidth", &set_width);
  emscripten::function("setFilled", &set_filled);
  emscripten::function("undo", &undo);
  emscripten::function("redo", &redo);
  emscripten::function("clear", &clear);
  emscripten::function("toolState", &tool_state);
  emscripten::function("onToolState", &on_tool_state);
  emscripten::function("setKeyboardFocus", &set_keyboard_focus);
  emscripten::function("stop", &stop);
}
