// Profiles: what an account shows of itself, and where it has been.
//
//   display name   changed by its owner; the access tokens minted after carry it, every account's
//                  token is read with the current name (authenticate, api_routes.h), and the
//                  account's open sockets take it (RoomHub::rename_user), so its other devices act
//                  under the new name; a room it is in shows it when it joins again
//   avatar         an uploaded picture, re-made on the server (avatar_image.h) and kept as
//                  <data>/avatars/<user id>-<version>.webp; without one the site shows the initials.
//                  Served to anyone at /api/avatars/<user id>?v=<version>, like a name: an <img>
//                  sends no token. Each upload is a new version (its file first, then the store, then
//                  the old file goes), so an address always shows the one picture, and may be cached
//   room history   the rooms they made and the rooms they were in, with when and for how long (the
//                  store adds up each stay as it ends: Store::upsert_participant)
//
// The name and the picture belong to accounts: a guest gets `account_required` (their name is in
// their guest token, and a guest who registers keeps their history). Uploads are limited per user
// (kAvatarUploadsPerHour) and the pictures are made one at a time on a thread of their own, a few
// queued at most; beyond that, `rate_limited`.
//
// Runs on the I/O thread; pictures come back to it through `io`.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "avatar_image.h"
#include "rate_limiter.h"
#include "room_hub.h"
#include "store.h"
#include "tokens.h"

namespace mehfil::server {

inline constexpr int kAvatarUploadsPerHour = 20;
inline constexpr int kMaxQueuedAvatars = 4;
inline constexpr int kRoomHistoryLength = 100;

// The avatar's address for a version, or null (JSON) for none.
nlohmann::json avatar_url(const std::string& user_id, std::optional<std::int64_t> version);

class Profiles {
 public:
  // `renamed` tells the hub (RoomHub::rename_user).
  Profiles(Store& store, boost::asio::io_context& io, std::string avatar_dir,
           std::function<void(const std::string& user_id, const std::string& display_name)> renamed);
  ~Profiles();

  ApiReply rename(const Claims& user, const std::string& display_name);  // PATCH /api/profile (name checked)
  void set_avatar(const Claims& user, std::string upload, ApiCallback done);  // PUT /api/profile/avatar
  ApiReply remove_avatar(const Claims& user);                              // DELETE /api/profile/avatar
  ApiReply history(const Claims& user);                                    // GET /api/profile/history
  // GET /api/avatars/:user_id?v=…: the current picture; kept by browsers when `version` is its own.
  ApiReply avatar_file(const std::string& user_id, const std::string& version);
  // Forgets the upload budgets that are full again (the server's sweeper calls it).
  void sweep();

 private:
  std::optional<ApiReply> account_only(const Claims& user);
  std::string avatar_path(const std::string& user_id, std::int64_t version) const;
  // Back on the I/O thread with a picture made (or not) for `user_id` as `version`.
  void avatar_made(const std::string& user_id, std::int64_t version, const AvatarImage& made, const ApiCallback& done);

  Store& store_;
  boost::asio::io_context& io_;
  std::string avatar_dir_;
  std::string scratch_dir_;  // uploads on their way: emptied at start
  std::function<void(const std::string&, const std::string&)> renamed_;
  KeyedBuckets uploads_per_user_;
  int queued_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  boost::asio::thread_pool converter_{1};  // last: joined before the rest goes
};

}  // namespace mehfil::server
