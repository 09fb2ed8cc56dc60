// Embind face of the whiteboard (mehfil-whiteboard.mjs): a GLFW window on the given canvas, Dear
// ImGui, and one WhiteboardView, driven by the browser's animation frames (the app never owns the
// main loop). JS hands in remote ops and gets local ones back through a callback, batched by the
// view; see js-glue/whiteboard.js.
#include <memory>
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

#include "whiteboard_view.h"

namespace {

// One board per module instance: each embed instantiates its own module (a canvas in a shadow root is invisible to emscripten's lookups).
struct Instance {
  GLFWwindow* window = nullptr;
  std::unique_ptr<mehfil::ui::WhiteboardView> view;
  emscripten::val on_ops = emscripten::val::undefined();
  emscripten::val on_frame_drawn = emscripten::val::undefined();
  emscripten::val on_cursor = emscripten::val::undefined();
};
Instance instance;

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
  if (auto cursor = instance.view->take_cursor(now); cursor && !instance.on_cursor.isUndefined()) {
    instance.on_cursor(cursor->x, cursor->y, cursor->laser);
  }
  // PNG export reads the canvas now, in the same task as the drawing, before the browser clears it.
  if (instance.view->wants_png()) instance.on_frame_drawn();
}

void start(std::string author, bool is_host, unsigned seed, int width, int height, emscripten::val on_ops,
           emscripten::val on_frame_drawn) {
  glfwInit();
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  instance.window = glfwCreateWindow(width, height, "Mehfil whiteboard", nullptr, nullptr);
  glfwMakeContextCurrent(instance.window);
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsLight();
  ImGui_ImplGlfw_InitForOpenGL(instance.window, true);
  // Ours first, then Dear ImGui's: Enter is latched for the view (see WhiteboardView::press_enter).
  glfwSetKeyCallback(instance.window, [](GLFWwindow* window, int key, int scancode, int action, int mods) {
    if (key == GLFW_KEY_ENTER && action == GLFW_PRESS && instance.view) instance.view->press_enter();
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
  using mehfil::ui::Tool;
  static const std::pair<const char*, Tool> kNames[] = {
      {"pen", Tool::pen},         {"eraser", Tool::eraser},   {"line", Tool::line},     {"arrow", Tool::arrow},
      {"rectangle", Tool::rectangle}, {"ellipse", Tool::ellipse}, {"text", Tool::text}, {"select", Tool::select},
      {"pan", Tool::pan}, {"laser", Tool::laser}};
  for (const auto& [spelling, tool] : kNames) {
    if (name == spelling) instance.view->select_tool(tool);
  }
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
  emscripten::function("stop", &stop);
}
