// /api/auth: reads each request into typed values and hands it to Accounts (auth_routes.h).
#include "auth_routes.h"

#include "api_fields.h"

namespace mehfil::server {
namespace {

namespace http = boost::beast::http;
using api::failure;
using api::read_required;
using nlohmann::json;
using protocol::ErrorCode;

constexpr std::size_t kMaxPasswordBytes = 512;

}  // namespace

bool auth_route(ApiContext context, const http::request<http::string_body>& request, const std::string& path,
                const json& fields, const std::string& address, ApiCallback& done) {
  constexpr std::string_view kAuth = "/api/auth/";
  if (!path.starts_with(kAuth)) return false;
  const std::string action = path.substr(kAuth.size());
  const auto method = request.method();
  const RequestOrigin origin{address, std::string(request[http::field::user_agent]).substr(0, 512),
                             std::string(request[http::field::host])};
  Accounts& accounts = context.accounts;
  const auto post_only = [&]() {
    if (method == http::verb::post) return false;
    done(failure(405, ErrorCode::bad_request, "Use POST."));
    return true;
  };

  // Without a session.
  if (action == "register") {
    if (post_only()) return true;
    RegisterRequest fields_in;
    for (auto problem : {read_required(fields, "email", fields_in.email),
                         read_required(fields, "display_name", fields_in.display_name),
                         read_required(fields, "password", fields_in.password, kMaxPasswordBytes)}) {
      if (problem) return done(*problem), true;
    }
    fields_in.display_name = std::string(protocol::trim_whitespace(fields_in.display_name));
    if (auto problem = api::check(protocol::TextRule::display_name, fields_in.display_name, "display_name")) {
      return done(*problem), true;
    }
    accounts.register_account(std::move(fields_in), authenticate(context, request), origin, done);
    return true;
  }
  if (action == "login") {
    if (post_only()) return true;
    std::string email, password;
    for (auto problem : {read_required(fields, "email", email), read_required(fields, "password", password, kMaxPasswordBytes)}) {
      if (problem) return done(*problem), true;
    }
    accounts.login(email, password, origin, done);
    return true;
  }
  if (action == "refresh" || action == "verify" || action == "reset-request" || action == "reset") {
    if (post_only()) return true;
    std::string value;
    const char* name = action == "refresh" ? "refresh_token" : action == "reset-request" ? "email" : "token";
    if (auto problem = read_required(fields, name, value)) return done(*problem), true;
    if (action == "refresh") return done(accounts.refresh(value, origin)), true;
    if (action == "verify") return done(accounts.verify_email(value)), true;
    if (action == "reset-request") return done(accounts.request_reset(value, origin)), true;
    std::string password;
    if (auto problem = read_required(fields, "password", password, kMaxPasswordBytes)) return done(*problem), true;
    accounts.reset_password(value, password, done);
    return true;
  }

  // With one.
  const auto user = authenticate(context, request);
  if (!user) return done(failure(401, ErrorCode::unauthorized, "Sign in first.")), true;
  if (action == "me" && method == http::verb::get) return done(accounts.me(*user)), true;
  if (action == "sessions" && method == http::verb::get) return done(accounts.sessions(*user)), true;
  if (action.starts_with("sessions/") && method == http::verb::delete_) {
    return done(accounts.revoke(*user, action.substr(std::string_view("sessions/").size()))), true;
  }
  if (action == "logout" || action == "logout-all" || action == "verify-request") {
    if (post_only()) return true;
    if (action == "logout") return done(accounts.logout(*user)), true;
    if (action == "logout-all") return done(accounts.logout_all(*user)), true;
    return done(accounts.send_verification(*user, origin)), true;
  }
  done(failure(404, ErrorCode::bad_request, "No such API endpoint."));
  return true;
}

}  // namespace mehfil::server
