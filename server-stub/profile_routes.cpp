// /api/profile and /api/avatars: reads each request into typed values and hands it to Profiles
// (profile_routes.h).
#include "profile_routes.h"

#include "api_fields.h"

namespace mehfil::server {

namespace http = boost::beast::http;
using api::failure;
using nlohmann::json;
using protocol::ErrorCode;

bool profile_route(ApiContext context, const http::request<http::string_body>& request, const std::string& path,
                   ApiCallback& done) {
  constexpr std::string_view kAvatars = "/api/avatars/";
  const auto method = request.method();
  if (path.starts_with(kAvatars)) {
    if (method != http::verb::get && method != http::verb::head) return done(failure(405, ErrorCode::bad_request, "Use GET.")), true;
    const std::string_view target(request.target().data(), request.target().size());
    return done(context.profiles.avatar_file(path.substr(kAvatars.size()), api::query_param(target, "v").value_or(""))), true;
  }
  if (path != "/api/profile" && !path.starts_with("/api/profile/")) return false;

  const auto user = authenticate(context, request);
  if (!user) return done(failure(401, ErrorCode::unauthorized, "Sign in first.")), true;
  if (auto refused = outside_its_room(*user, path)) return done(*refused), true;
  Profiles& profiles = context.profiles;
  if (path == "/api/profile") {
    if (method != http::verb::patch) return done(failure(405, ErrorCode::bad_request, "Use PATCH.")), true;
    auto body = api::body_object(request);
    if (auto* bad = std::get_if<ApiReply>(&body)) return done(*bad), true;
    std::string name;
    if (auto problem = api::read_required(std::get<json>(body), "display_name", name)) return done(*problem), true;
    name = std::string(protocol::trim_whitespace(name));
    if (auto problem = api::check(protocol::TextRule::display_name, name, "display_name")) return done(*problem), true;
    return done(profiles.rename(*user, name)), true;
  }
  if (path == "/api/profile/avatar") {
    if (method == http::verb::put) return profiles.set_avatar(*user, request.body(), done), true;
    if (method == http::verb::delete_) return done(profiles.remove_avatar(*user)), true;
    return done(failure(405, ErrorCode::bad_request, "Use PUT with the picture, or DELETE.")), true;
  }
  if (path == "/api/profile/history") {
    if (method != http::verb::get) return done(failure(405, ErrorCode::bad_request, "Use GET.")), true;
    return done(profiles.history(*user)), true;
  }
  return done(failure(404, ErrorCode::bad_request, "No such API endpoint.")), true;
}

}  // namespace mehfil::server
