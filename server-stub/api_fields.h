// What every REST route uses to read a request and answer it (api_routes.cpp, auth_routes.cpp,
// profile_routes.cpp): the error body, the JSON body, query parameters, typed optional fields and the
// core's text rules.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "protocol/errors.h"
#include "protocol/validation.h"
#include "room_hub.h"

namespace mehfil::server::api {

using nlohmann::json;
using protocol::ErrorCode;

// The one place a refusal's code gets its HTTP status.
constexpr unsigned http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request:
    case ErrorCode::unknown_type:
    case ErrorCode::run_unsupported:
    case ErrorCode::weak_password:
    case ErrorCode::invalid_link:
    case ErrorCode::bad_image:
    case ErrorCode::not_reportable: return 400;
    case ErrorCode::invalid_credentials:
    case ErrorCode::session_revoked: return 401;
    case ErrorCode::too_large: return 413;
    case ErrorCode::file_type_not_allowed:
    case ErrorCode::file_type_mismatch: return 415;
    case ErrorCode::rate_limited:
    case ErrorCode::quota_exceeded: return 429;
    case ErrorCode::not_in_room:
    case ErrorCode::room_full:
    case ErrorCode::waiting_room_full:
    case ErrorCode::room_locked:
    case ErrorCode::bad_offset:
    case ErrorCode::recording_stopped:
    case ErrorCode::run_in_progress:
    case ErrorCode::email_taken:
    case ErrorCode::meeting_not_open: return 409;
    case ErrorCode::not_host:
    case ErrorCode::wrong_password:
    case ErrorCode::unauthorized:
    case ErrorCode::kicked:
    case ErrorCode::knock_denied:
    case ErrorCode::chat_disabled:
    case ErrorCode::screenshare_disabled:
    case ErrorCode::not_invited:
    case ErrorCode::not_friends:
    case ErrorCode::not_member:
    case ErrorCode::not_recorder:
    case ErrorCode::run_hosts_only:
    case ErrorCode::account_required:
    case ErrorCode::not_admin: return 403;
    case ErrorCode::room_not_found:
    case ErrorCode::not_found:
    case ErrorCode::user_offline: return 404;
    case ErrorCode::expired: return 410;
    case ErrorCode::storage_full: return 507;
    case ErrorCode::internal: return 500;
  }
  return 400;
}

inline ApiReply failure(unsigned status, ErrorCode code, std::string message) {
  return {status, {{"error", {{"code", std::string(protocol::to_string(code))}, {"message", std::move(message)}}}}};
}
// A refusal with its code's status.
inline ApiReply failure(ErrorCode code, std::string message, std::optional<long> retry_after = std::nullopt) {
  ApiReply reply = failure(http_status(code), code, std::move(message));
  reply.retry_after_s = retry_after;
  return reply;
}

// A query parameter's raw value (no decoding: the values read this way are ids, digits, 1).
inline std::optional<std::string> query_param(std::string_view target, std::string_view name) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  for (std::string_view query = target.substr(question + 1); !query.empty();) {
    const std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    if (pair.substr(0, pair.find('=')) == name) {
      return std::string(pair.find('=') == std::string_view::npos ? "" : pair.substr(pair.find('=') + 1));
    }
  }
  return std::nullopt;
}

// A query value's percent-escapes decoded ('+' stays '+': the client sends encodeURIComponent's
// form); nothing when an escape is broken. What it decodes to is checked by the field's rule after.
inline std::optional<std::string> percent_decoded(std::string_view text) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex(text[i + 1]), low = hex(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

inline std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The request body as a JSON object ({} when empty), or the reason it is not one.
inline std::variant<json, ApiReply> body_object(
    const boost::beast::http::request<boost::beast::http::string_body>& request) {
  if (request.body().empty()) return json::object();
  json body = json::parse(request.body(), nullptr, false);
  if (body.is_discarded()) return failure(400, ErrorCode::bad_request, "The body is not valid JSON.");
  if (!body.is_object()) return failure(400, ErrorCode::bad_request, "The body must be a JSON object.");
  return body;
}

// Reads an optional field of one JSON type; a present field of another type is an error.
template <typename T>
std::optional<ApiReply> read_field(const json& body, const char* name, std::optional<T>& out) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  const bool ok = std::is_same_v<T, bool> ? it->is_boolean()
                  : std::is_same_v<T, std::string> ? it->is_string()
                                                   : it->is_number_integer();
  if (!ok) return failure(400, ErrorCode::bad_request, std::string(name) + " has the wrong type.");
  out = it->get<T>();
  return std::nullopt;
}

// A required string field, at most `max_bytes` long.
inline std::optional<ApiReply> read_required(const json& body, const char* name, std::string& out,
                                             std::size_t max_bytes = 1024) {
  std::optional<std::string> value;
  if (auto problem = read_field(body, name, value)) return problem;
  if (!value || value->empty()) return failure(400, ErrorCode::bad_request, std::string(name) + " is required.");
  if (value->size() > max_bytes) return failure(413, ErrorCode::too_large, std::string(name) + " is too long.");
  out = std::move(*value);
  return std::nullopt;
}

inline std::optional<ApiReply> check(protocol::TextRule rule, const std::string& text, const char* name) {
  if (auto problem = protocol::check_text(rule, text)) {
    return failure(problem->code == ErrorCode::too_large ? 413 : 400, problem->code,
                   std::string(name) + " " + std::string(problem->what) + ".");
  }
  return std::nullopt;
}

}  // namespace mehfil::server::api
