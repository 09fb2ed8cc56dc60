// Meetings for booking sites (meetings.h).
#include "wall_clock.h"
#include "meetings.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>

#include "api_fields.h"
#include "log.h"
#include "protocol/codec.h"
#include "room_codes.h"
#include "secret_hash.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;
using api::failure;

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 24 * 60 * kMinuteMs;
constexpr int kMeetingsPerKeyPerHour = 600;
constexpr int kPasscodeGuessesPer10Minutes = 20;  // per meeting and address

bool person_id_ok(const std::string& id) { return id.size() <= 40 && protocol::is_id(id); }

std::optional<std::string> read_person(const json& value, const std::string& where, MeetingPerson& out) {
  if (!value.is_object()) return where + " must be an object {id, name}.";
  const auto id = value.find("id");
  const auto name = value.find("name");
  if (id == value.end() || !id->is_string() || !person_id_ok(id->get<std::string>())) {
    return where + ".id must be 1 to 40 letters, digits, '-' or '_'.";
  }
  if (name == value.end() || !name->is_string()) return where + ".name is required.";
  const std::string trimmed(protocol::trim_whitespace(name->get<std::string>()));
  if (auto problem = protocol::check_text(protocol::TextRule::display_name, trimmed)) {
    return where + ".name " + std::string(problem->what) + ".";
  }
  out = {id->get<std::string>(), trimmed};
  return std::nullopt;
}

std::optional<std::string> read_time(const json& body, const char* name, std::optional<std::int64_t>& out) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0) return std::string(name) + " must be ms since the epoch.";
  out = it->get<std::int64_t>();
  return std::nullopt;
}

std::optional<std::string> read_minutes(const json& body, const char* name, int& out) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > 240) {
    return std::string(name) + " must be 0 to 240.";
  }
  out = static_cast<int>(it->get<std::int64_t>());
  return std::nullopt;
}

}  // namespace

std::variant<MeetingRequest, std::string> parse_meeting_request(const json& body, std::int64_t now_ms) {
  MeetingRequest request;
  if (const auto title = body.find("title"); title != body.end() && !title->is_null()) {
    if (!title->is_string()) return std::string("title must be a string.");
    const std::string trimmed(protocol::trim_whitespace(title->get<std::string>()));
    if (auto problem = protocol::check_text(protocol::TextRule::room_name, trimmed)) {
      return "title " + std::string(problem->what) + ".";
    }
    request.title = trimmed;
  }
  for (auto problem : {read_time(body, "scheduled_start", request.scheduled_start),
                       read_time(body, "scheduled_end", request.scheduled_end),
                       read_minutes(body, "early_join_minutes", request.early_join_minutes),
                       read_minutes(body, "grace_minutes", request.grace_minutes)}) {
    if (problem) return *problem;
  }
  if (request.scheduled_end && !request.scheduled_start) return std::string("scheduled_end needs scheduled_start.");
  if (request.scheduled_end && *request.scheduled_end <= *request.scheduled_start) {
    return std::string("scheduled_end must be after scheduled_start.");
  }
  if (request.scheduled_end && *request.scheduled_end - *request.scheduled_start > kDayMs) {
    return std::string("A meeting lasts at most 24 hours.");
  }
  if (request.scheduled_start && *request.scheduled_start > now_ms + 366 * kDayMs) {
    return std::string("scheduled_start is more than a year away.");
  }
  if (request.scheduled_end && *request.scheduled_end + request.grace_minutes * kMinuteMs <= now_ms) {
    return std::string("scheduled_end has passed.");
  }
  if (!request.scheduled_end && request.scheduled_start && *request.scheduled_start + kDayMs <= now_ms) {
    return std::string("scheduled_start has passed (a meeting without scheduled_end lasts a day).");
  }
  const auto host = body.find("host");
  if (host == body.end()) return std::string("host is required: {id, name}.");
  if (auto problem = read_person(*host, "host", request.host)) return *problem;
  if (const auto people = body.find("participants"); people != body.end() && !people->is_null()) {
    if (!people->is_array() || people->size() > 9) return std::string("participants must be a list of at most 9 people.");
    for (std::size_t i = 0; i < people->size(); ++i) {
      MeetingPerson person;
      if (auto problem = read_person((*people)[i], "participants[" + std::to_string(i) + "]", person)) return *problem;
      const auto same = [&](const MeetingPerson& p) { return p.id == person.id; };
      if (same(request.host) || std::any_of(request.participants.begin(), request.participants.end(), same)) {
        return "participants[" + std::to_string(i) + "].id is named twice.";
      }
      request.participants.push_back(person);
    }
  }
  if (const auto settings = body.find("settings"); settings != body.end() && !settings->is_null()) {
    if (auto problem = protocol::settings_from_json(*settings, request.settings)) return problem->message + ".";
  }
  if (const auto max = body.find("max_participants"); max != body.end() && !max->is_null()) {
    if (!max->is_number_integer() || max->get<std::int64_t>() < 2 || max->get<std::int64_t>() > 10) {
      return std::string("max_participants must be from 2 to 10.");
    }
    request.max_participants = static_cast<int>(max->get<std::int64_t>());
  }
  if (static_cast<int>(request.participants.size()) + 1 > request.max_participants) {
    return std::string("More people are named than max_participants lets in.");
  }
  return request;
}

NewApiKey create_api_key(Store& store, const std::string& name, const std::optional<std::string>& webhook_url, bool admin) {
  unsigned char id_bytes[4];
  randombytes_buf(id_bytes, sizeof id_bytes);
  char id_hex[sizeof id_bytes * 2 + 1];
  sodium_bin2hex(id_hex, sizeof id_hex, id_bytes, sizeof id_bytes);
  NewApiKey made;
  made.key_id = id_hex;
  const std::string secret = random_token(32);
  made.api_key = "mk_" + made.key_id + "_" + secret;
  made.webhook_secret = "whsec_" + random_token(32);
  store.insert_api_key({made.key_id, name, secret_hash(secret), webhook_url, made.webhook_secret, wall_clock_ms(), std::nullopt, admin});
  return made;
}

Meetings::Meetings(Store& store, RoomHub& hub, const ServerConfig& config, std::string secret)
    : store_(store),
      hub_(hub),
      config_(config),
      secret_(std::move(secret)),
      meetings_per_key_(kMeetingsPerKeyPerHour, std::chrono::hours(1)),
      passcode_guesses_(kPasscodeGuessesPer10Minutes, std::chrono::minutes(10)) {}

std::string Meetings::user_id_of(const std::string& key_id, const std::string& person_id) const {
  return "k" + key_id + "_" + person_id;
}

std::optional<ApiKeyRecord> Meetings::key_of(std::string_view authorization) {
  constexpr std::string_view kPrefix = "Bearer mk_";
  if (!authorization.starts_with(kPrefix) || authorization.size() > 200) return std::nullopt;
  const std::string_view rest = authorization.substr(kPrefix.size());
  const auto underscore = rest.find('_');
  if (underscore != 8) return std::nullopt;
  const std::string key_id(rest.substr(0, underscore));
  auto key = store_.api_key(key_id);
  if (!key || key->revoked_at || !same_hash(key->secret_hash, secret_hash(rest.substr(underscore + 1)))) return std::nullopt;
  return key;
}

void Meetings::create(const ApiKeyRecord& key, MeetingRequest request, ApiCallback done) {
  if (const auto wait = meetings_per_key_.take(key.key_id, 1, std::chrono::steady_clock::now())) {
    return done(failure(ErrorCode::rate_limited, "This key made " + std::to_string(kMeetingsPerKeyPerHour) +
                                                    " meetings in the last hour: wait a moment.", *wait));
  }
  const std::int64_t now = wall_clock_ms();
  const std::int64_t start = request.scheduled_start.value_or(now);
  authority::MeetingTimes times;
  times.opens_at = start - request.early_join_minutes * kMinuteMs;
  times.ends_at = request.scheduled_end ? *request.scheduled_end + request.grace_minutes * kMinuteMs : start + kDayMs;
  const std::string passcode = new_room_code();
  Claims host{user_id_of(key.key_id, request.host.id), request.host.name, times.ends_at / 1000 + 3600, std::nullopt,
              std::string("host"), std::nullopt};
  CreateRoomRequest room;
  room.room_name = request.title;
  room.max_participants = request.max_participants;
  room.password = passcode;
  room.settings = request.settings;
  room.meeting = times;
  hub_.create_room(host, std::move(room), [this, key, request, passcode, times, host, done](ApiReply made) {
    if (made.status != 201) return done(std::move(made));
    try {
      const std::string room_code = made.body.value("room_code", "");
      MeetingRecord record;
      record.room_code = room_code;
      record.key_id = key.key_id;
      record.title = request.title;
      record.passcode = passcode;
      record.scheduled_start = request.scheduled_start;
      record.scheduled_end = request.scheduled_end;
      record.host_user_id = host.sub;
      record.created_at = wall_clock_ms();
      json people = json::array();
      json answer_people = json::array();
      const auto person = [&](const MeetingPerson& p, bool is_host) {
        Claims claims{user_id_of(key.key_id, p.id), p.name, times.ends_at / 1000 + 3600, room_code,
                      is_host ? std::optional<std::string>("host") : std::nullopt, std::nullopt};
        people.push_back({{"id", p.id}, {"user_id", claims.sub}, {"name", p.name}, {"role", is_host ? "host" : "participant"}});
        return json{{"id", p.id}, {"user_id", claims.sub}, {"name", p.name}, {"token", mint_token(claims, secret_)}};
      };
      json host_answer = person(request.host, true);
      for (const MeetingPerson& p : request.participants) answer_people.push_back(person(p, false));
      record.people_json = people.dump();
      for (int attempt = 0; attempt < 8; ++attempt) {
        record.meeting_id = "m" + random_token(9);
        if (store_.insert_meeting(record)) break;
        record.meeting_id.clear();
      }
      if (record.meeting_id.empty()) return done(failure(ErrorCode::internal, "Could not find a free meeting id."));
      // A whole address on --public-url, else a path on whatever address the site uses.
      const std::string join_url = config_.public_url + "/video-room/" + record.meeting_id + "?passcode=" + passcode;
      done({201,
            {{"meeting_id", record.meeting_id},
             {"room_code", room_code},
             {"title", record.title},
             {"passcode", passcode},
             {"join_url", join_url},
             {"status", "pending"},
             {"scheduled_start", request.scheduled_start ? json(*request.scheduled_start) : json()},
             {"scheduled_end", request.scheduled_end ? json(*request.scheduled_end) : json()},
             {"opens_at", times.opens_at},
             {"ends_at", times.ends_at},
             {"host", std::move(host_answer)},
             {"participants", std::move(answer_people)}}});
    } catch (const StorageError& error) {
      log::storage_failed("making a meeting", error.what());
      done(failure(error.full() ? ErrorCode::storage_full : ErrorCode::internal, "The server could not store that: nothing was kept."));
    }
  });
}

ApiReply Meetings::status(const ApiKeyRecord& key, const std::string& meeting_id) {
  const auto meeting = protocol::is_id(meeting_id) ? store_.meeting(meeting_id) : std::nullopt;
  if (!meeting || meeting->key_id != key.key_id) return failure(ErrorCode::not_found, "This key made no meeting with that id.");
  const auto room = store_.find_room(meeting->room_code);
  json attended = json::array();
  std::optional<std::int64_t> started, last_left;
  bool someone_in = false;
  for (const ParticipantRecord& p : store_.participants_of(meeting->room_code)) {
    attended.push_back({{"user_id", p.user_id}, {"name", p.display_name}, {"joined_at", p.joined_at},
                        {"left_at", p.left_at ? json(*p.left_at) : json()}});
    started = std::min(started.value_or(p.joined_at), p.joined_at);
    if (p.left_at) last_left = std::max(last_left.value_or(*p.left_at), *p.left_at);
    else someone_in = true;
  }
  const bool over = !room || !room->is_active || (room->meeting_ends_at && wall_clock_ms() >= *room->meeting_ends_at);
  const std::string status = meeting->cancelled_at ? "cancelled" : over ? "completed" : started ? "active" : "pending";
  json people = json::parse(meeting->people_json, nullptr, false);
  return {200,
          {{"meeting_id", meeting->meeting_id},
           {"title", meeting->title},
           {"status", status},
           {"room_code", meeting->room_code},
           {"passcode", meeting->passcode},
           {"scheduled_start", meeting->scheduled_start ? json(*meeting->scheduled_start) : json()},
           {"scheduled_end", meeting->scheduled_end ? json(*meeting->scheduled_end) : json()},
           {"opens_at", room && room->meeting_opens_at ? json(*room->meeting_opens_at) : json()},
           {"ends_at", room && room->meeting_ends_at ? json(*room->meeting_ends_at) : json()},
           {"started_at", started ? json(*started) : json()},
           {"ended_at", over && !someone_in && last_left ? json(*last_left) : json()},
           {"cancelled_at", meeting->cancelled_at ? json(*meeting->cancelled_at) : json()},
           {"people", people.is_discarded() ? json::array() : people},
           {"attended", std::move(attended)}}};
}

ApiReply Meetings::cancel(const ApiKeyRecord& key, const std::string& meeting_id) {
  const auto meeting = protocol::is_id(meeting_id) ? store_.meeting(meeting_id) : std::nullopt;
  if (!meeting || meeting->key_id != key.key_id) return failure(ErrorCode::not_found, "This key made no meeting with that id.");
  const auto room = store_.find_room(meeting->room_code);
  const bool over = !room || !room->is_active || (room->meeting_ends_at && wall_clock_ms() >= *room->meeting_ends_at);
  if (over && !meeting->cancelled_at) return failure(ErrorCode::expired, "This meeting is over: there is nothing to cancel.");
  store_.cancel_meeting(meeting_id, wall_clock_ms());
  if (room && room->is_active) {
    Claims host{meeting->host_user_id, "Host", wall_clock_ms() / 1000 + 60, std::nullopt, std::string("host"), std::nullopt};
    hub_.remove_room(host, meeting->room_code);  // everyone in it is told the room closed
  }
  return status(key, meeting_id);
}

void Meetings::sweep() {
  const auto now = std::chrono::steady_clock::now();
  meetings_per_key_.forget_idle(now);
  passcode_guesses_.forget_idle(now);
}

ApiReply Meetings::access(const std::string& meeting_id, const std::string& passcode, const std::string& address) {
  const auto meeting = protocol::is_id(meeting_id) ? store_.meeting(meeting_id) : std::nullopt;
  if (!meeting) return failure(ErrorCode::room_not_found, "There is no meeting at this link.");
  const std::string guess_key = meeting_id + "|" + address;
  const auto now = std::chrono::steady_clock::now();
  if (const auto wait = passcode_guesses_.wait_for(guess_key, 1, now)) {
    return failure(ErrorCode::rate_limited, "Too many wrong passcodes: wait before trying again.", *wait);
  }
  if (!same_hash(secret_hash(meeting->passcode), secret_hash(passcode))) {
    passcode_guesses_.spend(guess_key, 1, now);
    return failure(ErrorCode::wrong_password, "That passcode is not right: check the link you were sent.");
  }
  const auto room = store_.find_room(meeting->room_code);
  const bool over = !room || !room->is_active || (room->meeting_ends_at && wall_clock_ms() >= *room->meeting_ends_at);
  const bool waiting = room && room->meeting_opens_at && wall_clock_ms() < *room->meeting_opens_at;
  return {200,
          {{"meeting_id", meeting->meeting_id},
           {"title", meeting->title},
           {"status", meeting->cancelled_at ? "cancelled" : over ? "completed" : waiting ? "waiting" : "open"},
           {"room_code", meeting->room_code},
           {"scheduled_start", meeting->scheduled_start ? json(*meeting->scheduled_start) : json()},
           {"scheduled_end", meeting->scheduled_end ? json(*meeting->scheduled_end) : json()},
           {"opens_at", room && room->meeting_opens_at ? json(*room->meeting_opens_at) : json()},
           {"ends_at", room && room->meeting_ends_at ? json(*room->meeting_ends_at) : json()},
           {"now", wall_clock_ms()}}};
}

}  // namespace mehfil::server
