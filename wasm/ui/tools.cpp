// The tools' names and shortcut keys (tools.h).
#include "tools.h"

#include <iterator>

namespace mehfil::ui {
namespace {

struct Named {
  Tool tool;
  const char* name;
  char key;  // 0: no shortcut
};
constexpr Named kTools[] = {
    {Tool::pen, "pen", 'P'},       {Tool::eraser, "eraser", 'E'},     {Tool::line, "line", 'L'},
    {Tool::arrow, "arrow", 'A'},   {Tool::rectangle, "rectangle", 'R'}, {Tool::ellipse, "ellipse", 'O'},
    {Tool::text, "text", 'T'},     {Tool::select, "select", 'V'},     {Tool::pan, "pan", 0},
    {Tool::laser, "laser", 0},
};

}  // namespace

std::optional<Tool> tool_named(std::string_view name) {
  for (const Named& named : kTools) {
    if (name == named.name) return named.tool;
  }
  return std::nullopt;
}

const char* name_of(Tool tool) {
  for (const Named& named : kTools) {
    if (named.tool == tool) return named.name;
  }
  return "pen";
}

std::string_view key_of(Tool tool) {
  for (const Named& named : kTools) {
    if (named.tool == tool && named.key != 0) return {&named.key, 1};
  }
  return {};
}

KeyCommand command_for(const KeyPress& press) {
  using Kind = KeyCommand::Kind;
  if (press.ctrl && !press.alt) {
    if (press.key == 'Z') return {press.shift ? Kind::redo : Kind::undo};
    if (press.key == 'Y' && !press.shift) return {Kind::redo};
    return {};
  }
  if (press.ctrl || press.alt || press.shift || press.repeat) return {};
  for (const Named& named : kTools) {
    if (named.key != 0 && press.key == named.key) return {Kind::tool, named.tool};
  }
  return {};
}

}  // namespace mehfil::ui
