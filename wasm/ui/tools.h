// The whiteboard's tools by name and by key: two small pure tables, so the names JS uses
// (js-glue/whiteboard-toolbar.js) and the keyboard shortcuts are each spelled once.
//
// Keys are GLFW key codes, which for letters are the capital letter's ASCII code ('P'). A letter
// alone picks a tool (P pen, E eraser, L line, A arrow, R rectangle, O ellipse, T text, V select);
// Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (Cmd on a Mac counts as Ctrl). A letter with Ctrl,
// Alt or Cmd is the browser's (Ctrl+R reloads), and a held letter picks its tool once.
#pragma once

#include <optional>
#include <string_view>

namespace mehfil::ui {

enum class Tool { pen, eraser, line, arrow, rectangle, ellipse, text, select, pan, laser };

std::optional<Tool> tool_named(std::string_view name);
const char* name_of(Tool tool);
// The letter that picks the tool ("P"), or "" for none: what the toolbar's tooltips say.
std::string_view key_of(Tool tool);

struct KeyPress {
  int key = 0;  // GLFW key code
  bool ctrl = false;  // Ctrl or Cmd
  bool shift = false;
  bool alt = false;
  bool repeat = false;  // the key is held
};

struct KeyCommand {
  enum class Kind { none, tool, undo, redo } kind = Kind::none;
  Tool tool = Tool::pen;
};

KeyCommand command_for(const KeyPress& press);

}  // namespace mehfil::ui
