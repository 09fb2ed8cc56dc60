// The JSON codec of the signaling protocol: text frames in, typed messages out, and back.
//
// The server decodes client messages and encodes server ones; the client does the reverse; tests
// and the simulation do both, so one codec serves both ends and they cannot drift apart.
//
// Decoding never throws (the wasm build has no exceptions) and never trusts the frame: size, JSON
// syntax, UTF-8, nesting depth, the top-level object, a known "type", then every field's type and
// rule (validation.h). Anything wrong comes back as an Error whose code is the one the server puts
// in its `error` reply and whose message names the field. Unknown extra fields are ignored, so a
// newer peer may add some.
//
// Encoding is canonical: equal values give equal bytes (keys sorted, no whitespace, numbers and
// strings spelled the one way nlohmann writes them), and decode(encode(m)) == m for every valid m.
// Encoding trusts its input; invalid UTF-8 in a string is written as U+FFFD rather than failing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/errors.h"
#include "protocol/messages.h"

namespace mehfil::protocol {

template <class Message>
struct Decoded {
  std::optional<Message> message;  // set when the frame was valid
  // A client request's "id", whenever it could be read, even from a frame that failed later:
  // answer with ack{id} or error{..., ref: id}. Always empty for server frames.
  std::optional<RequestId> id;
  Error error;  // what was wrong when `message` is empty

  bool ok() const { return message.has_value(); }
};

Decoded<ClientMessage> decode_client(std::string_view frame);
Decoded<ServerMessage> decode_server(std::string_view frame);

std::string encode(const ClientMessage& message, const std::optional<RequestId>& id = std::nullopt);
std::string encode(const ServerMessage& message);

// The reply a server sends for a frame that failed to decode.
server::ErrorReply error_reply(const Decoded<ClientMessage>& failed);

// A room's settings as a JSON object, in the shape the messages carry them (messages.h,
// RoomSettings): the REST API and the server's store use these two so every place that spells the
// settings spells them the same. Reading takes part of an object: a flag left out (or null) keeps
// its value in `settings`, which is changed only when the whole object is valid.
nlohmann::json settings_to_json(const RoomSettings& settings);
std::optional<Error> settings_from_json(const nlohmann::json& object, RoomSettings& settings);

}  // namespace mehfil::protocol
