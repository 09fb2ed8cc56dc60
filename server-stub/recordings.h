// Recordings: the server's side of recording a room, the I/O the recording rules decide
// (authority/recording_rules.h). It keeps each recording's row as the room's rules change it, takes
// the recorder's uploaded chunks into segment files, finishes a stopped recording into one seekable
// WebM with a poster (recording_file.h, on its own worker thread), and answers the REST routes that
// list, play and delete recordings.
//
// Files live under the data directory (beside the database): recordings/<id>/<segment>.webm while
// uploading, recordings/<id>.webm and recordings/<id>.jpg once finished. Ids are the room's rules'
// ("<room code>-<ms>"), checked before they become paths.
//
//   PUT    /api/recordings/:id/chunks?segment=S&offset=N[&final=1]   body: the bytes  -> {segment, size}
//   GET    /api/rooms/:code/recordings                                -> {recordings: [...]}
//   GET    /api/user/recordings           every room's the user may see (Your Rooms → Recordings)
//   GET    /api/recordings/:id            the file (Range works)      (members; ?token= for <video>)
//   GET    /api/recordings/:id/poster     the poster JPEG
//   DELETE /api/recordings/:id                                        (the room's host)
//
// Runs on the I/O thread like RoomHub; finishing comes back to it through `io`.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "room_hub.h"
#include "store.h"
#include "tokens.h"

namespace mehfil::server {

// A chunk upload's query (api_routes.cpp parses it).
struct ChunkUpload {
  std::string segment;
  std::int64_t offset = 0;
  bool final = false;
};

class Recordings {
 public:
  // `directory`: where the files go; `retention_days` 0 keeps them; `room_cap_bytes` 0: no cap;
  // `secret` signs the passes each listed recording carries (`media_token`).
  Recordings(Store& store, boost::asio::io_context& io, std::string directory, int retention_days,
             std::int64_t room_cap_bytes, std::string secret);
  ~Recordings();
  Recordings(const Recordings&) = delete;
  Recordings& operator=(const Recordings&) = delete;

  // The room's rules changed its recording (authority::SaveRecording).
  void saved(const std::string& room_code, const authority::Recording& recording);

  ApiReply upload(const Claims& user, const std::string& recording_id, const ChunkUpload& chunk, const std::string& bytes);
  ApiReply list(const Claims& user, const std::string& room_code);
  ApiReply of_user(const Claims& user);  // every room's they may see, newest first (Your Rooms)
  // The finished file (or its poster) for a member; `range` is the request's Range header.
  ApiReply file(const Claims& user, const std::string& recording_id, bool poster, const std::string& range);
  ApiReply remove(const Claims& user, const std::string& recording_id);

  // Retention: recordings older than the flag's days go. The hub's sweep calls it.
  void sweep(std::int64_t now);

 private:
  std::string segment_path(const std::string& recording_id, const std::string& segment) const;
  std::string file_path(const std::string& recording_id, bool poster) const;
  // Finishes it if the rules say it is ready, else makes sure a timer looks again when the grace ends.
  void finish_if_ready(const std::string& recording_id);
  void delete_files(const std::string& recording_id);
  nlohmann::json listed(const Claims& user, const std::string& room_code);  // [] when they may not
  std::optional<ApiReply> may_see(const Claims& user, const std::string& room_code, authority::RecordingAccess access);

  Store& store_;
  boost::asio::io_context& io_;
  std::string directory_;
  int retention_days_;
  std::int64_t room_cap_bytes_;
  std::string secret_;
  boost::asio::thread_pool finisher_{1};
  std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> grace_timers_;  // stopping recordings
  std::map<std::string, bool> finishing_;  // handed to the finisher, not back yet
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace mehfil::server
