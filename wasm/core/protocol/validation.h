// The protocol's limits and the rules every string field follows, in one place.
//
// The codec (codec.h) applies these while decoding; the UI and the server call them directly, so a
// name the join form accepts is exactly a name the server accepts. Lengths the user sees (display
// names, chat text) count Unicode code points, not bytes, so "José" is 4 characters in every
// language; lengths that exist to bound memory (SDP, ICE candidates, frames) count bytes.
//
// Text people show to each other (display names, room names, chat) refuses the characters that are
// invisible or that rearrange what is around them: C0 controls U+0000..U+001F, DEL U+007F, C1
// controls U+0080..U+009F, and the bidi embeddings, overrides and isolates U+202A..U+202E and
// U+2066..U+2069 (after U+202E, "gnp.exe" shows as "exe.png"). Controls are also what JSON escapes
// six bytes wide: a chat line of 4000 \u0001 took 24 KB on the wire.
// Chat keeps its line breaks and tabs: U+0009 and U+000A are allowed there, and so is U+000D when
// it starts a CRLF (what non-browser clients send for a line break); a lone CR is refused, as it
// rewinds a line in logs and terminals. Arabic and Hebrew text needs none of the refused
// characters (the bidi algorithm orders it by itself), and the marks U+200E/U+200F are allowed.
//
// Nothing here allocates or throws.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "protocol/errors.h"

namespace mehfil::protocol {

// Sent in `hello`; bumped when a message changes incompatibly.
inline constexpr int kProtocolVersion = 1;

// Whole frames. A client frame fits the largest SDP (64 KiB) with room for JSON escaping of its
// line breaks; a server frame also carries room:joined with up to kMaxRoomSize participants.
inline constexpr std::size_t kMaxClientFrameBytes = 96 * 1024;
inline constexpr std::size_t kMaxServerFrameBytes = 4 * 1024 * 1024;
// Arrays and objects inside arrays and objects; our own messages need 4, whiteboard ops the rest.
// Bounding it keeps every recursive walk of a parsed value (copy, compare, dump) shallow.
inline constexpr std::size_t kMaxNesting = 32;

inline constexpr std::size_t kMaxSdpBytes = 64 * 1024;
inline constexpr std::size_t kMaxCandidateBytes = 1024;
inline constexpr std::size_t kMaxSdpMidBytes = 64;
inline constexpr std::size_t kMaxIceUrlBytes = 512;
inline constexpr std::size_t kMaxIceServers = 16;
inline constexpr std::size_t kMaxIdChars = 64;         // user, peer, call, chat message ids
inline constexpr std::size_t kMaxRequestIdChars = 64;  // a request's "id" when it is a string
inline constexpr std::size_t kMaxDisplayNameChars = 64;
inline constexpr std::size_t kMaxChatTextChars = 4000;
inline constexpr std::size_t kMaxPasswordChars = 128;
inline constexpr std::size_t kMaxResumeTokenBytes = 2048;
inline constexpr std::size_t kMaxRoomNameChars = 128;
inline constexpr std::size_t kMaxErrorMessageChars = 1024;
inline constexpr std::size_t kMaxWhiteboardOps = 256;  // per wb:ops message
inline constexpr std::size_t kMaxRoomSize = 1000;      // participant counts and lists
inline constexpr std::size_t kMaxInvitees = 50;        // friends named in one room:invite
// A code editor update (code:update) is a Yjs update in base64: up to 60000 characters (45000
// bytes), so a frame holding one stays under the server's 64 KiB WebSocket message. A bigger paste
// goes out as several.
inline constexpr std::size_t kMaxCodeUpdateChars = 60000;
inline constexpr std::size_t kMaxCodeCursorChars = 4096;  // a code:cursor (Yjs awareness) in base64
inline constexpr std::size_t kMaxCodeUpdatesPerFrame = 512;  // a joiner's history page
// A compacted state (authority/code_rules.h) in a joiner's history: one update, alone in its page,
// in base64; the server frame (4 MiB) holds it.
inline constexpr std::size_t kMaxCodeStateChars = 3 * 1024 * 1024;
// A file in the code editor is named like a file on a disk, without the parts that make it a path.
inline constexpr std::size_t kMaxFileNameChars = 64;
inline constexpr std::size_t kMaxUploadNameChars = 200;  // a chat file's name
// What one run of the room's code may show everyone (code:output): at most this many characters
// over at most kMaxRunOutputChunks pieces (stdout and stderr as they interleaved).
inline constexpr std::size_t kMaxRunOutputChars = 16000;
inline constexpr std::size_t kMaxRunOutputChunks = 256;

// The reactions a room:reaction may carry, as the picker shows them: 👍 ❤️ 😂 👏 🎉 😮.
// Why someone is reported (room:report): the words the report dialog offers.
inline constexpr std::array<std::string_view, 5> kReportReasons = {"harassment", "hate", "sexual", "spam", "other"};
inline constexpr std::size_t kMaxReportNoteChars = 500;
inline constexpr std::array<std::string_view, 6> kReactions = {"\U0001F44D", "\u2764\uFE0F", "\U0001F602",
                                                               "\U0001F44F", "\U0001F389", "\U0001F62E"};

// Room codes: 8 characters from an alphabet without the look-alikes 0, O, 1, I and l, so a code
// read aloud or copied by hand still works.
inline constexpr std::size_t kRoomCodeLength = 8;
inline constexpr std::string_view kRoomCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

// Code points in `text`, or nothing when it is not valid UTF-8 (overlong forms, surrogates and
// values past U+10FFFF are invalid).
std::optional<std::size_t> utf8_length(std::string_view text);
bool is_valid_utf8(std::string_view text);

bool is_room_code(std::string_view text);
// User, peer, call and chat message ids: 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'.
bool is_id(std::string_view text);
// `text` without leading and trailing ASCII whitespace.
std::string_view trim_whitespace(std::string_view text);

// The rule a string field follows; the codec names one for every string it reads.
enum class TextRule {
  id,             // is_id
  room_code,      // is_room_code
  display_name,   // 1..64 code points after trimming, no control or bidi override characters
  chat_text,      // 1..4000 code points, no control or bidi override characters but tab and line breaks
  chat_caption,   // chat_text, or empty: a message that carries a file
  sdp,            // 1..64 KiB
  candidate,      // 0..1 KiB (empty means end of candidates)
  sdp_mid,        // 0..64 bytes
  password,       // 1..128 code points
  resume_token,   // 1..2048 bytes of printable ASCII
  room_name,      // 0..128 code points, no control or bidi override characters
  error_message,  // 0..1024 code points
  request_id,     // 1..64 code points
  ice_url,        // stun:, turn: or turns: then a host, 1..512 bytes of printable ASCII
  ice_secret,     // a TURN username or credential: 1..512 bytes of printable ASCII
  code_update,    // base64 (A-Z a-z 0-9 + / and = padding, length a multiple of 4), 4..kMaxCodeUpdateChars
  code_cursor,    // the same alphabet, 4..kMaxCodeCursorChars
  code_state,     // the same alphabet, 4..kMaxCodeStateChars: a stored update in a joiner's history
  file_name,      // 1..64 code points, not blank, not "." or "..", none of / \\ : * ? " < > |, no
                  // control or bidi override characters, no whitespace at either end
  content_type,   // a media type as served: 3..127 bytes of a-z 0-9 and . + - /, one /
  upload_name,    // a chat file's name: as file_name, but 1..kMaxUploadNameChars code points
  program_output, // 0..kMaxRunOutputChars code points, no control or bidi override characters but
                  // tab and line breaks (a program's stdout or stderr, shown as text)
  reaction,       // one of kReactions, exactly
  report_reason,  // one of kReportReasons, exactly
  report_note,    // 0..kMaxReportNoteChars code points, no control or bidi override characters but line breaks
};

struct TextProblem {
  ErrorCode code = ErrorCode::bad_request;  // too_large for the bulk fields (sdp, candidate)
  std::string_view what;                     // "must be at most 4000 characters", read after the field's name
};

// What is wrong with `text` under `rule`, or nothing. Display names are checked as they will be
// stored, that is after trim_whitespace.
std::optional<TextProblem> check_text(TextRule rule, std::string_view text);

}  // namespace mehfil::protocol
