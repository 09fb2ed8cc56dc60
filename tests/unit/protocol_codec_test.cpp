// The codec's round trips and its exact wire shape: every message type survives encode → decode,
// encoding is canonical, request ids are echoed as sent, and unknown fields are ignored.
#include <catch2/catch.hpp>

#include <variant>

#include "protocol/codec.h"
#include "protocol_test_support.h"

using namespace protocol_test;
using nlohmann::json;

TEST_CASE("The examples cover every message type in both directions") {
  CHECK(every_client_message().size() == std::variant_size_v<ClientMessage>);
  CHECK(every_server_message().size() == std::variant_size_v<ServerMessage>);
  for (std::size_t i = 0; i < every_client_message().size(); ++i) CHECK(every_client_message()[i].index() == i);
  for (std::size_t i = 0; i < every_server_message().size(); ++i) CHECK(every_server_message()[i].index() == i);
}

TEST_CASE("Every client message decodes to what was encoded, and re-encodes to the same bytes") {
  for (const ClientMessage& message : every_client_message()) {
    const std::string text = encode(message);
    CAPTURE(text);
    const auto decoded = decode_client(text);
    REQUIRE(decoded.ok());
    CHECK(decoded.error.message.empty());
    CHECK(*decoded.message == message);
    CHECK(type_name(*decoded.message) == type_name(message));
    CHECK(encode(*decoded.message) == text);
    CHECK(json::parse(text)["type"] == std::string(type_name(message)));
  }
}

TEST_CASE("Every server message decodes to what was encoded, and re-encodes to the same bytes") {
  for (const ServerMessage& message : every_server_message()) {
    const std::string text = encode(message);
    CAPTURE(text);
    const auto decoded = decode_server(text);
    REQUIRE(decoded.ok());
    CHECK(*decoded.message == message);
    CHECK(encode(*decoded.message) == text);
    CHECK(json::parse(text)["type"] == std::string(type_name(message)));
  }
}

TEST_CASE("Encoding is canonical: keys sorted, no whitespace, whatever order the input had") {
  CHECK(encode(client::ChatSend{"hi", "c1"}) == R"({"client_msg_id":"c1","text":"hi","type":"chat:send"})");
  CHECK(encode(client::Ping{}, RequestId{std::int64_t{3}}) == R"({"id":3,"type":"ping"})");
  CHECK(encode(server::Ack{RequestId{"a"}}) == R"({"id":"a","type":"ack"})");
  const auto shuffled = decode_client(R"(  { "text" : "hi", "type":"chat:send",
                                           "client_msg_id": "c1" }  )");
  REQUIRE(shuffled.ok());
  CHECK(encode(*shuffled.message) == R"({"client_msg_id":"c1","text":"hi","type":"chat:send"})");
}

TEST_CASE("Non-ASCII text is written as UTF-8, not as \\u escapes, and escapes decode to the same text") {
  const std::string text = encode(client::ChatSend{"José 👋", "c1"});
  CHECK(text.find("José 👋") != std::string::npos);
  const auto escaped = decode_client(R"({"type":"chat:send","text":"Jos\u00e9 \ud83d\udc4b","client_msg_id":"c1"})");
  REQUIRE(escaped.ok());
  CHECK(std::get<client::ChatSend>(*escaped.message).text == "José 👋");
  CHECK(encode(*escaped.message) == text);
}

TEST_CASE("Encoding writes U+FFFD for invalid UTF-8 built in C++ instead of throwing") {
  const std::string text = encode(client::ChatSend{"bad \xff byte", "c1"});
  const auto decoded = decode_client(text);
  REQUIRE(decoded.ok());
  CHECK(std::get<client::ChatSend>(*decoded.message).text == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("A request id is read as sent, string or number, and kept even when the message fails") {
  const auto [frame, expected] = GENERATE(table<std::string, RequestId>({
      {R"({"type":"ping","id":"req-1"})", RequestId{"req-1"}},
      {R"({"type":"ping","id":17})", RequestId{std::int64_t{17}}},
      {R"({"type":"ping","id":-4})", RequestId{std::int64_t{-4}}},
      {R"({"type":"ping","id":"17"})", RequestId{"17"}},
      {R"({"type":"chat:send","id":"r9","text":""})", RequestId{"r9"}},
      {R"({"type":"no:such-type","id":5})", RequestId{std::int64_t{5}}},
  }));
  CAPTURE(frame);
  const auto decoded = decode_client(frame);
  REQUIRE(decoded.id.has_value());
  CHECK(*decoded.id == expected);
}

TEST_CASE("A failed request turns into an error reply that refers to its id") {
  const auto decoded = decode_client(R"({"type":"chat:send","id":"r9","text":"","client_msg_id":"c1"})");
  REQUIRE_FALSE(decoded.ok());
  const server::ErrorReply reply = error_reply(decoded);
  CHECK(reply.code == ErrorCode::bad_request);
  CHECK(reply.message == "chat:send.text must not be empty");
  CHECK(reply.ref == RequestId{"r9"});
  CHECK(encode(reply) == R"({"code":"bad_request","message":"chat:send.text must not be empty","ref":"r9","type":"error"})");
}

TEST_CASE("The id round-trips through encode for client messages") {
  const ClientMessage message = client::LockRoom{true};
  for (const RequestId& id : {RequestId{"x-1"}, RequestId{std::int64_t{9007199254740993}}}) {
    const auto decoded = decode_client(encode(message, id));
    REQUIRE(decoded.ok());
    CHECK(decoded.id == id);
  }
  CHECK_FALSE(decode_client(encode(message)).id.has_value());
  CHECK_FALSE(decode_client(R"({"type":"ping","id":null})").id.has_value());
}

TEST_CASE("Unknown extra fields are ignored, at the top and inside nested objects") {
  const auto decoded = decode_client(R"({"type":"signal:ice","to":"p1","future":{"x":[1,2]},
      "candidate":{"candidate":"candidate:1 1 udp 1 1.2.3.4 5 typ host","sdp_mid":"0","sdp_mline_index":0,"usernameFragment":"abc"}})");
  REQUIRE(decoded.ok());
  const auto& ice = std::get<client::SignalIce>(*decoded.message);
  CHECK(ice.candidate.sdp_mid == "0");
  CHECK(ice.candidate.sdp_mline_index == 0);
}

TEST_CASE("Optional fields may be absent or null, and empty ones are left out when encoding") {
  const auto absent = decode_client(R"({"type":"room:join","room_code":"Ab3kP9xz"})");
  const auto nulls = decode_client(
      R"({"type":"room:join","room_code":"Ab3kP9xz","password":null,"resume_token":null,"display_name":null})");
  REQUIRE(absent.ok());
  REQUIRE(nulls.ok());
  CHECK(*absent.message == *nulls.message);
  CHECK(encode(*nulls.message) == R"({"room_code":"Ab3kP9xz","type":"room:join"})");
  const auto ice = decode_server(R"({"type":"signal:ice","from":"p1","candidate":{"candidate":"","sdp_mid":null}})");
  REQUIRE(ice.ok());
  CHECK(std::get<server::SignalIce>(*ice.message).candidate == IceCandidate{});
}

TEST_CASE("Display names are stored trimmed") {
  const auto decoded = decode_client(R"({"type":"room:join","room_code":"Ab3kP9xz","display_name":"  Amira \t"})");
  REQUIRE(decoded.ok());
  CHECK(std::get<client::JoinRoom>(*decoded.message).display_name == "Amira");
}

namespace {
// The room:joined of every_server_message(), wherever it sits in the list.
ServerMessage joined_example() {
  for (const ServerMessage& message : every_server_message()) {
    if (std::holds_alternative<server::RoomJoined>(message)) return message;
  }
  FAIL("every_server_message() has no room:joined");
  return {};
}
}  // namespace

TEST_CASE("The room snapshot carries its participants in order, and no chat history") {
  const auto decoded = decode_server(encode(joined_example()));
  REQUIRE(decoded.ok());
  const auto& joined = std::get<server::RoomJoined>(*decoded.message);
  CHECK(joined.self.is_host);
  CHECK(joined.room.max_participants == 10);
  CHECK_FALSE(joined.room.settings.chat);
  REQUIRE(joined.participants.size() == 2);
  CHECK(joined.participants[1].display_name == "José Ñúñez 🎤");
  const json wire = json::parse(encode(joined_example()));
  CHECK(wire["participants"][0]["user_id"] == "u_amira");
  CHECK_FALSE(wire.contains("chat"));  // history follows as chat:message frames
  // A server that still sends the old field is read as before, the field ignored.
  json old = wire;
  old["chat"] = json::array({json::parse(encode(chat_line()))});
  const auto old_decoded = decode_server(old.dump());
  REQUIRE(old_decoded.ok());
  CHECK(*old_decoded.message == joined_example());
}

TEST_CASE("A client frame is not a server frame and the other way round") {
  CHECK(decode_server(encode(client::ChatSend{"hi", "c1"})).error.code == ErrorCode::unknown_type);
  CHECK(decode_client(encode(server::Pong{})).error.code == ErrorCode::unknown_type);
  // signal:offer is both, with `to` one way and `from` the other.
  CHECK(decode_server(encode(client::SignalOffer{"p1", "v=0"})).error.message == "signal:offer.from is required");
}

TEST_CASE("An offer's number and the answer's reference to it survive the trip both ways") {
  const auto offer = decode_client(encode(client::SignalOffer{"p1", "v=0", 7}));
  REQUIRE(offer.ok());
  CHECK(std::get<client::SignalOffer>(*offer.message).offer_id == 7);
  const auto answer = decode_server(encode(server::SignalAnswer{"p1", "v=0", 2147483647}));
  REQUIRE(answer.ok());
  CHECK(std::get<server::SignalAnswer>(*answer.message).offer_id == 2147483647);
  const auto unnumbered = decode_server(R"({"type":"signal:answer","from":"p1","sdp":"v=0"})");
  REQUIRE(unnumbered.ok());
  CHECK_FALSE(std::get<server::SignalAnswer>(*unnumbered.message).offer_id.has_value());
}

TEST_CASE("Every error code has a stable spelling that reads back") {
  const auto [code, spelling] = GENERATE(table<ErrorCode, std::string>({
      {ErrorCode::bad_request, "bad_request"},
      {ErrorCode::unknown_type, "unknown_type"},
      {ErrorCode::too_large, "too_large"},
      {ErrorCode::rate_limited, "rate_limited"},
      {ErrorCode::not_in_room, "not_in_room"},
      {ErrorCode::not_host, "not_host"},
      {ErrorCode::room_not_found, "room_not_found"},
      {ErrorCode::room_full, "room_full"},
      {ErrorCode::room_locked, "room_locked"},
      {ErrorCode::wrong_password, "wrong_password"},
      {ErrorCode::expired, "expired"},
      {ErrorCode::unauthorized, "unauthorized"},
      {ErrorCode::internal, "internal"},
      {ErrorCode::quota_exceeded, "quota_exceeded"},
      {ErrorCode::storage_full, "storage_full"},
      {ErrorCode::kicked, "kicked"},
      {ErrorCode::chat_disabled, "chat_disabled"},
      {ErrorCode::screenshare_disabled, "screenshare_disabled"},
      {ErrorCode::user_offline, "user_offline"},
      {ErrorCode::not_found, "not_found"},
  }));
  CHECK(to_string(code) == spelling);
  CHECK(error_code_from_string(spelling) == code);
  const auto decoded = decode_server(encode(server::ErrorReply{code, "m", std::nullopt}));
  REQUIRE(decoded.ok());
  CHECK(std::get<server::ErrorReply>(*decoded.message).code == code);
}

TEST_CASE("A room's settings outside a message have the shape messages carry them in, and may come in part") {
  RoomSettings settings;
  settings.chat = false;
  const json written = settings_to_json(settings);
  CHECK(written == json{{"video", true}, {"audio", true}, {"screenshare", true}, {"chat", false}, {"record_automatically", false}, {"code_run_hosts_only", false}, {"waiting_room", false}});
  const auto changed = decode_client(json{{"type", "room:settings"}, {"settings", written}}.dump());
  REQUIRE(changed.ok());
  CHECK(std::get<client::ChangeSettings>(*changed.message).settings == settings);

  SECTION("a flag left out or null keeps its value, and unknown ones are ignored") {
    CHECK_FALSE(settings_from_json(json{{"screenshare", false}, {"audio", nullptr}, {"stickers", true}}, settings));
    CHECK(settings_to_json(settings) == json{{"video", true}, {"audio", true}, {"screenshare", false}, {"chat", false}, {"record_automatically", false}, {"code_run_hosts_only", false}, {"waiting_room", false}});
  }
  SECTION("Record automatically is optional: off when left out, kept when given") {
    const auto without = decode_client(R"({"type":"room:settings","settings":{"video":true,"audio":true,"screenshare":true,"chat":true}})");
    REQUIRE(without.ok());
    CHECK_FALSE(std::get<client::ChangeSettings>(*without.message).settings.record_automatically);
    CHECK_FALSE(settings_from_json(json{{"record_automatically", true}}, settings));
    CHECK(settings.record_automatically);
  }
  SECTION("a flag that is not a boolean is refused, naming it, and changes nothing") {
    const auto problem = settings_from_json(json{{"chat", true}, {"video", "yes"}}, settings);
    REQUIRE(problem);
    CHECK(problem->code == ErrorCode::bad_request);
    CHECK(problem->message == "settings.video must be true or false");
    CHECK_FALSE(settings.chat);
  }
  SECTION("so is anything but an object") {
    CHECK(settings_from_json(json::array(), settings));
    CHECK(settings_from_json(json(), settings));
  }
}

TEST_CASE("A ring says whether it is a video call, and one that leaves it out is audio only") {
  CHECK(encode(client::CallRing{"u2", "k1", true}) == R"({"call_id":"k1","to_user_id":"u2","type":"call:ring","video":true})");
  const auto old_ring = decode_client(R"({"type":"call:ring","to_user_id":"u2","call_id":"k1"})");
  REQUIRE(old_ring.ok());
  CHECK_FALSE(std::get<client::CallRing>(*old_ring.message).video);
  CHECK_FALSE(decode_client(R"({"type":"call:ring","to_user_id":"u2","call_id":"k1","video":"yes"})").ok());
  const auto incoming = decode_server(R"({"type":"call:incoming","call_id":"k1","from_user_id":"u1","display_name":"Ana","video":true})");
  REQUIRE(incoming.ok());
  CHECK(std::get<server::CallIncoming>(*incoming.message).video);
}

TEST_CASE("A chat message may have no text only when it carries a file, whose fields follow their rules") {
  server::ChatMessage shared = chat_line();
  shared.text = "";
  shared.file = server::ChatFile{"fA1b2C3", "Week 1 notes.pdf", 5321, "application/pdf", false, 0, 0};
  const auto decoded = decode_server(encode(shared));
  REQUIRE(decoded.ok());
  CHECK(*decoded.message == ServerMessage{shared});

  json without_file = json::parse(encode(shared));
  without_file.erase("file");
  CHECK(decode_server(without_file.dump()).error.message == "chat:message.text must not be empty");
  json bad_name = json::parse(encode(shared));
  bad_name["file"]["name"] = "../secret.pdf";
  CHECK_FALSE(decode_server(bad_name.dump()).ok());
  json bad_type = json::parse(encode(shared));
  bad_type["file"]["content_type"] = "text/html; charset=utf-8";
  CHECK_FALSE(decode_server(bad_type.dump()).ok());
}
