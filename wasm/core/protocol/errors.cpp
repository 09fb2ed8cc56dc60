// Spellings of the protocol's error codes (errors.h); the table is the only place they are written.
#include "protocol/errors.h"

#include <utility>

namespace mehfil::protocol {
namespace {

constexpr std::pair<ErrorCode, std::string_view> kSpellings[] = {
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
    {ErrorCode::not_invited, "not_invited"},
    {ErrorCode::not_friends, "not_friends"},
    {ErrorCode::bad_offset, "bad_offset"},
    {ErrorCode::recording_stopped, "recording_stopped"},
    {ErrorCode::not_member, "not_member"},
    {ErrorCode::not_recorder, "not_recorder"},
    {ErrorCode::run_hosts_only, "run_hosts_only"},
    {ErrorCode::run_in_progress, "run_in_progress"},
    {ErrorCode::run_unsupported, "run_unsupported"},
    {ErrorCode::invalid_credentials, "invalid_credentials"},
    {ErrorCode::email_taken, "email_taken"},
    {ErrorCode::weak_password, "weak_password"},
    {ErrorCode::session_revoked, "session_revoked"},
    {ErrorCode::invalid_link, "invalid_link"},
    {ErrorCode::meeting_not_open, "meeting_not_open"},
    {ErrorCode::account_required, "account_required"},
    {ErrorCode::bad_image, "bad_image"},
    {ErrorCode::knock_denied, "knock_denied"},
    {ErrorCode::waiting_room_full, "waiting_room_full"},
    {ErrorCode::file_type_not_allowed, "file_type_not_allowed"},
    {ErrorCode::file_type_mismatch, "file_type_mismatch"},
    {ErrorCode::not_reportable, "not_reportable"},
    {ErrorCode::not_admin, "not_admin"},
};

}  // namespace

std::string_view to_string(ErrorCode code) {
  for (const auto& [value, spelling] : kSpellings) {
    if (value == code) return spelling;
  }
  return "internal";
}

std::optional<ErrorCode> error_code_from_string(std::string_view spelling) {
  for (const auto& [value, text] : kSpellings) {
    if (text == spelling) return value;
  }
  return std::nullopt;
}

}  // namespace mehfil::protocol
