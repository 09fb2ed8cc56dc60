// Error codes of the signaling protocol, and the Error value the codec returns instead of throwing.
//
// The codes are part of the wire format (`error {code, message, ref}`): clients switch on them, so
// their spellings never change once shipped. New codes go at the end. The wasm build runs without
// C++ exceptions, so every failure in protocol/ is a value of this type.
//
// Which code the codec itself gives:
//   bad_request   not JSON, not UTF-8, not an object, nested too deep, a field missing or of the
//                 wrong type, an id, room code, name or text that breaks its rule
//   unknown_type  a well-formed message whose "type" the receiver does not know
//   too_large     the frame is over its size limit, or a field that exists to carry bulk (sdp,
//                 candidate, wb:ops.ops) is over its own limit
//   quota_exceeded, storage_full, internal  the server could not, or would not, keep what was sent
// The other codes are decisions the server makes (who may do what) and are only carried here; each
// says what happened (`kicked`, not `unauthorized`), so a client can tell the person exactly that.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mehfil::protocol {

enum class ErrorCode {
  bad_request,
  unknown_type,
  too_large,
  rate_limited,
  not_in_room,
  not_host,
  room_not_found,
  room_full,
  room_locked,
  wrong_password,
  expired,
  unauthorized,
  internal,
  quota_exceeded,  // a room's or a user's storage quota is used up
  storage_full,    // the server could not store it (disk full); nothing was kept
  kicked,          // the host removed this user from the room; they may not come back
  chat_disabled,   // the room's chat is turned off
  screenshare_disabled,  // the room's screen sharing is turned off, and this member is no host
  user_offline,    // the person rung has no socket open
  not_found,       // no such call, friend request or other thing named by id
  not_invited,     // the room is a 1:1 call between two other people
  not_friends,     // room:invite named someone who is not the sender's friend
  bad_offset,      // a recording chunk does not start where its segment ends (the answer says where)
  recording_stopped,  // a chunk for a recording (or segment) that is finished
  not_member,      // the room's recordings are for the people who were in it
  not_recorder,    // only the browser recording the room uploads to its recording
  run_hosts_only,  // the room lets only its host and co-hosts run code
  run_in_progress, // someone's code is running in the room: one run at a time
  run_unsupported, // code:run for a language that does not run here (JavaScript and Python do)
  invalid_credentials,  // login: that email and password do not match an account (which is wrong is not said)
  email_taken,      // register: an account already has that email address
  weak_password,    // register or reset: too short, too long, or one of the passwords everyone tries
  session_revoked,  // the account's session was logged out (here or from another device); sign in again
  invalid_link,     // an email link (verification, password reset) that is unknown, used or out of date
  meeting_not_open, // a booked meeting's room before its window opens (retry_after says when it does)
  account_required, // a guest asked for what only an account has (a profile's name and picture)
  bad_image,        // an avatar upload that is not a PNG, JPEG, WebP or GIF we could read
  knock_denied,     // the room's host (or a co-host) did not let this knocker in from the waiting room
  waiting_room_full,  // too many people are waiting to be let in already
  file_type_not_allowed,  // a chat file of a type the server does not take (a program, a web page, or a group it leaves out)
  file_type_mismatch,     // a chat file whose bytes are not the type it claims (a PNG named .pdf)
  not_reportable,         // a report about someone who is not in the room (or about oneself)
  not_admin,              // /api/admin without an operator's admin key
};

// "bad_request", "unknown_type", ... exactly as on the wire.
std::string_view to_string(ErrorCode code);
// The code with this spelling, or nothing for a spelling this build does not know.
std::optional<ErrorCode> error_code_from_string(std::string_view spelling);

struct Error {
  ErrorCode code = ErrorCode::bad_request;
  std::string message;  // names the field: "chat:send.text must be at most 4000 characters"

  friend bool operator==(const Error&, const Error&) = default;
};

}  // namespace mehfil::protocol
