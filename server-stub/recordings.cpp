// Recordings (recordings.h): rows, chunk files, finishing, and the REST answers.
#include "recordings.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "http_range.h"
#include "log.h"
#include "protocol/validation.h"
#include "recording_file.h"

namespace mehfil::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using protocol::ErrorCode;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr std::int64_t kPassSeconds = 2 * 3600;

ApiReply refused(ErrorCode code, std::string message) { return RoomHub::refusal({code, std::move(message), std::nullopt}); }

// "<room code>-<ms>": checked before it becomes part of a path.
bool is_recording_id(const std::string& id) {
  const auto dash = id.find('-');
  return dash != std::string::npos && protocol::is_room_code(id.substr(0, dash)) && dash + 1 < id.size() &&
         id.size() - dash <= 20 && id.find_first_not_of("0123456789", dash + 1) == std::string::npos;
}

// Writes `bytes` at `offset` of the file, cutting off anything past the offset first (bytes a crash
// wrote after the store last counted them). Durable before it returns.
bool write_at(const std::string& path, std::int64_t offset, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return false;
  bool ok = ::ftruncate(fd, offset) == 0;
  for (std::size_t done = 0; ok && done < bytes.size();) {
    const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fdatasync(fd) == 0;
  ::close(fd);
  return ok;
}

// One recording as a member sees it; `can_delete` is what the access rule says for them.
json to_json(const RecordingRecord& r, const std::string& room_name, bool can_delete) {
  return {{"recording_id", r.facts.recording_id}, {"room_code", r.facts.room_code}, {"room_name", room_name},
          {"started_by", r.facts.started_by}, {"state", r.facts.state}, {"started_at", r.started_at},
          {"duration_ms", r.duration_ms}, {"size_bytes", r.size_bytes}, {"has_poster", r.has_poster},
          {"can_delete", can_delete}};
}

}  // namespace

Recordings::Recordings(Store& store, boost::asio::io_context& io, std::string directory, int retention_days,
                       std::int64_t room_cap_bytes, std::string secret)
    : store_(store), io_(io), directory_(std::move(directory)), retention_days_(retention_days), room_cap_bytes_(room_cap_bytes),
      secret_(std::move(secret)) {
  std::error_code ec;
  fs::create_directories(directory_, ec);
  // The server stopped while these were being made (a restart ends a recording): keep what came.
  try {
    for (const std::string& id : store_.unfinished_recordings()) {
      if (auto record = store_.find_recording(id)) {
        authority::Recording stopped{id, "off", record->facts.recorder_user_id, record->started_at};
        store_.save_recording(record->facts.room_code, stopped, now_ms() - authority::kFinishGraceMs);
        finish_if_ready(id);
      }
    }
  } catch (const StorageError& error) {
    log::storage_failed("finishing recordings at start", error.what());
  }
}

Recordings::~Recordings() {
  *alive_ = false;
  finisher_.join();
}

std::string Recordings::segment_path(const std::string& recording_id, const std::string& segment) const {
  return directory_ + "/" + recording_id + "/" + segment + ".webm";
}

std::string Recordings::file_path(const std::string& recording_id, bool poster) const {
  return directory_ + "/" + recording_id + (poster ? ".jpg" : ".webm");
}

void Recordings::saved(const std::string& room_code, const authority::Recording& recording) {
  try {
    store_.save_recording(room_code, recording, now_ms());
    if (recording.state == "off") finish_if_ready(recording.id);
  } catch (const StorageError& error) {
    log::storage_failed("keeping a recording's state", error.what());
  }
}

void Recordings::finish_if_ready(const std::string& recording_id) {
  const auto record = store_.find_recording(recording_id);
  if (!record || record->facts.state != "stopping" || finishing_.count(recording_id)) return;
  const std::int64_t now = now_ms();
  if (!authority::ready_to_finish(record->facts, now)) {
    // The last chunk may still come; the rules' grace decides when to go ahead without it.
    auto& timer = grace_timers_[recording_id];
    if (!timer) {
      timer = std::make_unique<boost::asio::steady_timer>(io_);
      timer->expires_after(std::chrono::milliseconds(authority::finish_deadline(record->facts) - now));
      timer->async_wait([this, recording_id, alive = alive_](boost::system::error_code ec) {
        if (ec || !*alive) return;
        grace_timers_.erase(recording_id);
        try {
          finish_if_ready(recording_id);
        } catch (const StorageError& error) {
          log::storage_failed("finishing a recording", error.what());
        }
      });
    }
    return;
  }
  grace_timers_.erase(recording_id);
  finishing_[recording_id] = true;
  std::vector<std::string> segments;
  for (const auto& segment : record->facts.segments) segments.push_back(segment_path(recording_id, segment.segment));
  boost::asio::post(finisher_, [this, recording_id, segments, alive = alive_, out = file_path(recording_id, false),
                                poster = file_path(recording_id, true)]() {
    const FinishedFile finished = finish_recording_file(segments, out, poster);
    boost::asio::post(io_, [this, recording_id, finished, alive]() {
      if (!*alive) return;
      finishing_.erase(recording_id);
      if (finished.ok) {
        std::error_code ec;
        fs::remove_all(directory_ + "/" + recording_id, ec);  // the segments are in the file now
        spdlog::info("recording {} finished: {} ms, {} bytes", recording_id, finished.duration_ms, finished.size_bytes);
      } else {
        spdlog::warn("recording {} could not be finished: {}", recording_id, finished.problem);
      }
      try {
        store_.finish_recording(recording_id, finished.ok ? "ready" : "failed", finished.duration_ms,
                                finished.size_bytes, finished.has_poster);
      } catch (const StorageError& error) {
        log::storage_failed("finishing a recording", error.what());
      }
    });
  });
}

ApiReply Recordings::upload(const Claims& user, const std::string& recording_id, const ChunkUpload& upload,
                            const std::string& bytes) {
  const auto record = is_recording_id(recording_id) ? store_.find_recording(recording_id) : std::nullopt;
  const authority::RecordingFacts facts = record ? record->facts : authority::RecordingFacts{};
  const authority::Chunk chunk{user.sub, upload.segment, upload.offset, static_cast<std::int64_t>(bytes.size()), upload.final};
  const authority::ChunkLimits limits{authority::kMaxChunkBytes, room_cap_bytes_,
                                      record && room_cap_bytes_ > 0 ? store_.room_recording_bytes(facts.room_code) : 0};
  if (finishing_.count(recording_id)) {  // ffmpeg has its segments: as good as finished
    return RoomHub::refusal({protocol::ErrorCode::recording_stopped, "This recording is finished: nothing more can be added.", std::nullopt});
  }
  const auto decision = authority::check_chunk(facts, chunk, limits);
  if (const auto* no = std::get_if<authority::ChunkRefusal>(&decision)) {
    ApiReply reply = RoomHub::refusal(no->problem);
    if (no->resume_at) reply.body["error"]["size"] = *no->resume_at;
    return reply;
  }
  const auto& ok = std::get<authority::ChunkDecision>(decision);
  const auto segment = std::find_if(facts.segments.begin(), facts.segments.end(),
                                    [&](const auto& s) { return s.segment == upload.segment; });
  const std::int64_t stored = segment == facts.segments.end() ? 0 : segment->size;
  if (ok.duplicate) return {200, {{"segment", upload.segment}, {"size", stored}, {"duplicate", true}}};
  std::error_code ec;
  fs::create_directories(directory_ + "/" + recording_id, ec);
  if (!write_at(segment_path(recording_id, upload.segment), upload.offset, bytes)) {
    spdlog::error("recording {}: could not write a chunk: {}", recording_id, std::strerror(errno));
    return errno == ENOSPC ? refused(ErrorCode::storage_full, "The server's disk is full: the chunk was not kept.")
                           : refused(ErrorCode::internal, "The server could not keep the chunk.");
  }
  const std::int64_t size = upload.offset + static_cast<std::int64_t>(bytes.size());
  store_.save_chunk(recording_id, {upload.segment, user.sub, size, ok.finishes_segment}, now_ms());
  if (ok.finishes_segment) finish_if_ready(recording_id);  // else a grace timer waits, and now longer (finish_deadline)
  return {200, {{"segment", upload.segment}, {"size", size}}};
}

std::optional<ApiReply> Recordings::may_see(const Claims& user, const std::string& room_code, authority::RecordingAccess access) {
  if (auto problem = authority::check_recording_access(access, store_.recording_viewer(room_code, user.sub))) {
    return RoomHub::refusal(*problem);
  }
  return std::nullopt;
}

ApiReply Recordings::list(const Claims& user, const std::string& room_code) {
  if (auto no = may_see(user, room_code, authority::RecordingAccess::list)) return *no;
  return {200, {{"room_code", room_code}, {"recordings", listed(user, room_code)}}};
}

json Recordings::listed(const Claims& user, const std::string& room_code) {
  json recordings = json::array();
  const auto viewer = store_.recording_viewer(room_code, user.sub);
  if (authority::check_recording_access(authority::RecordingAccess::list, viewer)) return recordings;
  const bool can_delete = !authority::check_recording_access(authority::RecordingAccess::remove, viewer);
  const auto room = store_.find_room(room_code);
  for (const RecordingRecord& record : store_.recordings_of_room(room_code)) {
    json row = to_json(record, room ? room->room_name : "", can_delete);
    // The pass a <video> or <img> loads it with: this recording only, for two hours, for this member.
    Claims pass{user.sub, user.name, now_ms() / 1000 + kPassSeconds, room_code, std::nullopt, std::nullopt,
                record.facts.recording_id};
    row["media_token"] = mint_token(pass, secret_);
    recordings.push_back(std::move(row));
  }
  return recordings;
}

ApiReply Recordings::of_user(const Claims& user) {
  json recordings = json::array();
  for (const auto& rooms : {store_.rooms_hosted_by(user.sub), store_.rooms_joined_by(user.sub)}) {
    for (const RoomRecord& room : rooms) {
      for (json& recording : listed(user, room.room_code)) recordings.push_back(std::move(recording));
    }
  }
  std::sort(recordings.begin(), recordings.end(),
            [](const json& a, const json& b) { return a["started_at"].get<std::int64_t>() > b["started_at"].get<std::int64_t>(); });
  if (recordings.size() > 200) recordings.erase(recordings.begin() + 200, recordings.end());
  return {200, {{"recordings", std::move(recordings)}}};
}

ApiReply Recordings::file(const Claims& user, const std::string& recording_id, bool poster, const std::string& range) {
  const auto record = is_recording_id(recording_id) ? store_.find_recording(recording_id) : std::nullopt;
  if (!record || record->facts.state == "deleted") return refused(ErrorCode::not_found, "There is no such recording.");
  if (auto no = may_see(user, record->facts.room_code, authority::RecordingAccess::watch)) return *no;
  if (record->facts.state != "ready" || (poster && !record->has_poster)) {
    return refused(ErrorCode::not_found, "The recording is not ready yet.");
  }
  const std::string path = file_path(recording_id, poster);
  std::error_code ec;
  const std::uint64_t total = fs::file_size(path, ec);
  if (ec) return refused(ErrorCode::not_found, "The recording's file is missing.");
  FileSlice slice{path, poster ? "image/jpeg" : "video/webm", 0, total, total, false};
  if (const auto wanted = parse_range(range, total)) {
    if (wanted->unsatisfiable) {
      ApiReply reply = refused(ErrorCode::bad_request, "The range is past the end of the file.");
      reply.status = 416;
      reply.file = FileSlice{path, "", 0, 0, total, true};  // for Content-Range: bytes */total
      return reply;
    }
    slice = {path, slice.content_type, wanted->first, wanted->last - wanted->first + 1, total, true};
  }
  ApiReply reply{slice.partial ? 206u : 200u, json::object(), std::nullopt, slice};
  return reply;
}

ApiReply Recordings::remove(const Claims& user, const std::string& recording_id) {
  const auto record = is_recording_id(recording_id) ? store_.find_recording(recording_id) : std::nullopt;
  if (!record || record->facts.state == "deleted") return refused(ErrorCode::not_found, "There is no such recording.");
  if (auto no = may_see(user, record->facts.room_code, authority::RecordingAccess::remove)) return *no;
  if (record->facts.state != "ready" && record->facts.state != "failed") {
    return refused(ErrorCode::bad_request, "Stop the recording before deleting it.");
  }
  store_.finish_recording(recording_id, "deleted", record->duration_ms, 0, false);
  delete_files(recording_id);
  return {200, {{"recording_id", recording_id}, {"deleted", true}}};
}

void Recordings::delete_files(const std::string& recording_id) {
  std::error_code ec;
  fs::remove(file_path(recording_id, false), ec);
  fs::remove(file_path(recording_id, true), ec);
  fs::remove_all(directory_ + "/" + recording_id, ec);
}

void Recordings::sweep(std::int64_t now) {
  if (retention_days_ <= 0) return;
  for (const std::string& id : store_.recordings_started_before(now - std::int64_t{retention_days_} * 24 * 3600 * 1000)) {
    store_.finish_recording(id, "deleted", 0, 0, false);
    delete_files(id);
  }
}

}  // namespace mehfil::server
