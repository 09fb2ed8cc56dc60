// Field-by-field reading with type and rule checks (json_reader.h).
#include "protocol/json_reader.h"

#include <limits>
#include <utility>

namespace mehfil::protocol::wire {
namespace {

using nlohmann::json;

// JSON integers within int64; floats (even 5.0) and larger unsigned values are not whole numbers here.
bool whole_number(const json& value, std::int64_t& out) {
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<std::uint64_t>();
    if (unsigned_value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
    out = static_cast<std::int64_t>(unsigned_value);
    return true;
  }
  if (value.is_number_integer()) {
    out = value.get<std::int64_t>();
    return true;
  }
  return false;
}

std::string range_problem(std::int64_t min, std::int64_t max) {
  return "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

bool read_request_id(const json& value, RequestId& out) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (check_text(TextRule::request_id, text)) return false;
    out = text;
    return true;
  }
  std::int64_t number = 0;
  if (!whole_number(value, number)) return false;
  out = number;
  return true;
}

void JsonReader::fail(std::string_view name, std::string_view what, ErrorCode code) {
  if (failed()) return;
  error_.code = code;
  error_.message.reserve(path_.size() + name.size() + what.size() + 2);
  error_.message.append(path_).append(".").append(name).append(" ").append(what);
}

json* JsonReader::find(const char* name, bool required) {
  if (failed()) return nullptr;
  const auto it = object_.find(name);
  if (it != object_.end() && !(it->is_null() && !required)) return &*it;
  if (required && it == object_.end()) fail(name, "is required");
  return nullptr;
}

void JsonReader::text(const char* name, std::string& out, TextRule rule) {
  json* value = find(name, true);
  if (!value) return;
  if (!value->is_string()) return fail(name, "must be a string");
  auto& text = value->get_ref<std::string&>();
  if (const auto problem = check_text(rule, text)) return fail(name, problem->what, problem->code);
  if (rule == TextRule::display_name) {
    out = trim_whitespace(text);
  } else {
    out = std::move(text);
  }
}

void JsonReader::texts(const char* name, std::vector<std::string>& out, TextRule rule, std::size_t max) {
  json* value = find(name, true);
  if (!value) return;
  if (!value->is_array()) return fail(name, "must be an array");
  if (value->empty() || value->size() > max) return fail(name, "must hold 1 to " + std::to_string(max) + " items");
  out.clear();
  out.reserve(value->size());
  for (std::size_t i = 0; i < value->size(); ++i) {
    const std::string item_name = std::string(name) + "[" + std::to_string(i) + "]";
    json& item = (*value)[i];
    if (!item.is_string()) return fail(item_name, "must be a string");
    auto& text = item.get_ref<std::string&>();
    if (const auto problem = check_text(rule, text)) return fail(item_name, problem->what, problem->code);
    out.push_back(std::move(text));
  }
}

void JsonReader::text(const char* name, std::optional<std::string>& out, TextRule rule) {
  json* value = find(name, false);
  if (!value) return;
  text(name, out.emplace(), rule);
}

void JsonReader::flag(const char* name, bool& out) {
  json* value = find(name, true);
  if (!value) return;
  if (!value->is_boolean()) return fail(name, "must be true or false");
  out = value->get<bool>();
}

void JsonReader::flag_or(const char* name, bool& out, bool absent) {
  out = absent;
  json* value = find(name, false);
  if (!value) return;
  flag(name, out);
}

void JsonReader::integer(const char* name, std::int64_t& out, std::int64_t min, std::int64_t max) {
  json* value = find(name, true);
  if (!value) return;
  std::int64_t number = 0;
  if (!whole_number(*value, number) || number < min || number > max) return fail(name, range_problem(min, max));
  out = number;
}

void JsonReader::integer(const char* name, int& out, std::int64_t min, std::int64_t max) {
  std::int64_t number = 0;
  integer(name, number, min, max);
  if (!failed()) out = static_cast<int>(number);
}

void JsonReader::integer(const char* name, std::optional<int>& out, std::int64_t min, std::int64_t max) {
  if (!find(name, false)) return;
  integer(name, out.emplace(), min, max);
}

void JsonReader::integer(const char* name, std::optional<std::int64_t>& out, std::int64_t min, std::int64_t max) {
  if (!find(name, false)) return;
  integer(name, out.emplace(), min, max);
}

void JsonReader::choice(const char* name, server::HostActionKind& out) {
  json* value = find(name, true);
  if (!value) return;
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    if (text == "mute" || text == "kick") {
      out = text == "mute" ? server::HostActionKind::mute : server::HostActionKind::kick;
      return;
    }
  }
  fail(name, "must be \"mute\" or \"kick\"");
}

void JsonReader::choice(const char* name, ErrorCode& out) {
  json* value = find(name, true);
  if (!value) return;
  if (value->is_string()) {
    if (const auto code = error_code_from_string(value->get_ref<const std::string&>())) {
      out = *code;
      return;
    }
  }
  fail(name, "must be a known error code");
}

void JsonReader::choice(const char* name, server::Presence& out) {
  json* value = find(name, true);
  if (!value) return;
  if (value->is_string()) {
    if (const auto presence = server::presence_from_string(value->get_ref<const std::string&>())) {
      out = *presence;
      return;
    }
  }
  fail(name, "must be \"offline\", \"online\" or \"in_call\"");
}

void JsonReader::request_id(const char* name, RequestId& out) {
  json* value = find(name, true);
  if (!value) return;
  if (!read_request_id(*value, out)) fail(name, "must be a string of 1 to 64 characters or a whole number");
}

void JsonReader::request_id(const char* name, std::optional<RequestId>& out) {
  if (!find(name, false)) return;
  request_id(name, out.emplace());
}

void JsonReader::opaque_objects(const char* name, std::vector<json>& out, std::size_t max) {
  json* value = find(name, true);
  if (!value) return;
  if (!value->is_array()) return fail(name, "must be an array");
  if (value->size() > max) return fail(name, "must hold at most " + std::to_string(max) + " items", ErrorCode::too_large);
  auto& items = value->get_ref<json::array_t&>();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object()) return fail(std::string(name) + "[" + std::to_string(i) + "]", "must be an object");
  }
  out = std::move(items);
}

}  // namespace mehfil::protocol::wire
