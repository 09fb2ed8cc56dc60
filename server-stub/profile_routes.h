// REST routes of the profile (profiles.h has the rules):
//
//   PATCH  /api/profile              {display_name}          -> {display_name}      (an account's)
//   PUT    /api/profile/avatar       the picture's bytes     -> {avatar_url}        (up to 5 MiB)
//   DELETE /api/profile/avatar                               -> {avatar_url: null}  (the initials again)
//   GET    /api/profile/history                              -> {rooms: [{room_code, room_name, kind,
//                                                                created, created_at, first_joined_at,
//                                                                last_joined_at, left_at, in_room_now,
//                                                                time_in_room_ms, is_active, removed}]}
//   GET    /api/avatars/:user_id     (no token: <img>)       -> image/webp, or 404 not_found
//
// GET /api/auth/me and a sign-in's answer carry the avatar_url too.
#pragma once

#include <string>

#include <boost/beast/http.hpp>

#include "api_routes.h"

namespace mehfil::server {

// Answers `path` if it is under /api/profile or /api/avatars/ and returns true; false leaves it to
// the other routes. Reads the body itself: the picture's is no JSON.
bool profile_route(ApiContext context, const boost::beast::http::request<boost::beast::http::string_body>& request,
                   const std::string& path, ApiCallback& done);

}  // namespace mehfil::server
