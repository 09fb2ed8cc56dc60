// Profiles (profiles.h): the name, the picture and the room history of an account.
#include "profiles.h"

#include <filesystem>
#include <fstream>

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

// Writes `bytes` to `path` whole or not at all: a reader never sees half a picture.
bool write_whole(const std::string& path, const std::string& bytes) {
  const std::string partial = path + ".part";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file) return false;
  }
  std::error_code ec;
  fs::rename(partial, path, ec);
  return !ec;
}

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

Profiles::Profiles(Store& store, boost::asio::io_context& io, std::string avatar_dir)
    : store_(store), io_(io), avatar_dir_(std::move(avatar_dir)), uploads_per_user_(kAvatarUploadsPerHour, std::chrono::hours(1)) {}

Profiles::~Profiles() {
  *alive_ = false;
  converter_.join();
}

std::optional<ApiReply> Profiles::account_only(const Claims& user) {
  if (user.sid && store_.account_of(user.sub)) return std::nullopt;
  return failure(403, ErrorCode::account_required, "Create an account to choose your name and picture here.");
}

std::string Profiles::avatar_path(const std::string& user_id) const {
  return (fs::path(avatar_dir_) / (user_id + ".webp")).string();
}

ApiReply Profiles::rename(const Claims& user, const std::string& display_name) {
  if (auto refused = account_only(user)) return *refused;
  store_.rename_user(user.sub, display_name);
  return {200, {{"display_name", display_name}}};
}

void Profiles::set_avatar(const Claims& user, std::string upload, ApiCallback done) {
  if (auto refused = account_only(user)) return done(*refused);
  if (upload.empty()) return done(failure(400, ErrorCode::bad_image, "Send the picture as the request's body."));
  if (!picture_demuxer(upload)) {
    return done(failure(400, ErrorCode::bad_image, "That is not a picture we can use: choose a PNG, JPEG, WebP or GIF."));
  }
  if (auto wait = uploads_per_user_.take(user.sub, 1, KeyedBuckets::Clock::now())) {
    return done(failure(ErrorCode::rate_limited, "You changed your picture many times: try again later.", *wait));
  }
  if (queued_ >= kMaxQueuedAvatars) {
    return done(failure(ErrorCode::rate_limited, "The server is busy with other pictures: try again in a moment.", 2));
  }
  ++queued_;
  const std::string user_id = user.sub;
  boost::asio::post(converter_, [this, user_id, upload = std::move(upload), done = std::move(done), alive = alive_]() mutable {
    AvatarImage made = make_avatar(upload, avatar_dir_);
    const bool saved = !made.webp.empty() && write_whole(avatar_path(user_id), made.webp);
    boost::asio::post(io_, [this, user_id, made = std::move(made), saved, done = std::move(done), alive]() {
      if (!*alive) return;
      --queued_;
      if (made.webp.empty()) {
        spdlog::info("an avatar upload of {} was refused: {}", user_id, made.problem);
        return done(failure(400, ErrorCode::bad_image, "That picture could not be read: choose another PNG, JPEG, WebP or GIF."));
      }
      if (!saved) {
        spdlog::error("an avatar could not be saved under {}", avatar_dir_);
        return done(failure(500, ErrorCode::internal, "The server could not keep your picture: nothing changed."));
      }
      try {
        const std::int64_t version = wall_clock_ms();
        store_.set_avatar_version(user_id, version);
        done({200, {{"avatar_url", avatar_url(user_id, version)}}});
      } catch (const StorageError& error) {
        log::storage_failed("saving an avatar", error.what());
        done(failure(500, ErrorCode::internal, "The server could not keep your picture: nothing changed."));
      }
    });
  });
}

ApiReply Profiles::remove_avatar(const Claims& user) {
  if (auto refused = account_only(user)) return *refused;
  store_.set_avatar_version(user.sub, std::nullopt);
  std::error_code ec;
  fs::remove(avatar_path(user.sub), ec);
  return {200, {{"avatar_url", nullptr}}};
}

ApiReply Profiles::history(const Claims& user) {
  const std::int64_t now = wall_clock_ms();
  json rooms = json::array();
  for (const RoomVisitRecord& visit : store_.room_history(user.sub, kRoomHistoryLength)) rooms.push_back(visit_json(visit, now));
  return {200, {{"rooms", std::move(rooms)}}};
}

ApiReply Profiles::avatar_file(const std::string& user_id) {
  const auto missing = [] { return failure(404, ErrorCode::not_found, "This person has no picture."); };
  if (!protocol::is_id(user_id) || !store_.avatar_version(user_id)) return missing();
  std::error_code ec;
  const std::string path = avatar_path(user_id);
  const auto size = fs::file_size(path, ec);
  if (ec) return missing();
  ApiReply reply;
  reply.file = FileSlice{path, "image/webp", 0, size, size, false};
  return reply;
}

}  // namespace mehfil::server
