// REST routes (api_routes.h).
#include "api_routes.h"

#include <charconv>
#include <chrono>

#include "api_fields.h"
#include "auth_routes.h"
#include "chat_files.h"
#include "profile_routes.h"
#include "reports.h"
#include "log.h"
#include "protocol/codec.h"
#include "protocol/validation.h"
#include "tokens.h"

namespace mehfil::server {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;
using protocol::ErrorCode;
using api::check;
using api::failure;
using api::now_s;
using api::query_param;
using api::read_field;

constexpr std::int64_t kSessionLifetimeS = 30 * 24 * 3600;

void create_session(ApiContext context, const json& body, const std::string& address, ApiCallback done) {
  std::optional<std::string> name;
  if (auto problem = read_field(body, "display_name", name)) return done(*problem);
  if (!name) return done(failure(400, ErrorCode::bad_request, "display_name is required."));
  const std::string trimmed(protocol::trim_whitespace(*name));
  if (auto problem = check(protocol::TextRule::display_name, trimmed, "display_name")) return done(*problem);
  if (const auto wait = context.hub.take_guest_session(address)) {
    ApiReply reply = failure(429, ErrorCode::rate_limited, "Too many new guest sessions from your address: wait a moment.");
    reply.retry_after_s = *wait;
    return done(std::move(reply));
  }
  Claims claims{"u" + random_token(12), trimmed, now_s() + kSessionLifetimeS, std::nullopt, std::nullopt, std::nullopt};
  context.store.upsert_user(claims.sub, claims.name, now_s() * 1000);
  done({201, {{"user_id", claims.sub}, {"display_name", claims.name}, {"token", mint_token(claims, context.secret)},
              {"expires_at", claims.exp * 1000}}});
}

void create_room(ApiContext context, const Claims& user, const json& body, ApiCallback done) {
  CreateRoomRequest request;
  std::optional<std::string> name, password;
  std::optional<bool> is_public;
  std::optional<std::int64_t> max;
  std::optional<std::string> topic;
  for (auto problem : {read_field(body, "room_name", name), read_field(body, "topic", topic), read_field(body, "password", password),
                       read_field(body, "is_public", is_public), read_field(body, "max_participants", max)}) {
    if (problem) return done(*problem);
  }
  if (name) {
    const std::string trimmed(protocol::trim_whitespace(*name));
    if (auto problem = check(protocol::TextRule::room_name, trimmed, "room_name")) return done(*problem);
    request.room_name = trimmed;
  }
  if (topic) {
    const std::string trimmed(protocol::trim_whitespace(*topic));
    if (auto problem = check(protocol::TextRule::room_name, trimmed, "topic")) return done(*problem);
    request.topic = trimmed;
  }
  if (password && !password->empty()) {
    if (auto problem = check(protocol::TextRule::password, *password, "password")) return done(*problem);
    request.password = password;
  }
  request.is_public = is_public.value_or(false);
  if (max && (*max < 2 || *max > 10)) return done(failure(400, ErrorCode::bad_request, "max_participants must be from 2 to 10."));
  request.max_participants = static_cast<int>(max.value_or(5));
  // The settings the messages carry, in part: a flag left out stays on.
  if (const auto settings = body.find("settings"); settings != body.end() && !settings->is_null()) {
    if (auto problem = protocol::settings_from_json(*settings, request.settings)) {
      return done(failure(400, problem->code, problem->message + "."));
    }
  }
  context.hub.create_room(user, std::move(request), std::move(done));
}

std::optional<std::string> target_of(const json& body, ApiReply& problem) {
  std::optional<std::string> target;
  if (auto bad = read_field(body, "target_user_id", target)) {
    problem = *bad;
    return std::nullopt;
  }
  if (!target || !protocol::is_id(*target)) {
    problem = failure(400, ErrorCode::bad_request, "target_user_id must be a user id.");
    return std::nullopt;
  }
  return target;
}

void route(ApiContext context, const http::request<http::string_body>& request, const std::string& address,
           ApiCallback done);

// GET /api/rooms?offset=&limit=&version=: the Live rooms list, a page at a time.
ApiReply public_rooms(ApiContext context, const http::request<http::string_body>& request, std::string_view target) {
  if (request.method() != http::verb::get) return failure(405, ErrorCode::bad_request, "Use GET.");
  const auto number = [&](std::string_view name, std::int64_t fallback, std::int64_t most) -> std::optional<std::int64_t> {
    const auto text = query_param(target, name);
    if (!text) return fallback;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size() || value < 0 || value > most) return std::nullopt;
    return value;
  };
  const auto offset = number("offset", 0, 1'000'000);
  const auto limit = number("limit", 20, 50);
  if (!offset || !limit || *limit == 0) return failure(400, ErrorCode::bad_request, "offset must be 0 or more, limit 1 to 50.");
  const auto version = query_param(target, "version");
  return context.hub.public_rooms(static_cast<std::size_t>(*offset), static_cast<std::size_t>(*limit), version);
}

// /api/meetings (meetings.h): with a booking site's API key, except a meeting's /access, which the
// meeting page asks with the passcode.
void meeting_route(ApiContext context, const http::request<http::string_body>& request, std::string_view target,
                   const std::string& path, const json& fields, const std::string& address, ApiCallback done) {
  constexpr std::string_view kMeetings = "/api/meetings/";
  const std::string rest = path.size() > kMeetings.size() ? path.substr(kMeetings.size()) : "";
  const std::string id = rest.substr(0, rest.find('/'));
  const std::string action = rest.size() > id.size() ? rest.substr(id.size() + 1) : "";
  const auto method = request.method();
  if (action == "access") {
    if (method != http::verb::get) return done(failure(405, ErrorCode::bad_request, "Use GET."));
    return done(context.meetings.access(id, query_param(target, "passcode").value_or(""), address));
  }
  const auto key = context.meetings.key_of(request[http::field::authorization]);
  if (!key || key->is_admin) return done(failure(401, ErrorCode::unauthorized, "Send your site's API key: Authorization: Bearer mk_…"));
  if (id.empty()) {
    if (method != http::verb::post) return done(failure(405, ErrorCode::bad_request, "Use POST."));
    auto parsed = parse_meeting_request(fields, api::now_s() * 1000);
    if (auto* problem = std::get_if<std::string>(&parsed)) return done(failure(400, ErrorCode::bad_request, *problem));
    return context.meetings.create(*key, std::move(std::get<MeetingRequest>(parsed)), std::move(done));
  }
  if (action == "events" && method == http::verb::get) return done(context.webhooks.events(*key, id));
  if (!action.empty()) return done(failure(404, ErrorCode::bad_request, "No such API endpoint."));
  if (method == http::verb::get) return done(context.meetings.status(*key, id));
  if (method == http::verb::delete_) return done(context.meetings.cancel(*key, id));
  done(failure(405, ErrorCode::bad_request, "Use GET or DELETE."));
}

// /api/admin/... (reports.h): with an operator's key (mehfil-server keys create --admin) only.
ApiReply admin_route(ApiContext context, const http::request<http::string_body>& request, std::string_view target,
                     const std::string& path, const json& fields) {
  const auto authorization = request[http::field::authorization];
  if (!authorization.starts_with("Bearer ")) return failure(401, ErrorCode::unauthorized, "Send an admin key: Authorization: Bearer mk_…");
  const auto key = context.meetings.key_of(authorization);
  if (!key || !key->is_admin) {
    return failure(ErrorCode::not_admin, "This needs an operator's admin key (mehfil-server keys create --admin).");
  }
  constexpr std::string_view kReports = "/api/admin/reports";
  if (path == kReports) {
    if (request.method() != http::verb::get) return failure(405, ErrorCode::bad_request, "Use GET.");
    return list_reports(context.store, query_param(target, "all") == "1");
  }
  if (path.starts_with(std::string(kReports) + "/") && path.ends_with("/resolve")) {
    if (request.method() != http::verb::post) return failure(405, ErrorCode::bad_request, "Use POST.");
    const std::string id = path.substr(kReports.size() + 1, path.size() - kReports.size() - 1 - std::string_view("/resolve").size());
    std::optional<std::string> note;
    if (auto problem = read_field(fields, "note", note)) return *problem;
    return resolve_report(context.store, id, note.value_or(""));
  }
  return failure(404, ErrorCode::bad_request, "No such API endpoint.");
}

// Who asks for recording `id`: the session in the Authorization header, or, for a <video> or <img>
// (which send no header), the recording's own pass in ?access= (its list's media_token). A session
// token in a recording's URL is refused: such URLs end up in histories and logs.
std::optional<Claims> recording_viewer(ApiContext context, const http::request<http::string_body>& request,
                                       std::string_view target, const std::string& id, bool get) {
  if (const auto access = query_param(target, "access")) {
    auto pass = verify_token(*access, context.secret, now_s());
    if (!get || !pass || pass->rec != id) return std::nullopt;
    return pass;
  }
  if (!request[http::field::authorization].starts_with("Bearer ")) return std::nullopt;
  return authenticate(context, request);
}

// PUT /api/rooms/:code/code-state?upto=N: a compaction of the room's code (room_code.cpp). The body
// is the state's bytes, not JSON, and may be as big as a recording's chunk (http_session.cpp).
ApiReply code_state_route(ApiContext context, const http::request<http::string_body>& request, std::string_view target,
                          const std::string& path) {
  const std::string code = path.substr(std::string_view("/api/rooms/").size(), path.size() - std::string_view("/api/rooms//code-state").size());
  if (request.method() != http::verb::put) return failure(405, ErrorCode::bad_request, "Use PUT.");
  const auto user = authenticate(context, request);
  if (!user) return failure(401, ErrorCode::unauthorized, "Sign in first: POST /api/session, then send its token.");
  if (!protocol::is_room_code(code)) return failure(404, ErrorCode::room_not_found, "No such room.");
  const auto upto = query_param(target, "upto").value_or("");
  std::size_t count = 0;
  const auto [end, ec] = std::from_chars(upto.data(), upto.data() + upto.size(), count);
  if (ec != std::errc{} || end != upto.data() + upto.size() || count == 0) {
    return failure(400, ErrorCode::bad_request, "upto must be the number of updates the state replaces.");
  }
  return context.hub.compact_code(*user, code, count, request.body());
}

// /api/rooms/:code/files[/:file_id[/thumbnail]] (chat_files.h). An upload's body is the file's
// bytes, its Content-Type the type it claims, and its name and draft id come in the query.
void chat_file_route(ApiContext context, const http::request<http::string_body>& request, std::string_view target,
                     const std::string& path, ApiCallback done) {
  const auto user = authenticate(context, request);
  if (!user) return done(failure(401, ErrorCode::unauthorized, "Sign in first: POST /api/session, then send its token."));
  if (auto refused = outside_its_room(*user, path)) return done(*refused);
  const std::string rest = path.substr(std::string_view("/api/rooms/").size());
  const std::string code = rest.substr(0, rest.find('/'));
  if (!protocol::is_room_code(code)) return done(failure(404, ErrorCode::room_not_found, "No such room."));
  const std::string after = rest.substr(code.size() + std::string_view("/files").size());  // "", "/ID" or "/ID/thumbnail"
  const auto method = request.method();
  if (after.empty()) {
    if (method != http::verb::post) return done(failure(405, ErrorCode::bad_request, "Use POST."));
    ChatFileUpload upload;
    const auto name = api::percent_decoded(query_param(target, "name").value_or(""));
    if (!name) return done(failure(400, ErrorCode::bad_request, "name must be the file's name, percent-encoded."));
    upload.name = *name;
    upload.client_msg_id = query_param(target, "client_msg_id").value_or("");
    if (!protocol::is_id(upload.client_msg_id)) return done(failure(400, ErrorCode::bad_request, "client_msg_id must be an id."));
    upload.claimed_type = std::string(request[http::field::content_type]);
    upload.bytes = request.body();
    return context.hub.share_file(*user, code, std::move(upload), std::move(done));
  }
  if (method != http::verb::get && method != http::verb::head) return done(failure(405, ErrorCode::bad_request, "Use GET."));
  const std::string file_id = after.substr(1, after.find('/', 1) - 1);
  const std::string action = after.size() > file_id.size() + 1 ? after.substr(file_id.size() + 2) : "";
  if (!action.empty() && action != "thumbnail") return done(failure(404, ErrorCode::bad_request, "No such API endpoint."));
  done(context.hub.chat_file(*user, code, file_id, action == "thumbnail"));
}

// /api/recordings/:id[/chunks|/poster] (recordings.h). The chunk's body is bytes, not JSON.
ApiReply recording_route(ApiContext context, const http::request<http::string_body>& request, std::string_view target,
                         const std::string& rest) {
  const std::string id = rest.substr(0, rest.find('/'));
  const std::string action = rest.size() > id.size() ? rest.substr(id.size() + 1) : "";
  const auto method = request.method();
  const bool get = method == http::verb::get || method == http::verb::head;
  const auto user = recording_viewer(context, request, target, id, get);
  if (!user) {
    return failure(401, ErrorCode::unauthorized,
                   "Send your session's token in the Authorization header, or the recording's media_token as ?access=.");
  }
  if (action == "chunks") {
    if (method != http::verb::put) return failure(405, ErrorCode::bad_request, "Use PUT.");
    ChunkUpload upload;
    upload.segment = query_param(target, "segment").value_or("");
    const std::string offset = query_param(target, "offset").value_or("");
    const auto [end, ec] = std::from_chars(offset.data(), offset.data() + offset.size(), upload.offset);
    if (offset.empty() || ec != std::errc() || end != offset.data() + offset.size()) {
      return failure(400, ErrorCode::bad_request, "A chunk needs ?segment=NAME&offset=BYTES.");
    }
    upload.final = query_param(target, "final") == "1";
    return context.recordings.upload(*user, id, upload, request.body());
  }
  const std::string range(request[http::field::range]);
  if (action.empty() && get) return context.recordings.file(*user, id, false, range);
  if (action == "poster" && get) return context.recordings.file(*user, id, true, range);
  if (action.empty() && method == http::verb::delete_) return context.recordings.remove(*user, id);
  return failure(404, ErrorCode::bad_request, "No such API endpoint.");
}

}  // namespace

std::optional<Claims> authenticate(const ApiContext& context, const http::request<http::string_body>& request) {
  std::string_view token;
  const auto authorization = request[http::field::authorization];
  if (authorization.starts_with("Bearer ")) {
    token = std::string_view(authorization.data() + 7, authorization.size() - 7);
  } else {
    const std::string_view target(request.target().data(), request.target().size());
    if (const auto at = target.find("token="); at != std::string_view::npos && (target[at - 1] == '?' || target[at - 1] == '&')) {
      token = target.substr(at + 6);
      token = token.substr(0, token.find('&'));
    }
  }
  if (token.empty()) return std::nullopt;
  auto claims = verify_token(token, context.secret, now_s());
  if (claims && claims->rec) return std::nullopt;  // a recording's pass is no session
  if (claims && !context.accounts.session_open(*claims)) return std::nullopt;
  if (claims && claims->sid) {
    try {
      claims->name = context.store.user_name(claims->sub).value_or(claims->name);
    } catch (const StorageError& error) {
      log::storage_failed("reading an account's name", error.what());  // the token's name will do
    }
  }
  return claims;
}

// A token limited to one room (`room`: a site's embed, a meeting's people) works for that room alone.
std::optional<ApiReply> outside_its_room(const Claims& user, const std::string& path) {
  if (!user.room || path == "/api/rooms/" + *user.room || path.starts_with("/api/rooms/" + *user.room + "/")) return std::nullopt;
  return failure(403, ErrorCode::unauthorized, "This token is for room " + *user.room + " alone.");
}

void handle_api(ApiContext context, const http::request<http::string_body>& request, const std::string& address,
                ApiCallback done) {
  // A storage failure fails this request alone (its asynchronous continuations catch their own).
  try {
    route(context, request, address, done);
  } catch (const StorageError& error) {
    log::storage_failed("a REST request", error.what());
    done(error.full() ? failure(507, ErrorCode::storage_full, "The server's disk is full: nothing was kept.")
                      : failure(500, ErrorCode::internal, "The server could not store that: nothing was kept."));
  }
}

namespace {

void route(ApiContext context, const http::request<http::string_body>& request, const std::string& address,
           ApiCallback done) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::string path(target.substr(0, target.find('?')));
  const auto method = request.method();
  constexpr std::string_view kRecordings = "/api/recordings/";
  if (path.rfind(kRecordings, 0) == 0) return done(recording_route(context, request, target, path.substr(kRecordings.size())));
  if (path.ends_with("/code-state") && path.rfind("/api/rooms/", 0) == 0) return done(code_state_route(context, request, target, path));
  if (profile_route(context, request, path, done)) return;
  if (path.starts_with("/api/rooms/") && is_chat_file_path(path)) return chat_file_route(context, request, target, path, done);
  auto body = api::body_object(request);
  if (auto* bad = std::get_if<ApiReply>(&body)) return done(*bad);
  const json& fields = std::get<json>(body);

  if (auth_route(context, request, path, fields, address, done)) return;
  if (path == "/api/meetings" || path.starts_with("/api/meetings/")) return meeting_route(context, request, target, path, fields, address, done);
  if (path.starts_with("/api/admin/")) return done(admin_route(context, request, target, path, fields));
  if (path == "/api/session") {
    if (method != http::verb::post) return done(failure(405, ErrorCode::bad_request, "Use POST."));
    return create_session(context, fields, address, std::move(done));
  }
  if (path == "/api/rooms") return done(public_rooms(context, request, target));  // anyone may look
  const auto user = authenticate(context, request);
  if (!user) return done(failure(401, ErrorCode::unauthorized, "Sign in first: POST /api/session, then send its token."));
  if (auto refused = outside_its_room(*user, path)) return done(*refused);

  if (path == "/api/user/rooms" && method == http::verb::get) return done(context.hub.user_rooms(*user));
  if (path == "/api/friends" && method == http::verb::get) return done(context.hub.friends(*user));
  if (path == "/api/calls" && method == http::verb::get) return done(context.hub.call_history(*user));
  if (path == "/api/user/recordings" && method == http::verb::get) return done(context.recordings.of_user(*user));
  if (path == "/api/friends/request" || path == "/api/friends/accept") {
    if (method != http::verb::post) return done(failure(405, ErrorCode::bad_request, "Use POST."));
    ApiReply problem;
    const auto target_user = target_of(fields, problem);
    if (!target_user) return done(problem);
    return done(path == "/api/friends/request" ? context.hub.request_friend(*user, *target_user)
                                               : context.hub.accept_friend(*user, *target_user));
  }
  if (path == "/api/rooms/create") {
    if (method != http::verb::post) return done(failure(405, ErrorCode::bad_request, "Use POST."));
    return create_room(context, *user, fields, std::move(done));
  }
  constexpr std::string_view kRooms = "/api/rooms/";
  if (path.rfind(kRooms, 0) == 0) {
    const std::string rest = path.substr(kRooms.size());
    const std::string code = rest.substr(0, rest.find('/'));
    const std::string action = rest.size() > code.size() ? rest.substr(code.size() + 1) : "";
    if (!protocol::is_room_code(code)) {
      return done(failure(404, ErrorCode::room_not_found, "The room \"" + code.substr(0, 64) + "\" doesn't exist or has expired."));
    }
    if (action.empty() && method == http::verb::get) return done(context.hub.preview(*user, code));
    if (action.empty() && method == http::verb::delete_) return done(context.hub.remove_room(*user, code));
    if (action == "recordings" && method == http::verb::get) return done(context.recordings.list(*user, code));
    if (method != http::verb::post) return done(failure(405, ErrorCode::bad_request, "Method not allowed here."));
    if (action == "join") {
      std::optional<std::string> password;
      if (auto problem = read_field(fields, "password", password)) return done(*problem);
      if (password && password->empty()) password.reset();
      return context.hub.join(*user, address, code, password, std::move(done));
    }
    if (action == "leave") return done(context.hub.leave(*user, code));
    if (action == "kick" || action == "mute") {
      ApiReply problem;
      const auto target_user = target_of(fields, problem);
      if (!target_user) return done(problem);
      const auto kind = action == "kick" ? protocol::server::HostActionKind::kick : protocol::server::HostActionKind::mute;
      return done(context.hub.host_action(*user, code, kind, *target_user));
    }
  }
  done(failure(404, ErrorCode::bad_request, "No such API endpoint."));
}

}  // namespace

}  // namespace mehfil::server
