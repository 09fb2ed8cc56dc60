// Every way a frame can be wrong gets the right error code and a message that names the field.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "protocol/codec.h"
#include "protocol/validation.h"

using namespace mehfil::protocol;

namespace {

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

std::string chat(const std::string& text) {
  return R"({"type":"chat:send","client_msg_id":"c1","text":")" + text + R"("})";
}

std::string offer(const std::string& sdp) { return R"({"type":"signal:offer","to":"p1","sdp":")" + sdp + R"("})"; }

std::string join_as(const std::string& name) {
  return R"({"type":"room:join","room_code":"Ab3kP9xz","display_name":")" + name + R"("})";
}

std::string join_code(const std::string& code) { return R"({"type":"room:join","room_code":")" + code + R"("})"; }

// One code point as UTF-8.
std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
  return out;
}

bool refused_in_people_text(char32_t c) {
  return c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

TEST_CASE("Bad client frames are refused with the right code and a message naming the field") {
  const auto [frame, code, message] = GENERATE(table<std::string, ErrorCode, std::string>({
      // The frame itself
      {"", ErrorCode::bad_request, "message is not valid JSON"},
      {"{", ErrorCode::bad_request, "message is not valid JSON"},
      {R"({"type":"ping",})", ErrorCode::bad_request, "message is not valid JSON"},
      {"{\"type\":\"ping\"}\xff", ErrorCode::bad_request, "message is not valid UTF-8"},
      {"{\"type\":\"chat:send\",\"text\":\"a\xc3\",\"client_msg_id\":\"c\"}", ErrorCode::bad_request, "message is not valid UTF-8"},
      {"{\"type\":\"chat:send\",\"text\":\"\xed\xa0\x80\",\"client_msg_id\":\"c\"}", ErrorCode::bad_request, "message is not valid UTF-8"},
      {"{\"type\":\"chat:send\",\"text\":\"\xc0\xaf\",\"client_msg_id\":\"c\"}", ErrorCode::bad_request, "message is not valid UTF-8"},
      {R"({"type":"chat:send","text":"\ud800","client_msg_id":"c"})", ErrorCode::bad_request, "message is not valid JSON"},
      {R"([{"type":"ping"}])", ErrorCode::bad_request, "message must be a JSON object"},
      {R"("ping")", ErrorCode::bad_request, "message must be a JSON object"},
      {"null", ErrorCode::bad_request, "message must be a JSON object"},
      {R"({"type":"ping","x":)" + repeat("[", 40) + repeat("]", 40) + "}", ErrorCode::bad_request, "message nests deeper than 32 levels"},
      {R"({"type":"ping","pad":")" + repeat("x", kMaxClientFrameBytes) + R"("})", ErrorCode::too_large, "the limit is 98304"},
      // The type
      {R"({})", ErrorCode::bad_request, "type is required"},
      {R"({"type":7})", ErrorCode::bad_request, "type must be a string"},
      {R"({"type":"room:dance"})", ErrorCode::unknown_type, "unknown message type \"room:dance\""},
      {R"({"type":"PING"})", ErrorCode::unknown_type, "unknown message type \"PING\""},
      {R"({"type":"pong"})", ErrorCode::unknown_type, "unknown message type \"pong\""},
      // The request id
      {R"({"type":"ping","id":""})", ErrorCode::bad_request, "id must be a string of 1 to 64 characters or a whole number"},
      {R"({"type":"ping","id":")" + repeat("i", 65) + R"("})", ErrorCode::bad_request, "id must be a string of 1 to 64"},
      {R"({"type":"ping","id":1.5})", ErrorCode::bad_request, "id must be a string of 1 to 64"},
      {R"({"type":"ping","id":18446744073709551615})", ErrorCode::bad_request, "id must be a string of 1 to 64"},
      {R"({"type":"ping","id":{}})", ErrorCode::bad_request, "id must be a string of 1 to 64"},
      // room:join
      {R"({"type":"room:join"})", ErrorCode::bad_request, "room:join.room_code is required"},
      {R"({"type":"room:join","room_code":12345678})", ErrorCode::bad_request, "room:join.room_code must be a string"},
      {R"({"type":"room:join","room_code":null})", ErrorCode::bad_request, "room:join.room_code must be a string"},
      {join_code("Ab3kP9x"), ErrorCode::bad_request, "room:join.room_code must be 8 characters from"},
      {join_code("Ab3kP9xzz"), ErrorCode::bad_request, "room:join.room_code must be 8 characters from"},
      {join_code("Ab3kP9x0"), ErrorCode::bad_request, "room:join.room_code must be 8 characters from"},
      {join_code("Ab3kP9xO"), ErrorCode::bad_request, "room:join.room_code must be 8 characters from"},
      {join_code("Ab3kP9x1"), ErrorCode::bad_request, "room:join.room_code must be 8 characters from"},
      {join_code("Ab3kP9xI"), ErrorCode::bad_request, "room:join.room_code must be 8 characters from"},
      {join_code("Ab3kP9xl"), ErrorCode::bad_request, "room:join.room_code must be 8 characters from"},
      {join_code("Ab3kP9x-"), ErrorCode::bad_request, "room:join.room_code must be 8 characters from"},
      {join_as(""), ErrorCode::bad_request, "room:join.display_name must not be blank"},
      {join_as("   \\t "), ErrorCode::bad_request, "room:join.display_name must not be blank"},
      {join_as(repeat("é", 65)), ErrorCode::bad_request, "room:join.display_name must be at most 64 characters"},
      {join_as("Am\\u0000ira"), ErrorCode::bad_request, "room:join.display_name must not contain control or bidi override characters"},
      {join_as("Am\\u0085ira"), ErrorCode::bad_request, "room:join.display_name must not contain control or bidi override characters"},
      {join_as("Amira\\u202egnp.exe"), ErrorCode::bad_request, "room:join.display_name must not contain control or bidi override characters"},
      {R"({"type":"room:join","room_code":"Ab3kP9xz","display_name":5})", ErrorCode::bad_request, "room:join.display_name must be a string"},
      {R"({"type":"room:join","room_code":"Ab3kP9xz","password":""})", ErrorCode::bad_request, "room:join.password must be 1 to 128 characters"},
      {R"({"type":"room:join","room_code":"Ab3kP9xz","resume_token":"has space"})", ErrorCode::bad_request, "room:join.resume_token must be 1 to 2048 bytes of printable ASCII"},
      // host actions and room control
      {R"({"type":"room:host-kick"})", ErrorCode::bad_request, "room:host-kick.target_user_id is required"},
      {R"({"type":"room:host-mute","target_user_id":""})", ErrorCode::bad_request, "room:host-mute.target_user_id must be 1 to 64 characters of A-Z"},
      {R"({"type":"room:host-transfer","target_user_id":"a b"})", ErrorCode::bad_request, "room:host-transfer.target_user_id must be 1 to 64 characters"},
      {R"({"type":"room:make-cohost","target_user_id":")" + repeat("u", 65) + R"("})", ErrorCode::bad_request, "room:make-cohost.target_user_id must be 1 to 64"},
      {R"({"type":"room:host-kick","target_user_id":"ü"})", ErrorCode::bad_request, "room:host-kick.target_user_id must be 1 to 64"},
      {R"({"type":"room:lock","locked":"yes"})", ErrorCode::bad_request, "room:lock.locked must be true or false"},
      {R"({"type":"room:lock","locked":1})", ErrorCode::bad_request, "room:lock.locked must be true or false"},
      {R"({"type":"room:settings"})", ErrorCode::bad_request, "room:settings.settings is required"},
      {R"({"type":"room:settings","settings":[]})", ErrorCode::bad_request, "room:settings.settings must be an object"},
      {R"({"type":"room:settings","settings":{"video":true,"audio":true,"chat":true}})", ErrorCode::bad_request, "room:settings.settings.screenshare is required"},
      {R"({"type":"media:state","audio":true,"video":false})", ErrorCode::bad_request, "media:state.screen is required"},
      // signaling
      {R"({"type":"signal:offer","sdp":"v=0"})", ErrorCode::bad_request, "signal:offer.to is required"},
      {offer(""), ErrorCode::bad_request, "signal:offer.sdp must not be empty"},
      {offer(repeat("a", kMaxSdpBytes + 1)), ErrorCode::too_large, "signal:offer.sdp must be at most 65536 bytes"},
      {R"({"type":"signal:answer","to":"p1","sdp":{}})", ErrorCode::bad_request, "signal:answer.sdp must be a string"},
      {R"({"type":"signal:answer","to":"p1","sdp":"v=0","offer_id":0})", ErrorCode::bad_request, "signal:answer.offer_id must be a whole number from 1 to 2147483647"},
      {R"({"type":"signal:offer","to":"p1","sdp":"v=0","offer_id":"1"})", ErrorCode::bad_request, "signal:offer.offer_id must be a whole number"},
      {R"({"type":"signal:ice","to":"p1"})", ErrorCode::bad_request, "signal:ice.candidate is required"},
      {R"({"type":"signal:ice","to":"p1","candidate":"candidate:1"})", ErrorCode::bad_request, "signal:ice.candidate must be an object"},
      {R"({"type":"signal:ice","to":"p1","candidate":{}})", ErrorCode::bad_request, "signal:ice.candidate.candidate is required"},
      {R"({"type":"signal:ice","to":"p1","candidate":{"candidate":")" + repeat("c", 1025) + R"("}})", ErrorCode::too_large, "signal:ice.candidate.candidate must be at most 1024 bytes"},
      {R"({"type":"signal:ice","to":"p1","candidate":{"candidate":"","sdp_mline_index":-1}})", ErrorCode::bad_request, "signal:ice.candidate.sdp_mline_index must be a whole number from 0 to 65535"},
      {R"({"type":"signal:ice","to":"p1","candidate":{"candidate":"","sdp_mline_index":0.5}})", ErrorCode::bad_request, "signal:ice.candidate.sdp_mline_index must be a whole number"},
      {R"({"type":"signal:ice","to":"p1","candidate":{"candidate":"","sdp_mline_index":65536}})", ErrorCode::bad_request, "signal:ice.candidate.sdp_mline_index must be a whole number"},
      {R"({"type":"signal:ice","to":"p1","candidate":{"candidate":"","sdp_mid":")" + repeat("m", 65) + R"("}})", ErrorCode::bad_request, "signal:ice.candidate.sdp_mid must be at most 64 bytes"},
      // chat
      {chat(""), ErrorCode::bad_request, "chat:send.text must not be empty"},
      {chat(repeat("ş", 4001)), ErrorCode::bad_request, "chat:send.text must be at most 4000 characters"},
      {chat(repeat("x", 4001)), ErrorCode::bad_request, "chat:send.text must be at most 4000 characters"},
      {chat(repeat("\\u0001", 4000)), ErrorCode::bad_request, "chat:send.text must not contain control or bidi override characters"},
      {chat("shalom \\u2067abc\\u2069"), ErrorCode::bad_request, "chat:send.text must not contain control or bidi override characters"},
      {R"({"type":"chat:send","text":"hi"})", ErrorCode::bad_request, "chat:send.client_msg_id is required"},
      {R"({"type":"chat:send","text":["hi"],"client_msg_id":"c1"})", ErrorCode::bad_request, "chat:send.text must be a string"},
      // whiteboard
      {R"({"type":"wb:ops"})", ErrorCode::bad_request, "wb:ops.ops is required"},
      {R"({"type":"wb:ops","ops":{}})", ErrorCode::bad_request, "wb:ops.ops must be an array"},
      {R"({"type":"wb:ops","ops":[{},7]})", ErrorCode::bad_request, "wb:ops.ops[1] must be an object"},
      {R"({"type":"wb:ops","ops":[)" + repeat("{},", 256) + "{}]}", ErrorCode::too_large, "wb:ops.ops must hold at most 256 items"},
      // the code editor
      {R"({"type":"code:update"})", ErrorCode::bad_request, "code:update.update is required"},
      {R"({"type":"code:update","update":""})", ErrorCode::bad_request, "code:update.update must be base64"},
      {R"({"type":"code:update","update":"AQID-A=="})", ErrorCode::bad_request, "code:update.update must be base64"},
      {R"({"type":"code:update","update":"AQIDB"})", ErrorCode::bad_request, "code:update.update must be base64"},
      {R"({"type":"code:update","update":"<img src=x onerror=alert(1)>"})", ErrorCode::bad_request, "code:update.update must be base64"},
      {R"({"type":"code:update","update":")" + repeat("AAAA", kMaxCodeUpdateChars / 4 + 1) + R"("})", ErrorCode::too_large, "code:update.update must be at most 60000 characters"},
      {R"({"type":"code:update","update":[1,2]})", ErrorCode::bad_request, "code:update.update must be a string"},
      {R"({"type":"code:cursor","state":")" + repeat("AAAA", 1025) + R"("})", ErrorCode::too_large, "code:cursor.state must be at most 4096 characters"},
      {R"({"type":"code:run","file":"../etc/passwd","language":"python"})", ErrorCode::bad_request, "code:run.file must not contain /"},
      {R"({"type":"code:run","file":"a\\b.py","language":"python"})", ErrorCode::bad_request, "code:run.file must not contain /"},
      {R"({"type":"code:run","file":"..","language":"python"})", ErrorCode::bad_request, "code:run.file must name a file"},
      {R"({"type":"code:run","file":"main\u0007.py","language":"python"})", ErrorCode::bad_request, "code:run.file must not contain control"},
      {R"({"type":"code:run","file":" main.py","language":"python"})", ErrorCode::bad_request, "code:run.file must not start or end with a space"},
      {R"({"type":"code:run","file":")" + repeat("a", 65) + R"(","language":"python"})", ErrorCode::bad_request, "code:run.file must be 1 to 64 characters"},
      {R"({"type":"code:output","run_id":"r1","status":"ok","output":[{"stream":"stdout","text":")" + repeat("x", 16001) + R"("}],"duration_ms":1})", ErrorCode::too_large, "code:output.output[0].text must be at most 16000 characters"},
      {R"({"type":"code:output","run_id":"r1","status":"ok","output":[{"stream":"stdout","text":"\u001b[31m"}],"duration_ms":1})", ErrorCode::bad_request, "code:output.output[0].text must not contain control"},
      {R"({"type":"code:output","run_id":"r1","status":"ok","output":[],"duration_ms":-1})", ErrorCode::bad_request, "code:output.duration_ms must be a whole number from 0"},
      // calls
      {R"({"type":"call:ring","to_user_id":"u1"})", ErrorCode::bad_request, "call:ring.call_id is required"},
      {R"({"type":"call:accept","call_id":"c/1"})", ErrorCode::bad_request, "call:accept.call_id must be 1 to 64 characters"},
      {R"({"type":"call:cancel","call_id":true})", ErrorCode::bad_request, "call:cancel.call_id must be a string"},
  }));
  CAPTURE(frame.substr(0, 200));
  const auto decoded = decode_client(frame);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error.code == code);
  CHECK_THAT(decoded.error.message, Catch::StartsWith(message) || Catch::Contains(message));
}

TEST_CASE("Bad server frames are refused with the right code and a message naming the field") {
  const auto [frame, code, message] = GENERATE(table<std::string, ErrorCode, std::string>({
      {R"({"type":"hello","protocol_version":0,"server_time":1})", ErrorCode::bad_request, "hello.protocol_version must be a whole number from 1 to 65535"},
      {R"({"type":"hello","protocol_version":1,"server_time":-1})", ErrorCode::bad_request, "hello.server_time must be a whole number from 0"},
      {R"({"type":"hello","protocol_version":1,"server_time":1})", ErrorCode::bad_request, "hello.ice_servers is required"},
      {R"({"type":"hello","protocol_version":1,"server_time":1,"ice_servers":[{"urls":"http://x"}]})", ErrorCode::bad_request, "hello.ice_servers[0].urls must be a stun:, turn: or turns: URL with a host, at most 512 bytes without spaces"},
      {R"({"type":"hello","protocol_version":1,"server_time":1,"ice_servers":[{"urls":"turn:"}]})", ErrorCode::bad_request, "hello.ice_servers[0].urls must be a stun:, turn: or turns: URL with a host, at most 512 bytes without spaces"},
      {R"({"type":"hello","protocol_version":1,"server_time":1,"ice_servers":[{"urls":"turn:x","username":""}]})", ErrorCode::bad_request, "hello.ice_servers[0].username must be 1 to 512 bytes of printable ASCII"},
      {R"({"type":"ack"})", ErrorCode::bad_request, "ack.id is required"},
      {R"({"type":"room:host-action","action":"ban","target_user_id":"u1","by":"u2"})", ErrorCode::bad_request, "room:host-action.action must be \"mute\" or \"kick\""},
      {R"({"type":"error","code":"oops","message":"m"})", ErrorCode::bad_request, "error.code must be a known error code"},
      {R"({"type":"room:participant-left","room_code":"Ab3kP9xz","user_id":"u","peer_id":"p","participant_count":1001})", ErrorCode::bad_request, "room:participant-left.participant_count must be a whole number from 0 to 1000"},
      {R"({"type":"room:joined","self":{"user_id":"u","peer_id":"p","display_name":"A","is_host":true},
           "room":{"room_code":"Ab3kP9xz","room_name":"","host_user_id":"u","max_participants":10,"is_locked":false,
                   "settings":{"video":true,"audio":true,"screenshare":true,"chat":true}},
           "participants":[{"user_id":"u","peer_id":"p","display_name":"A","is_host":true,"is_cohost":false,"audio":true,"video":true,"screen":false},
                           {"user_id":"bad id","peer_id":"p","display_name":"B","is_host":false,"is_cohost":false,"audio":true,"video":true,"screen":false}],
           "resume_token":"t"})", ErrorCode::bad_request, "room:joined.participants[1].user_id must be 1 to 64 characters"},
      {R"({"type":"room:joined","self":{"user_id":"u","peer_id":"p","display_name":"A","is_host":true},
           "room":{"room_code":"Ab3kP9xz","room_name":"","host_user_id":"u","max_participants":0,"is_locked":false,
                   "settings":{"video":true,"audio":true,"screenshare":true,"chat":true}},
           "participants":[],"resume_token":"t"})", ErrorCode::bad_request, "room:joined.room.max_participants must be a whole number from 1 to 1000"},
      {R"({"type":"room:joined","self":{"user_id":"u","peer_id":"p","display_name":"A","is_host":true},
           "room":{"room_code":"Ab3kP9xz","room_name":"","host_user_id":"u","max_participants":10,"is_locked":false,
                   "settings":{"video":true,"audio":true,"screenshare":true,"chat":true}},
           "participants":[7],"resume_token":"t"})", ErrorCode::bad_request, "room:joined.participants[0] must be an object"},
      {R"({"type":"chat:message","id":"m1","from_user_id":"u","display_name":"A","text":"hi","sent_at":1.5,"client_msg_id":"c"})", ErrorCode::bad_request, "chat:message.sent_at must be a whole number"},
      {R"({"type":"room:closed","room_code":"Ab3kP9xz"})", ErrorCode::bad_request, "room:closed.reason is required"},
      {R"({"type":"chat:send","text":"hi","client_msg_id":"c"})", ErrorCode::unknown_type, "unknown message type \"chat:send\""},
  }));
  CAPTURE(frame);
  const auto decoded = decode_server(frame);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error.code == code);
  CHECK_THAT(decoded.error.message, Catch::Contains(message));
}

TEST_CASE("Limits hold exactly at their edges") {
  CHECK(decode_client(chat(repeat("ş", 4000))).ok());
  CHECK(decode_client(chat(repeat("👋", 4000))).ok());
  CHECK(decode_client(join_as(repeat("é", 64))).ok());
  CHECK(decode_client(join_as("  " + repeat("a", 64) + "  ")).ok());
  CHECK(decode_client(offer(repeat("a", kMaxSdpBytes))).ok());
  CHECK(decode_client(R"({"type":"ping","id":")" + repeat("ı", 64) + R"("})").ok());
  CHECK(decode_client(R"({"type":"wb:ops","ops":[)" + repeat("{},", 255) + "{}]}").ok());
  CHECK(decode_client(R"({"type":"ping","x":)" + repeat("[", 31) + repeat("]", 31) + "}").ok());
  // Brackets inside strings are text, not nesting.
  CHECK(decode_client(R"({"type":"ping","x":")" + repeat("[{", 100) + R"(\"[[["})").ok());
}

TEST_CASE("Room codes use the alphabet without look-alikes") {
  CHECK(kRoomCodeAlphabet.size() == 57);  // 24 capitals, 25 small letters, 8 digits
  for (const char c : std::string_view("0O1Il")) CHECK(kRoomCodeAlphabet.find(c) == std::string_view::npos);
  CHECK(is_room_code("ABCDEFGH"));
  CHECK(is_room_code("zz23456Y"));
  CHECK_FALSE(is_room_code("ABCDEFG"));
  CHECK_FALSE(is_room_code("ABCDEFGl"));
  CHECK_FALSE(is_room_code(std::string_view("ABCDEFG\0", 8)));
}

TEST_CASE("UTF-8 lengths count code points and refuse malformed sequences") {
  const auto [text, length] = GENERATE(table<std::string, int>({
      {"", 0},
      {"abc", 3},
      {"José", 4},
      {"日本語", 3},
      {"👋🏽", 2},
      {"a long ascii run that is longer than eight", 42},
      {"\xff", -1},
      {"\xc3", -1},              // truncated
      {"\xc0\x80", -1},          // overlong NUL
      {"\xe0\x80\xaf", -1},      // overlong '/'
      {"\xed\xa0\x80", -1},      // surrogate
      {"\xf4\x90\x80\x80", -1},  // past U+10FFFF
      {"ok\x80", -1},            // stray continuation
      {"\xf0\x9f\x91", -1},      // cut short
  }));
  CAPTURE(text);
  if (length < 0) {
    CHECK_FALSE(utf8_length(text).has_value());
    CHECK_FALSE(is_valid_utf8(text));
  } else {
    CHECK(utf8_length(text) == static_cast<std::size_t>(length));
  }
}

TEST_CASE("Ids are 1 to 64 characters of letters, digits, underscore and dash") {
  CHECK(is_id("u_1-A"));
  CHECK(is_id(repeat("a", 64)));
  CHECK_FALSE(is_id(""));
  CHECK_FALSE(is_id(repeat("a", 65)));
  CHECK_FALSE(is_id("a.b"));
  CHECK_FALSE(is_id("a b"));
  CHECK(trim_whitespace(" \t x y \r\n") == "x y");
}

TEST_CASE("Names and chat refuse control and bidi override characters, chat keeps tabs and line breaks") {
  constexpr auto name = TextRule::display_name;
  constexpr auto room = TextRule::room_name;
  constexpr auto text = TextRule::chat_text;
  const auto [rule, value, accepted] = GENERATE_COPY(table<TextRule, std::string, bool>({
      // C0 controls U+0000..U+001F, and the space just past them
      {name, "Am" + utf8(0x00) + "ira", false},
      {name, "Am" + utf8(0x1f) + "ira", false},
      {name, "Am" + utf8(0x20) + "ira", true},
      {room, "Friday" + utf8(0x00), false},
      {room, "Friday" + utf8(0x1f), false},
      {text, "hi" + utf8(0x00), false},
      {text, "hi" + utf8(0x1f), false},
      {text, "hi" + utf8(0x08) + "!", false},  // backspace
      // DEL U+007F, between '~' and the C1 block
      {name, "Am~ira", true},
      {name, "Am" + utf8(0x7f) + "ira", false},
      {room, "Friday" + utf8(0x7f), false},
      {text, "hi" + utf8(0x7f), false},
      // C1 controls U+0080..U+009F, and U+00A0 (no-break space) just past them
      {name, "Am" + utf8(0x80) + "ira", false},
      {name, "Am" + utf8(0x9f) + "ira", false},
      {name, "Am" + utf8(0xa0) + "ira", true},
      {room, "Friday" + utf8(0x85), false},
      {text, "hi" + utf8(0x80), false},
      {text, "hi" + utf8(0x9f), false},
      // bidi embeddings and overrides U+202A..U+202E, between U+2029 and U+202F
      {name, "Am" + utf8(0x2029) + "ira", true},
      {name, "Am" + utf8(0x202a) + "ira", false},
      {name, "Amira" + utf8(0x202e) + "gnp.exe", false},
      {name, "Am" + utf8(0x202f) + "ira", true},
      {room, utf8(0x202e) + "Friday", false},
      {text, "look " + utf8(0x202a) + "here", false},
      {text, "look " + utf8(0x202e) + "here", false},
      // bidi isolates U+2066..U+2069, between U+2065 and U+206A
      {name, "Am" + utf8(0x2065) + "ira", true},
      {name, "Am" + utf8(0x2066) + "ira", false},
      {name, "Am" + utf8(0x2069) + "ira", false},
      {name, "Am" + utf8(0x206a) + "ira", true},
      {room, "Friday" + utf8(0x2067), false},
      {text, "a" + utf8(0x2066) + "b" + utf8(0x2069), false},
      // tab and line breaks: chat keeps them, names refuse them inside (the ends are trimmed)
      {text, "line one\nline two", true},
      {text, "name:\tAmira", true},
      {text, "\n\n", true},
      {text, "windows\r\nline", true},
      {text, "ends in crlf\r\n", true},
      {text, "lone\rcarriage return", false},
      {text, "ends in cr\r", false},
      {text, "cr before cr\r\r\n", false},
      {text, "vertical\vtab", false},
      {text, "form\ffeed", false},
      {name, "Am\nira", false},
      {name, "Am\tira", false},
      {name, "  Amira\n", true},
      {room, "Friday\nstandup", false},
      {room, "Friday\tstandup", false},
      // what people actually write still goes through
      {name, "José Ñúñez 🎤", true},
      {name, "👩‍👩‍👧 family", true},  // zero-width joiners
      {name, "أميرة", true},
      {name, "שרה כהן", true},
      {name, "Sara " + utf8(0x200f) + "שרה", true},  // right-to-left mark
      {room, "اجتماع يوم الجمعة", true},
      {room, "ישיבת צוות", true},
      {room, "", true},
      {text, "السلام عليكم! كيف حالكم؟ 👋🏽", true},
      {text, "שלום לכולם, מה שלומכם?", true},
      {text, "mixed: hello مرحبا שלום 123", true},
      {text, "🎉🎉🎉", true},
  }));
  CAPTURE(value, static_cast<int>(rule));
  CHECK(check_text(rule, value).has_value() == !accepted);
  if (!accepted) {
    REQUIRE(check_text(rule, value));
    CHECK(check_text(rule, value)->code == ErrorCode::bad_request);
    CHECK(check_text(rule, value)->what == "must not contain control or bidi override characters");
  }
}

TEST_CASE("Exactly the listed code points are refused, everywhere in the first 0x3000") {
  for (char32_t c = 0; c < 0x3000; ++c) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const std::string inside = "a" + utf8(c) + "b";
    CAPTURE(static_cast<std::uint32_t>(c));
    const bool refused = refused_in_people_text(c);
    CHECK(check_text(TextRule::display_name, inside).has_value() == refused);
    CHECK(check_text(TextRule::room_name, inside).has_value() == refused);
    CHECK(check_text(TextRule::chat_text, inside).has_value() == (refused && c != '\t' && c != '\n'));
  }
}

TEST_CASE("A chat line of 4000 control characters is refused, so 50 of them cannot bloat anything") {
  const auto decoded = decode_client(chat(repeat("\\u0001", 4000)));
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error.message == "chat:send.text must not contain control or bidi override characters");
  // The worst that is still allowed escapes to two bytes a character, not six.
  const std::string quotes = encode(client::ChatSend{repeat("\"", 4000), "c1"});
  CHECK(decode_client(quotes).ok());
  CHECK(quotes.size() < 8100);
}
