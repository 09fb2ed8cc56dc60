// Meetings for booking sites (a tutoring site confirms a lesson and makes its video room). A site
// has an API key, made by an operator on the command line (`mehfil-server keys create --name NAME`,
// keys_cli.cpp), sent as `Authorization: Bearer mk_<key id>_<secret>`; only the secret's hash is
// stored. With it the site makes a meeting:
//
//   POST   /api/meetings   {title?, scheduled_start?, scheduled_end? (ms since the epoch),
//                           early_join_minutes? (10), grace_minutes? (10), host: {id, name},
//                           participants?: [{id, name}], settings?: {chat, screenshare,
//                           record_automatically}, max_participants? (10)}
//                          -> 201 {meeting_id, passcode, room_code, join_url, opens_at, ends_at,
//                                  host: {id, name, user_id, token}, participants: [...]}
//   GET    /api/meetings/:id          -> its status (pending, active, completed, cancelled), times
//                                        and who attended (the key that made it only)
//   DELETE /api/meetings/:id          -> cancelled: the room ends for anyone in it
//   GET    /api/meetings/:id/access?passcode=P   (anyone; the meeting page asks it) -> status
//                                        (waiting, open, completed, cancelled), the room code, the
//                                        window and the server's clock; or wrong_password
//
// The meeting is a room with a password (the passcode) and a window the room's rules keep
// (authority::MeetingTimes): nobody in before scheduled_start minus early_join_minutes
// (meeting_not_open), a warning five minutes before scheduled_end plus grace_minutes, and the end
// then. The site's people get tokens for the room (the host's with role "host"), so its own pages
// can embed the call; anyone else opens /video-room/ID?passcode=P (web/meeting.js), which waits for
// the window and then joins with the passcode. People the site names are user ids of its own
// ("k<key id>_<their id>"), so two sites' ids never meet.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rate_limiter.h"
#include "room_hub.h"
#include "server_config.h"
#include "store.h"
#include "tokens.h"

namespace mehfil::server {

struct MeetingPerson {
  std::string id;    // the site's own id: 1..40 of [A-Za-z0-9_-]
  std::string name;  // a display name
};

struct MeetingRequest {
  std::string title = "Meeting";
  std::optional<std::int64_t> scheduled_start;
  std::optional<std::int64_t> scheduled_end;
  int early_join_minutes = 10;
  int grace_minutes = 10;
  MeetingPerson host;
  std::vector<MeetingPerson> participants;
  protocol::RoomSettings settings;
  int max_participants = 10;
};

// The request's body as a MeetingRequest, or the reason it is not one (bad_request, naming the field).
std::variant<MeetingRequest, std::string> parse_meeting_request(const nlohmann::json& body, std::int64_t now_ms);

// A new API key: its id, the secret to hand over once ("mk_<id>_<secret>") and the webhook signing
// secret. Stored hashed.
struct NewApiKey {
  std::string key_id;
  std::string api_key;
  std::string webhook_secret;
};
// `admin`: an operator's key for /api/admin (reports.h) instead of a booking site's.
NewApiKey create_api_key(Store& store, const std::string& name, const std::optional<std::string>& webhook_url, bool admin = false);

class Meetings {
 public:
  Meetings(Store& store, RoomHub& hub, const ServerConfig& config, std::string secret);

  // The key an `Authorization: Bearer mk_…` header names, if it is one and not revoked.
  std::optional<ApiKeyRecord> key_of(std::string_view authorization);

  void create(const ApiKeyRecord& key, MeetingRequest request, ApiCallback done);
  ApiReply status(const ApiKeyRecord& key, const std::string& meeting_id);
  ApiReply cancel(const ApiKeyRecord& key, const std::string& meeting_id);
  ApiReply access(const std::string& meeting_id, const std::string& passcode, const std::string& address);
  void sweep();  // forgets the budgets that are full again

 private:
  std::string user_id_of(const std::string& key_id, const std::string& person_id) const;

  Store& store_;
  RoomHub& hub_;
  const ServerConfig& config_;
  std::string secret_;
  KeyedBuckets meetings_per_key_;
  KeyedBuckets passcode_guesses_;  // "meeting|address"
};

}  // namespace mehfil::server
