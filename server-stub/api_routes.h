// The REST API under /api: parses and validates each request into typed values, authenticates it
// (a JWT in `Authorization: Bearer`), and hands it to the RoomHub. Answers are JSON; failures are
// {"error": {"code", "message"}} with the protocol's stable codes and the matching HTTP status.
//
//   POST   /api/session                 {display_name}                    -> 201 {user_id, display_name, token}
//   /api/auth/...: accounts and their sessions, auth_routes.h
//   /api/meetings/...: booking sites' meetings, with an API key, meetings.h
//   /api/profile/... and /api/avatars/...: the name, picture and room history, profile_routes.h
//   GET    /api/rooms?offset=&limit=&version=                 (anyone) -> the Live rooms list
//   POST   /api/rooms/create            {room_name?, topic?, is_public?, max_participants?, password?, settings?}
//                                                                          -> 201 room
//   GET    /api/rooms/:code                                               -> the preview
//   POST   /api/rooms/:code/join        {password?}                       -> room
//   POST   /api/rooms/:code/leave
//   DELETE /api/rooms/:code                                    (host only)
//   POST   /api/rooms/:code/kick        {target_user_id}       (host or co-host)
//   POST   /api/rooms/:code/mute        {target_user_id}       (host or co-host)
//   GET    /api/user/rooms                                                -> {created: [...], joined: [...]}
//   /api/recordings/... and GET /api/rooms/:code/recordings: recordings.h
#pragma once

#include <string>

#include <boost/beast/http.hpp>

#include "accounts.h"
#include "meetings.h"
#include "profiles.h"
#include "webhooks.h"
#include "recordings.h"
#include "room_hub.h"
#include "store.h"

namespace mehfil::server {

struct ApiContext {
  RoomHub& hub;
  Store& store;
  Recordings& recordings;
  Accounts& accounts;
  Meetings& meetings;
  Webhooks& webhooks;
  Profiles& profiles;
  const std::string& secret;
};

// `address` is the client's IP address, for the per-address limits.
void handle_api(ApiContext context, const boost::beast::http::request<boost::beast::http::string_body>& request,
                const std::string& address, ApiCallback done);

// A refusal when `user`'s token is limited to one room and `path` is not that room's.
std::optional<ApiReply> outside_its_room(const Claims& user, const std::string& path);

// The authenticated user of a request with `Authorization: Bearer <jwt>`, or of a /ws upgrade with
// `?token=<jwt>`; nothing when absent, forged, expired, or of a session that was logged out. An
// account's claims carry its current display name (profiles.h), whatever name the token holds.
std::optional<Claims> authenticate(const ApiContext& context,
                                   const boost::beast::http::request<boost::beast::http::string_body>& request);

}  // namespace mehfil::server
