// Reader: one JSON event object from js-glue, read without exceptions (the wasm build has none): a
// missing or mistyped field gives the default and a note in `problem`, which the bridge answers with
// a `rejected` command. Shared by the call bridge (room_bridge.h) and the lobby (lobby_bridge.h),
// with the two ways both answer: dump (text that is never invalid UTF-8) and rejected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "room/peer_types.h"

namespace mehfil::bindings {

struct Reader {
  const nlohmann::json& object;
  std::string problem;

  const nlohmann::json* field(const char* name) const {
    const auto found = object.find(name);
    return found == object.end() || found->is_null() ? nullptr : &*found;
  }
  std::string text(const char* name) {
    const nlohmann::json* value = field(name);
    if (value && value->is_string()) return value->get<std::string>();
    if (value) note(name, "a string");
    return {};
  }
  std::optional<std::string> optional_text(const char* name) {
    const nlohmann::json* value = field(name);
    if (!value) return std::nullopt;
    if (!value->is_string()) {
      note(name, "a string");
      return std::nullopt;
    }
    return value->get<std::string>();
  }
  bool flag(const char* name, bool fallback = false) {
    const nlohmann::json* value = field(name);
    if (value && value->is_boolean()) return value->get<bool>();
    if (value) note(name, "true or false");
    return fallback;
  }
  double number(const char* name, double fallback = 0) {
    const nlohmann::json* value = field(name);
    if (value && value->is_number()) return value->get<double>();
    if (value) note(name, "a number");
    return fallback;
  }
  room::OpId op() {
    const nlohmann::json* value = field("op");
    if (value && value->is_number_unsigned()) return value->get<room::OpId>();
    if (value && value->is_number_integer() && value->get<std::int64_t>() >= 0) {
      return static_cast<room::OpId>(value->get<std::int64_t>());
    }
    note("op", "a non-negative integer");
    return 0;
  }
  void note(const char* name, const char* what) {
    if (problem.empty()) problem = std::string(name) + " must be " + what;
  }
};

inline std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline std::string rejected(std::string reason) {
  return dump(nlohmann::json::array({nlohmann::json{{"type", "rejected"}, {"reason", std::move(reason)}}}));
}

}  // namespace mehfil::bindings
