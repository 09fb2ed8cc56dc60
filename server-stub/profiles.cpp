// Profiles (profiles.h): the name, the picture and the room history of an account.
#include "profiles.h"

#include <filesystem>

#include <boost/asio/post.hpp>

#include "api_fields.h"
#include "avatar_image.h"
#include "log.h"
#include "wall_clock.h"

namespace mehfil::server {
namespace {

using api::failure;
using nlohmann::json;
using protocol::ErrorCode;
namespace fs = std::filesystem;

json visit_json(const RoomVisitRecord& v, std::int64_t now) {
  const bool in_room = v.last_joined_at && !v.left_at && v.is_active;
  const std::int64_t spent = v.time_in_room_ms + (in_room ? std::max<std::int64_t>(0, now - *v.last_joined_at) : 0);
  const auto optional = [](const std::optional<std::int64_t>& at) { return at ? json(*at) : json(); };
  return {{"room_code", v.room_code},
          {"room_name", v.room_name},
          {"kind", v.is_call ? "call" : v.is_meeting ? "meeting" : "room"},
          {"created", v.created},
          {"created_at", v.created_at},
          {"first_joined_at", optional(v.first_joined_at)},
          {"last_joined_at", optional(v.last_joined_at)},
          {"left_at", optional(v.left_at)},
          {"in_room_now", in_room},
          {"time_in_room_ms", spent},
          {"is_active", v.is_active},
          {"removed", v.removed}};
}

}  // namespace

json avatar_url(const std::string& user_id, std::optional<std::int64_t> version) {
  if (!version) return nullptr;
  return "/api/avatars/" + user_id + "?v=" + std::to_string(*version);
}

Profiles::Profiles(Store& store, boost::asio::io_context& io, std::string avatar_dir,
                   std::function<void(const std::string&, const std::string&)> renamed)
    : store_(store),
      io_(io),
      avatar_dir_(std::move(avatar_dir)),
      scratch_dir_((fs::path(avatar_dir_) / "tmp").string()),
      renamed_(std::move(renamed)),
      uploads_per_user_(kAvatarUploadsPerHour, std::chrono::hours(1)) {
  std::error_code ec;
  fs::remove_all(scratch_dir_, ec);  // what a stopped server left half made
}

Profiles::~Profiles() {
  *alive_ = false;
  converter_.join();
}

std::optional<ApiReply> Profiles::account_only(const Claims& user) {
  if (user.sid && store_.account_of(user.sub)) return std::nullopt;
  return failure(ErrorCode::account_required, "Create an account to choose your name and picture here.");
}

std::string Profiles::avatar_path(const std::string& user_id, std::int64_t version) const {
  return (fs::path(avatar_dir_) / (user_id + "-" + std::to_string(version) + ".webp")).string();
}

ApiReply Profiles::rename(const Claims& user, const std::string& display_name) {
  if (auto refused = account_only(user)) return *refused;
  store_.rename_user(user.sub, display_name);
  renamed_(user.sub, display_name);
  return {200, {{"display_name", display_name}}};
}

void Profiles::set_avatar(const Claims& user, std::string upload, ApiCallback done) {
  if (auto refused = account_only(user)) return done(*refused);
  if (!picture_demuxer(upload)) {
    return done(failure(ErrorCode::bad_image, "That is not a picture we can use: choose a PNG, JPEG, WebP or GIF."));
  }
  if (auto wait = uploads_per_user_.take(user.sub, 1, KeyedBuckets::Clock::now())) {
    return done(failure(ErrorCode::rate_limited, "You changed your picture many times: try again later.", *wait));
  }
  if (queued_ >= kMaxQueuedAvatars) {
    return done(failure(ErrorCode::rate_limited, "The server is busy with other pictures: try again in a moment.", 2));
  }
  ++queued_;
  const std::string user_id = user.sub;
  const std::int64_t version = wall_clock_ms();
  boost::asio::post(converter_, [this, user_id, version, upload = std::move(upload), done = std::move(done), alive = alive_]() mutable {
    AvatarImage made;
    try {
      made = make_avatar(upload, scratch_dir_, avatar_path(user_id, version));
    } catch (const std::exception& error) {  // out of memory, a filesystem error: this picture alone fails
      made.problem = error.what();
    }
    boost::asio::post(io_, [this, user_id, version, made = std::move(made), done = std::move(done), alive]() {
      if (*alive) avatar_made(user_id, version, made, done);
    });
  });
}

void Profiles::avatar_made(const std::string& user_id, std::int64_t version, const AvatarImage& made, const ApiCallback& done) {
  --queued_;
  if (!made.ok) {
    spdlog::info("an avatar upload of {} was refused: {}", user_id, made.problem);
    return done(failure(ErrorCode::bad_image, "That picture could not be read: choose another PNG, JPEG, WebP or GIF."));
  }
  std::error_code ec;
  try {
    const auto before = store_.avatar_version(user_id);
    store_.set_avatar_version(user_id, version);
    if (before) fs::remove(avatar_path(user_id, *before), ec);
    done({200, {{"avatar_url", avatar_url(user_id, version)}}});
  } catch (const StorageError& error) {
    log::storage_failed("saving an avatar", error.what());
    fs::remove(avatar_path(user_id, version), ec);
    done(failure(error.full() ? ErrorCode::storage_full : ErrorCode::internal, "The server could not keep your picture: nothing changed."));
  }
}

ApiReply Profiles::remove_avatar(const Claims& user) {
  if (auto refused = account_only(user)) return *refused;
  const auto before = store_.avatar_version(user.sub);
  store_.set_avatar_version(user.sub, std::nullopt);
  std::error_code ec;
  if (before) fs::remove(avatar_path(user.sub, *before), ec);
  return {200, {{"avatar_url", nullptr}}};
}

ApiReply Profiles::history(const Claims& user) {
  const std::int64_t now = wall_clock_ms();
  json rooms = json::array();
  for (const RoomVisitRecord& visit : store_.room_history(user.sub, kRoomHistoryLength)) rooms.push_back(visit_json(visit, now));
  return {200, {{"rooms", std::move(rooms)}}};
}

ApiReply Profiles::avatar_file(const std::string& user_id, const std::string& version) {
  const auto missing = [] { return failure(ErrorCode::not_found, "This person has no picture."); };
  const auto current = protocol::is_id(user_id) ? store_.avatar_version(user_id) : std::nullopt;
  if (!current) return missing();
  std::error_code ec;
  const std::string path = avatar_path(user_id, *current);
  const auto size = fs::file_size(path, ec);
  if (ec) return missing();
  ApiReply reply;
  reply.file = FileSlice{path, "image/webp", 0, size, size, false};
  // The address of this very picture never shows another: browsers keep it. Any other asks again.
  if (version == std::to_string(*current)) reply.file->cache_control = "public, max-age=31536000, immutable";
  return reply;
}

void Profiles::sweep() { uploads_per_user_.forget_idle(KeyedBuckets::Clock::now()); }

}  // namespace mehfil::server
