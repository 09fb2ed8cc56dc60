// Frame-level decoding and encoding (codec.h): the checks that come before any field is read, the
// dispatch on "type", and the one place JSON text is produced.
#include "protocol/codec.h"

#include <cstring>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "protocol/json_reader.h"
#include "protocol/json_writer.h"
#include "protocol/validation.h"

namespace mehfil::protocol {
namespace {

using nlohmann::json;

// True when arrays and objects nest deeper than `limit`. A byte scan before parsing, so a frame of
// 60 000 '[' is refused without building anything; brackets inside strings do not count.
bool nests_deeper_than(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  const char* at = text.data();
  const char* const end = at + text.size();
  while (at < end) {
    const char c = *at++;
    if (c == '"') {
      // Skip the string: find its closing quote, stepping over escapes.
      while (at < end) {
        const void* stop = std::memchr(at, '"', static_cast<std::size_t>(end - at));
        if (!stop) return false;  // unterminated: the parser will refuse it
        const char* quote = static_cast<const char*>(stop);
        std::size_t backslashes = 0;
        for (const char* back = quote; back > at && back[-1] == '\\'; --back) ++backslashes;
        at = quote + 1;
        if (backslashes % 2 == 0) break;
      }
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// The first `max_chars` code points of valid UTF-8 text, for quoting input in messages.
std::string_view clip(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80 && chars++ == max_chars) return text.substr(0, i);
  }
  return text;
}

template <class Message>
Decoded<Message> failure(Decoded<Message> result, ErrorCode code, std::string message) {
  result.error = {code, std::move(message)};
  return result;
}

template <class Message, class Struct>
void read_as(json& document, std::string_view type, Decoded<Message>& result) {
  Struct message;
  wire::JsonReader reader(document, std::string(type), result.error);
  fields(reader, message);
  if (!reader.failed()) result.message.emplace(std::move(message));
}

// Finds the alternative of `Message` whose type_name is `type` and reads the document as it.
template <class Message, std::size_t... I>
bool dispatch(json& document, std::string_view type, Decoded<Message>& result, std::index_sequence<I...>) {
  return ((type == std::variant_alternative_t<I, Message>::type_name
               ? (read_as<Message, std::variant_alternative_t<I, Message>>(document, type, result), true)
               : false) ||
          ...);
}

template <class Message>
Decoded<Message> decode(std::string_view frame, std::size_t max_bytes, bool has_request_id) {
  Decoded<Message> result;
  if (frame.size() > max_bytes) {
    return failure(std::move(result), ErrorCode::too_large,
                   "message is " + std::to_string(frame.size()) + " bytes; the limit is " + std::to_string(max_bytes));
  }
  if (nests_deeper_than(frame, kMaxNesting)) {
    return failure(std::move(result), ErrorCode::bad_request,
                   "message nests deeper than " + std::to_string(kMaxNesting) + " levels");
  }
  json document = json::parse(frame.begin(), frame.end(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    // nlohmann refuses invalid UTF-8 inside strings as a syntax error; tell the two apart.
    return failure(std::move(result), ErrorCode::bad_request,
                   is_valid_utf8(frame) ? "message is not valid JSON" : "message is not valid UTF-8");
  }
  if (!document.is_object()) return failure(std::move(result), ErrorCode::bad_request, "message must be a JSON object");
  if (has_request_id) {
    const auto id = document.find("id");
    if (id != document.end() && !id->is_null()) {
      RequestId value;
      if (!wire::read_request_id(*id, value)) {
        return failure(std::move(result), ErrorCode::bad_request, "id must be a string of 1 to 64 characters or a whole number");
      }
      result.id = std::move(value);
    }
  }
  const auto type = document.find("type");
  if (type == document.end()) return failure(std::move(result), ErrorCode::bad_request, "type is required");
  if (!type->is_string()) return failure(std::move(result), ErrorCode::bad_request, "type must be a string");
  const std::string type_name = type->get<std::string>();
  if (!dispatch(document, type_name, result, std::make_index_sequence<std::variant_size_v<Message>>())) {
    return failure(std::move(result), ErrorCode::unknown_type,
                   "unknown message type \"" + std::string(clip(type_name, 40)) + "\"");
  }
  return result;
}

template <class Message>
json to_json(const Message& message) {
  json object = json::object();
  std::visit(
      [&](const auto& typed) {
        object["type"] = std::string(typed.type_name);
        wire::JsonWriter writer(object);
        fields(writer, typed);
      },
      message);
  return object;
}

std::string dump(const json& object) {
  // Strings built in C++ may hold invalid UTF-8; write U+FFFD for it rather than throw.
  return object.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

Decoded<ClientMessage> decode_client(std::string_view frame) {
  return decode<ClientMessage>(frame, kMaxClientFrameBytes, /*has_request_id=*/true);
}

Decoded<ServerMessage> decode_server(std::string_view frame) {
  return decode<ServerMessage>(frame, kMaxServerFrameBytes, /*has_request_id=*/false);
}

std::string encode(const ClientMessage& message, const std::optional<RequestId>& id) {
  json object = to_json(message);
  if (id) wire::JsonWriter(object).request_id("id", *id);
  return dump(object);
}

std::string encode(const ServerMessage& message) { return dump(to_json(message)); }

server::ErrorReply error_reply(const Decoded<ClientMessage>& failed) {
  return {failed.error.code, failed.error.message, failed.id};
}

json settings_to_json(const RoomSettings& settings) {
  json object = json::object();
  wire::JsonWriter writer(object);
  fields(writer, settings);
  return object;
}

std::optional<Error> settings_from_json(const json& object, RoomSettings& settings) {
  if (!object.is_object()) return Error{ErrorCode::bad_request, "settings must be an object"};
  // The flags left out are filled in from `settings`, then the whole object is read by the same
  // field list as a message's settings.
  json whole = settings_to_json(settings);
  for (const auto& [name, value] : object.items()) {
    if (whole.contains(name) && !value.is_null()) whole[name] = value;
  }
  RoomSettings read;
  Error error;
  wire::JsonReader reader(whole, "settings", error);
  fields(reader, read);
  if (reader.failed()) return error;
  settings = read;
  return std::nullopt;
}

namespace server {

std::string_view to_string(Presence presence) {
  switch (presence) {
    case Presence::offline: return "offline";
    case Presence::online: return "online";
    case Presence::in_call: return "in_call";
  }
  return "offline";
}

std::optional<Presence> presence_from_string(std::string_view spelling) {
  for (Presence presence : {Presence::offline, Presence::online, Presence::in_call}) {
    if (to_string(presence) == spelling) return presence;
  }
  return std::nullopt;
}

}  // namespace server

}  // namespace mehfil::protocol
