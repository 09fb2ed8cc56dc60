// Internal to the codec: writes the fields wire_fields.h lists into a JSON object. The mirror of
// JsonReader with the same method names; it trusts its input (validation happens when decoding)
// and leaves empty optionals out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/messages.h"
#include "protocol/validation.h"
#include "protocol/wire_fields.h"

namespace mehfil::protocol::wire {

class JsonWriter {
 public:
  explicit JsonWriter(nlohmann::json& object) : object_(object) {}

  void text(const char* name, const std::string& value, TextRule) { object_[name] = value; }
  void text(const char* name, const std::optional<std::string>& value, TextRule) {
    if (value) object_[name] = *value;
  }
  void flag(const char* name, bool value) { object_[name] = value; }
  void flag_or(const char* name, bool value, bool) { object_[name] = value; }
  void flag_if(const char* name, bool value) {  // a rare state: on the wire only when true
    if (value) object_[name] = true;
  }
  void integer(const char* name, std::int64_t value, std::int64_t, std::int64_t) { object_[name] = value; }
  void integer(const char* name, const std::optional<int>& value, std::int64_t, std::int64_t) {
    if (value) object_[name] = *value;
  }
  void integer(const char* name, const std::optional<std::int64_t>& value, std::int64_t, std::int64_t) {
    if (value) object_[name] = *value;
  }
  void choice(const char* name, server::HostActionKind value) {
    object_[name] = value == server::HostActionKind::kick ? "kick" : "mute";
  }
  void choice(const char* name, ErrorCode value) { object_[name] = std::string(to_string(value)); }
  void choice(const char* name, server::Presence value) { object_[name] = std::string(server::to_string(value)); }
  void request_id(const char* name, const RequestId& value) {
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
      object_[name] = *number;
    } else {
      object_[name] = std::get<std::string>(value);
    }
  }
  void request_id(const char* name, const std::optional<RequestId>& value) {
    if (value) request_id(name, *value);
  }
  void texts(const char* name, const std::vector<std::string>& values, TextRule, std::size_t) { object_[name] = values; }
  void opaque_objects(const char* name, const std::vector<nlohmann::json>& values, std::size_t) {
    object_[name] = nlohmann::json::array_t(values.begin(), values.end());
  }

  template <class Struct>
  void object(const char* name, const Struct& value) {
    nlohmann::json nested = nlohmann::json::object();
    JsonWriter writer(nested);
    fields(writer, value);
    object_[name] = std::move(nested);
  }

  template <class Struct>
  void object(const char* name, const std::optional<Struct>& value) {
    if (value) object(name, *value);
  }

  template <class Struct>
  void objects(const char* name, const std::vector<Struct>& values, std::size_t) {
    nlohmann::json::array_t items;
    items.reserve(values.size());
    for (const Struct& value : values) {
      nlohmann::json& nested = items.emplace_back(nlohmann::json::object());
      JsonWriter writer(nested);
      fields(writer, value);
    }
    object_[name] = std::move(items);
  }

 private:
  nlohmann::json& object_;
};

}  // namespace mehfil::protocol::wire
