// The REST side of rooms (room_hub.h): create, preview, join by HTTP, leave, delete, host actions
// and "your rooms". Each asks the room's authority and carries out its outcome like a socket's
// message does, so a host action means the same over REST and WebSocket.
// Split from room_hub.cpp, which holds the live rooms and carries out the authority's effects.
#include "room_hub.h"

#include <algorithm>
#include <chrono>
#include <functional>

#include <boost/asio/post.hpp>

#include "log.h"
#include "passwords.h"
#include "protocol/codec.h"
#include "protocol/validation.h"
#include "room_codes.h"
#include "tokens.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;

}  // namespace

void RoomHub::create_room(const Claims& user, CreateRoomRequest request, ApiCallback done) {
  const std::int64_t now = now_ms();
  const std::int64_t hour_ago = now - 3'600'000;
  if (!request.meeting && store_.rooms_created_since(user.sub, hour_ago) >= config_.rooms_per_user_per_hour) {
    const auto oldest = store_.oldest_room_created_since(user.sub, hour_ago).value_or(now);
    ApiReply reply = error({429, ErrorCode::rate_limited,
                            "You can create at most " + std::to_string(config_.rooms_per_user_per_hour) +
                                " rooms an hour."});
    reply.retry_after_s = std::max<long>(1, static_cast<long>((oldest + 3'600'000 - now + 999) / 1000));
    return done(std::move(reply));
  }
  store_.upsert_user(user.sub, user.name, now);  // a token minted by an embedding site may be its first sight
  auto finish = [this, user, request, done](std::optional<std::string> password_hash) {
    RoomRecord r;
    r.room_name = request.room_name.empty() ? user.name + "'s Room" : request.room_name;
    r.host_user_id = user.sub;
    r.created_at = now_ms();
    r.expires_at = r.created_at + std::chrono::duration_cast<std::chrono::milliseconds>(config_.room_idle_lifetime).count();
    r.max_participants = request.max_participants;
    r.is_public = request.is_public;
    r.topic = request.topic;
    r.password_hash = std::move(password_hash);
    r.settings_json = protocol::settings_to_json(request.settings).dump();
    if (request.meeting) {
      r.meeting_opens_at = request.meeting->opens_at;
      r.meeting_ends_at = request.meeting->ends_at;
      r.expires_at = std::max(r.expires_at, request.meeting->ends_at + 3'600'000);  // kept until the meeting is over
    }
    for (int attempt = 0; attempt < 8; ++attempt) {  // a collision among 57^8 codes is all but impossible
      r.room_code = new_room_code();
      if (store_.insert_room(r)) {
        rooms_.erase(r.room_code);
        LiveRoom* live = room(r.room_code);
        ApiReply reply{201, room_json(*live)};
        return done(std::move(reply));
      }
    }
    done(error({500, ErrorCode::internal, "Could not find a free room code."}));
  };
  if (!request.password) return finish(std::nullopt);
  if (pending_password_checks_ >= config_.max_pending_password_checks) {
    return done(error({429, ErrorCode::rate_limited, "The server is busy checking passwords: try again in a moment.", 1}));
  }
  ++pending_password_checks_;
  boost::asio::post(hashing_, [this, password = *request.password, finish, done]() {
    auto hash = hash_password(password);
    boost::asio::post(io_, [this, finish, done, hash = std::move(hash)]() mutable {
      --pending_password_checks_;
      try {
        finish(std::move(hash));
      } catch (const StorageError& failure) {
        done(error(storage_problem(failure, "creating a room")));
      }
    });
  });
}

ApiReply RoomHub::preview(const Claims& user, const std::string& room_code) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "The room \"" + room_code + "\" doesn't exist or has expired."});
  if (live->rules.phase() == authority::Phase::expired) {
    return error({410, ErrorCode::expired, "The room \"" + room_code + "\" has expired."});
  }
  json body = room_json(*live);
  const authority::JoinRequest request{actor(user), 0, {}, std::nullopt, was_kicked(*live, user.sub), false, false,
                                            invited(room_code, user.sub)};
  const authority::Outcome verdict = live->rules.admission(request, now_ms());
  body["admission"] = !verdict.problem ? (verdict.knocks ? "knock" : "ok")
                      : verdict.problem->code == ErrorCode::wrong_password ? "password"
                                                                            : std::string(protocol::to_string(verdict.problem->code));
  return {200, std::move(body)};
}
void RoomHub::join(const Claims& user, const std::string& address, const std::string& room_code,
                   std::optional<std::string> password, ApiCallback done) {
  LiveRoom* live = room(room_code);
  if (!live) return done(error({404, ErrorCode::room_not_found, "The room \"" + room_code + "\" doesn't exist or has expired."}));
  authority::JoinRequest request{actor(user), 0, "p" + random_token(9), std::nullopt, was_kicked(*live, user.sub),
                                 password.has_value(), false, invited(room_code, user.sub)};
  // With the waiting room on, a REST join reserves nothing: it says "knock" (knocking is on a socket).
  const auto answer = [this](LiveRoom& in, const authority::Outcome& outcome) {
    ApiReply reply = reply_rest(in, outcome, {});
    if (reply.status != 200) return reply;
    json body = room_json(in);
    body["admission"] = outcome.knocks ? "knock" : "ok";
    return ApiReply{200, std::move(body)};
  };
  const authority::Outcome outcome = live->rules.join(request, now_ms());
  if (!outcome.needs_password) return done(answer(*live, outcome));
  apply(*live, outcome);  // stale reservations it let go of
  if (auto problem = take_password_attempt(room_code, address)) return done(error(*problem));
  check_password(*live->record.password_hash, *password, room_code + "|" + address,
                 [this, room_code, request, answer, done](bool ok) mutable {
                   if (!ok) return done(error({403, ErrorCode::wrong_password, "That password is not right."}));
                   try {
                     LiveRoom* now_live = room(room_code);  // every rule again: time has passed
                     request.password_checked = true;
                     request.was_kicked = was_kicked(*now_live, request.actor.user_id);
                     done(answer(*now_live, now_live->rules.join(request, now_ms())));
                   } catch (const StorageError& failure) {
                     done(error(storage_problem(failure, "joining a room")));
                   }
                 });
}

ApiReply RoomHub::public_rooms(std::size_t offset, std::size_t limit, const std::optional<std::string>& version) const {
  std::vector<const LiveRoom*> listed;
  for (const auto& [code, live] : rooms_) {
    if (live.rules.listed_publicly(live.record.is_public)) listed.push_back(&live);
  }
  std::sort(listed.begin(), listed.end(), [](const LiveRoom* a, const LiveRoom* b) {
    const int people_a = a->rules.announced_count(), people_b = b->rules.announced_count();
    if (people_a != people_b) return people_a > people_b;  // the liveliest first
    return a->record.created_at > b->record.created_at;    // then the newest
  });
  json rooms = json::array();
  for (const LiveRoom* live : listed) {
    json entry = room_json(*live);
    entry["participant_count"] = live->rules.announced_count();  // who is in, not who has a seat held
    rooms.push_back({{"room_code", entry["room_code"]}, {"room_name", entry["room_name"]}, {"topic", entry["topic"]},
                     {"host_name", entry["host_name"]}, {"participant_count", entry["participant_count"]},
                     {"max_participants", entry["max_participants"]}, {"has_password", entry["has_password"]},
                     {"is_locked", entry["is_locked"]}, {"waiting_room", live->rules.facts().settings.waiting_room},
                     {"link", entry["link"]}});
  }
  // The list's fingerprint: a page that polls with it gets a short answer while nothing changes.
  const std::string fingerprint = std::to_string(std::hash<std::string>{}(rooms.dump()));
  if (version && *version == fingerprint) return {200, {{"unchanged", true}, {"version", fingerprint}}};
  json page = json::array();
  for (std::size_t i = offset; i < rooms.size() && page.size() < limit; ++i) page.push_back(rooms[i]);
  json body{{"rooms", std::move(page)}, {"total", rooms.size()}, {"version", fingerprint}};
  if (offset + limit < rooms.size()) body["next_offset"] = offset + limit;
  return {200, std::move(body)};
}

ApiReply RoomHub::leave(const Claims& user, const std::string& room_code) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "No such room."});
  return reply_rest(*live, live->rules.leave(user.sub, now_ms()), {{"left", true}});
}
ApiReply RoomHub::remove_room(const Claims& user, const std::string& room_code) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "No such room."});
  return reply_rest(*live, live->rules.delete_room(actor(user), now_ms()), {{"deleted", true}});
}

ApiReply RoomHub::host_action(const Claims& user, const std::string& room_code, srv::HostActionKind action,
                              const std::string& target_user_id) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "No such room."});
  const auto power = action == srv::HostActionKind::mute ? authority::Power::mute : authority::Power::kick;
  return reply_rest(*live, live->rules.use_power(actor(user), power, target_user_id, now_ms()), {{"done", true}});
}
ApiReply RoomHub::user_rooms(const Claims& user) {
  const auto describe = [this](std::vector<RoomRecord> records) {
    json list = json::array();
    for (RoomRecord& r : records) {
      LiveRoom* live = room(r.room_code);  // the live view knows who is in right now
      list.push_back(room_json(*live));
    }
    return list;
  };
  return {200, {{"created", describe(store_.rooms_hosted_by(user.sub))},
                {"joined", describe(store_.rooms_joined_by(user.sub))},
                {"invited", invites(user).body["invites"]}}};
}

}  // namespace mehfil::server
