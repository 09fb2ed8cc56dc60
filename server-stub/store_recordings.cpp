// Store (store.h): recordings and their uploaded segments. Split from store.cpp, which keeps the
// schema and the rooms.
#include "store.h"

#include "store_statement.h"

namespace mehfil::server {

void Store::save_recording(const std::string& room_code, const authority::Recording& r, std::int64_t now) {
  if (r.id.empty()) return;
  // "off" from the room means the browser may still be sending its last chunk: "stopping".
  const std::string state = r.state == "off" ? "stopping" : r.state;
  Statement(*this,
            "INSERT INTO recordings (recording_id, room_code, started_by, recorder_user_id, state, started_at, stopped_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recording_id) DO UPDATE SET "
            "recorder_user_id = excluded.recorder_user_id, state = excluded.state, stopped_at = excluded.stopped_at "
            "WHERE recordings.state IN ('recording', 'paused')")
      .bind(r.id).bind(room_code).bind(r.recorder_user_id).bind(r.recorder_user_id).bind(state).bind(r.started_at)
      .bind(state == "stopping" ? now : std::int64_t{0})
      .run();
}

std::optional<RecordingRecord> Store::find_recording(const std::string& recording_id) {
  Statement query(*this, "SELECT recording_id, room_code, started_by, state, recorder_user_id, stopped_at, started_at, "
                         "duration_ms, size_bytes, has_poster FROM recordings WHERE recording_id = ?");
  query.bind(recording_id);
  if (!query.step()) return std::nullopt;
  RecordingRecord record{{query.text(0), query.text(1), query.text(2), query.text(3), query.text(4), query.integer(5), {}},
                         query.integer(6), query.integer(7), query.integer(8), query.integer(9) != 0};
  Statement segments(*this, "SELECT segment, owner_user_id, size, final, last_chunk_at FROM recording_segments "
                            "WHERE recording_id = ? ORDER BY opened_at, rowid");
  segments.bind(recording_id);
  while (segments.step()) {
    record.facts.segments.push_back(
        {segments.text(0), segments.text(1), segments.integer(2), segments.integer(3) != 0, segments.integer(4)});
  }
  return record;
}

std::vector<RecordingRecord> Store::recordings_of_room(const std::string& room_code) {
  std::vector<std::string> ids;
  {
    Statement query(*this, "SELECT recording_id FROM recordings WHERE room_code = ? AND state != 'deleted' "
                           "ORDER BY started_at DESC LIMIT 200");
    query.bind(room_code);
    while (query.step()) ids.push_back(query.text(0));
  }
  std::vector<RecordingRecord> records;
  for (const std::string& id : ids) {
    if (auto record = find_recording(id)) records.push_back(std::move(*record));
  }
  return records;
}

std::vector<std::string> Store::unfinished_recordings() {
  Statement query(*this, "SELECT recording_id FROM recordings WHERE state IN ('recording', 'paused', 'stopping')");
  std::vector<std::string> ids;
  while (query.step()) ids.push_back(query.text(0));
  return ids;
}

void Store::save_chunk(const std::string& recording_id, const authority::SegmentFacts& s, std::int64_t now) {
  Statement(*this, "INSERT INTO recording_segments (recording_id, segment, owner_user_id, size, final, opened_at, last_chunk_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recording_id, segment) DO UPDATE SET "
                   "size = excluded.size, final = excluded.final, last_chunk_at = excluded.last_chunk_at")
      .bind(recording_id).bind(s.segment).bind(s.owner_user_id).bind(s.size).bind(s.final).bind(now).bind(now)
      .run();
}

void Store::finish_recording(const std::string& recording_id, const std::string& state, std::int64_t duration_ms,
                             std::int64_t size_bytes, bool has_poster) {
  Statement(*this, "UPDATE recordings SET state = ?, duration_ms = ?, size_bytes = ?, has_poster = ? WHERE recording_id = ?")
      .bind(state).bind(duration_ms).bind(size_bytes).bind(has_poster).bind(recording_id)
      .run();
}

std::int64_t Store::room_recording_bytes(const std::string& room_code) {
  Statement query(*this,
                  "SELECT COALESCE(SUM(CASE WHEN r.state = 'ready' THEN r.size_bytes ELSE "
                  "(SELECT COALESCE(SUM(s.size), 0) FROM recording_segments s WHERE s.recording_id = r.recording_id) END), 0) "
                  "FROM recordings r WHERE r.room_code = ? AND r.state IN ('recording', 'paused', 'stopping', 'ready')");
  query.bind(room_code);
  return query.step() ? query.integer(0) : 0;
}

std::vector<std::string> Store::recordings_started_before(std::int64_t before) {
  Statement query(*this, "SELECT recording_id FROM recordings WHERE state IN ('ready', 'failed') AND started_at < ? "
                         "ORDER BY started_at LIMIT 500");
  query.bind(before);
  std::vector<std::string> ids;
  while (query.step()) ids.push_back(query.text(0));
  return ids;
}

authority::RecordingViewer Store::recording_viewer(const std::string& room_code, const std::string& user_id) {
  authority::RecordingViewer viewer;
  Statement host(*this, "SELECT host_user_id FROM rooms WHERE room_code = ?");
  host.bind(room_code);
  viewer.is_room_host = host.step() && host.text(0) == user_id;
  Statement member(*this, "SELECT is_kicked FROM room_participants WHERE room_code = ? AND user_id = ?");
  member.bind(room_code).bind(user_id);
  if (member.step()) {
    viewer.was_member = true;
    viewer.was_kicked = member.integer(0) != 0;
  }
  return viewer;
}

}  // namespace mehfil::server
