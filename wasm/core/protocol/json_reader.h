// Internal to the codec: reads the fields wire_fields.h lists out of a parsed JSON object into a
// struct, checking each value's type and rule.
//
// No exceptions (the wasm build has none): every nlohmann accessor is called only after the value's
// type was checked. The first problem wins and is kept as an Error whose message names the field by
// its path ("room:joined.participants[2].user_id must be ..."); reads after it do nothing. Strings
// are moved out of the parsed document, so a 60 KiB SDP is never copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/errors.h"
#include "protocol/messages.h"
#include "protocol/validation.h"
#include "protocol/wire_fields.h"

namespace mehfil::protocol::wire {

class JsonReader {
 public:
  // `object` must be a JSON object; `path` names it in messages ("chat:send", "room:joined.room").
  JsonReader(nlohmann::json& object, std::string path, Error& error)
      : object_(object), path_(std::move(path)), error_(error) {}

  bool failed() const { return !error_.message.empty(); }
  void fail(std::string_view name, std::string_view what, ErrorCode code = ErrorCode::bad_request);

  void text(const char* name, std::string& out, TextRule rule);
  void text(const char* name, std::optional<std::string>& out, TextRule rule);
  void flag(const char* name, bool& out);
  void flag_or(const char* name, bool& out, bool absent);  // optional: `absent` when left out
  void flag_if(const char* name, bool& out) { flag_or(name, out, false); }  // written only when true
  void integer(const char* name, int& out, std::int64_t min, std::int64_t max);
  void integer(const char* name, std::int64_t& out, std::int64_t min, std::int64_t max);
  void integer(const char* name, std::optional<int>& out, std::int64_t min, std::int64_t max);
  void integer(const char* name, std::optional<std::int64_t>& out, std::int64_t min, std::int64_t max);
  void choice(const char* name, server::HostActionKind& out);
  void choice(const char* name, ErrorCode& out);
  void choice(const char* name, server::Presence& out);
  void request_id(const char* name, RequestId& out);
  void request_id(const char* name, std::optional<RequestId>& out);
  void opaque_objects(const char* name, std::vector<nlohmann::json>& out, std::size_t max);
  void texts(const char* name, std::vector<std::string>& out, TextRule rule, std::size_t max);  // 1..max strings

  template <class Struct>
  void object(const char* name, Struct& out) {
    nlohmann::json* value = find(name, true);
    if (!value) return;
    if (!value->is_object()) return fail(name, "must be an object");
    JsonReader nested(*value, path_ + "." + name, error_);
    fields(nested, out);
  }

  template <class Struct>
  void object(const char* name, std::optional<Struct>& out) {  // optional: left out when absent
    out.reset();
    if (!find(name, false)) return;
    object(name, out.emplace());
  }

  template <class Struct>
  void objects(const char* name, std::vector<Struct>& out, std::size_t max) {
    nlohmann::json* value = find(name, true);
    if (!value) return;
    if (!value->is_array()) return fail(name, "must be an array");
    if (value->size() > max) return fail(name, "must hold at most " + std::to_string(max) + " items");
    out.resize(value->size());
    for (std::size_t i = 0; i < out.size() && !failed(); ++i) {
      nlohmann::json& item = (*value)[i];
      const std::string item_name = std::string(name) + "[" + std::to_string(i) + "]";
      if (!item.is_object()) return fail(item_name, "must be an object");
      JsonReader nested(item, path_ + "." + item_name, error_);
      fields(nested, out[i]);
    }
  }

 private:
  // The field, or nullptr when it is absent (a problem if it is required). null counts as absent
  // for optional fields only.
  nlohmann::json* find(const char* name, bool required);

  nlohmann::json& object_;
  std::string path_;
  Error& error_;
};

// Reads a request "id" value (a string of 1..64 characters or a whole number); false if it is neither.
bool read_request_id(const nlohmann::json& value, RequestId& out);

}  // namespace mehfil::protocol::wire
