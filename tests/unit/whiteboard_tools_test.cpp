// The whiteboard's tools by name and by key (wasm/ui/tools.h): the shortcuts the view obeys and the
// names the page's toolbar uses, and the undo and redo the toolbar offers (BoardEditor).
#include <catch2/catch.hpp>

#include "tools.h"
#include "whiteboard/board.h"

using namespace mehfil::ui;
using Kind = KeyCommand::Kind;

TEST_CASE("A letter alone picks its tool, and every tool's name reads back") {
  const std::pair<char, Tool> keys[] = {{'P', Tool::pen},       {'E', Tool::eraser},  {'L', Tool::line},
                                        {'A', Tool::arrow},     {'R', Tool::rectangle}, {'O', Tool::ellipse},
                                        {'T', Tool::text},      {'V', Tool::select}};
  for (const auto& [key, tool] : keys) {
    const KeyCommand command = command_for({key});
    CHECK(command.kind == Kind::tool);
    CHECK(command.tool == tool);
    CHECK(key_of(tool) == std::string(1, key));
  }
  for (Tool tool : {Tool::pen, Tool::eraser, Tool::line, Tool::arrow, Tool::rectangle, Tool::ellipse, Tool::text,
                    Tool::select, Tool::pan, Tool::laser}) {
    CHECK(tool_named(name_of(tool)) == tool);
  }
  CHECK(key_of(Tool::pan).empty());
  CHECK(key_of(Tool::laser).empty());
  CHECK_FALSE(tool_named("brush"));
}

TEST_CASE("Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, and letters with a modifier or held pick nothing") {
  CHECK(command_for({'Z', true}).kind == Kind::undo);
  CHECK(command_for({'Z', true, true}).kind == Kind::redo);
  CHECK(command_for({'Y', true}).kind == Kind::redo);
  CHECK(command_for({'Z', true, false, false, true}).kind == Kind::undo);  // held: undo again
  CHECK(command_for({'R', true}).kind == Kind::none);                      // Ctrl+R is the browser's
  CHECK(command_for({'P', false, false, true}).kind == Kind::none);        // Alt+P
  CHECK(command_for({'P', false, true}).kind == Kind::none);               // Shift+P
  CHECK(command_for({'P', false, false, false, true}).kind == Kind::none); // held
  CHECK(command_for({'H'}).kind == Kind::none);                            // the call's raise-hand key
  CHECK(command_for({'Z'}).kind == Kind::none);
}

TEST_CASE("The editor says when there is something to undo or redo") {
  using namespace mehfil::whiteboard;
  Board board;
  BoardEditor editor("ana");
  CHECK_FALSE(editor.can_undo());
  Element line;
  line.kind = ElementKind::line;
  line.points = {{0, 0}, {10, 10}};
  editor.add(board, line, 1);
  CHECK(editor.can_undo());
  CHECK_FALSE(editor.can_redo());
  editor.undo(board, 2);
  CHECK_FALSE(editor.can_undo());
  CHECK(editor.can_redo());
}
