// REST routes of accounts under /api/auth (accounts.h has the rules):
//
//   POST   /api/auth/register       {email, display_name, password}   -> 201 signed in (a guest's token
//                                                                         in Authorization: the account keeps its id)
//   POST   /api/auth/login          {email, password}                 -> 200 signed in
//   POST   /api/auth/refresh        {refresh_token}                   -> 200 signed in (new tokens)
//   POST   /api/auth/logout                                           this session
//   POST   /api/auth/logout-all                                       every session of the account
//   GET    /api/auth/sessions                                         -> {sessions: [{session_id, device, address,
//                                                                         created_at, last_seen_at, current}]}
//   DELETE /api/auth/sessions/:id
//   GET    /api/auth/me                                               -> {user_id, display_name, guest, avatar_url, email?, …}
//   POST   /api/auth/verify         {token}                           the link in the verification email
//   POST   /api/auth/verify-request                                   send that email again
//   POST   /api/auth/reset-request  {email}                           -> 202 (always, account or not)
//   POST   /api/auth/reset          {token, password}                 the link in the reset email
//
// "Signed in" is {user_id, display_name, email, email_verified, avatar_url, session_id, token, refresh_token,
// expires_at}.
#pragma once

#include <string>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "api_routes.h"

namespace mehfil::server {

// Answers `path` if it is under /api/auth and returns true; false leaves it to the other routes.
bool auth_route(ApiContext context, const boost::beast::http::request<boost::beast::http::string_body>& request,
                const std::string& path, const nlohmann::json& fields, const std::string& address, ApiCallback& done);

}  // namespace mehfil::server
