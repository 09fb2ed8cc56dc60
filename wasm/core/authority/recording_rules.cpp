// RecordingRules (recording_rules.h): the chunk table, when a recording can be finished, and access.
#include "authority/recording_rules.h"

#include <algorithm>

namespace mehfil::authority {
namespace {

using protocol::ErrorCode;

ChunkRefusal refusal(ErrorCode code, std::string message, std::optional<std::int64_t> resume_at = std::nullopt) {
  return {Problem{code, std::move(message), std::nullopt}, resume_at};
}

const SegmentFacts* find_segment(const RecordingFacts& recording, const std::string& name) {
  const auto it = std::find_if(recording.segments.begin(), recording.segments.end(),
                               [&](const SegmentFacts& s) { return s.segment == name; });
  return it == recording.segments.end() ? nullptr : &*it;
}

// Whether the recorder of the moment opened a segment yet: once stopped, the recorder may still open
// its first one (that chunk was on its way when the room stopped it), but no other.
bool recorder_has_segment(const RecordingFacts& recording) {
  return !recording.segments.empty() && recording.segments.back().owner_user_id == recording.recorder_user_id;
}

bool finished(const std::string& state) { return state == "ready" || state == "failed" || state == "deleted"; }

}  // namespace

bool is_segment_name(const std::string& name) {
  return !name.empty() && name.size() <= 32 &&
         std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::variant<ChunkDecision, ChunkRefusal> check_chunk(const RecordingFacts& recording, const Chunk& chunk,
                                                      const ChunkLimits& limits) {
  if (recording.recording_id.empty() || recording.state == "deleted") {
    return refusal(ErrorCode::not_found, "There is no such recording.");
  }
  if (finished(recording.state)) return refusal(ErrorCode::recording_stopped, "This recording is finished: nothing more can be added.");
  if (chunk.size > limits.max_chunk_bytes) {
    return refusal(ErrorCode::too_large, "A chunk may be at most " + std::to_string(limits.max_chunk_bytes) + " bytes.");
  }
  if (chunk.offset < 0 || chunk.size < 0 || !is_segment_name(chunk.segment)) {
    return refusal(ErrorCode::bad_request, "A chunk needs a segment name and a non-negative offset.");
  }
  const SegmentFacts* segment = find_segment(recording, chunk.segment);
  if (segment ? segment->owner_user_id != chunk.uploader
              : chunk.uploader != recording.recorder_user_id ||
                    (recording.state == "stopping" && recorder_has_segment(recording))) {
    return refusal(ErrorCode::not_recorder, "Only the browser recording the room uploads its recording.");
  }
  const std::int64_t stored = segment ? segment->size : 0;
  if (chunk.offset + chunk.size <= stored && !(chunk.final && segment && !segment->final)) {
    return ChunkDecision{true, false, false};
  }
  if (chunk.offset != stored) {
    return refusal(ErrorCode::bad_offset, "The segment has " + std::to_string(stored) + " bytes: go on from there.", stored);
  }
  if (segment && segment->final) {
    return refusal(ErrorCode::recording_stopped, "That segment is complete: nothing more can be added to it.");
  }
  if (limits.room_cap_bytes > 0 && limits.room_bytes_used + chunk.size > limits.room_cap_bytes) {
    return refusal(ErrorCode::quota_exceeded, "The room's recordings have used all the space they may.");
  }
  return ChunkDecision{false, segment == nullptr, chunk.final};
}

std::int64_t finish_deadline(const RecordingFacts& recording) {
  std::int64_t last = recording.stopped_at;
  for (const SegmentFacts& segment : recording.segments) last = std::max(last, segment.last_chunk_at);
  return last + kFinishGraceMs;
}

bool ready_to_finish(const RecordingFacts& recording, std::int64_t now) {
  if (recording.state != "stopping") return false;
  if (now >= finish_deadline(recording)) return true;
  // The earlier segments are done (their tabs handed over); the recorder's own, the last, must be
  // complete, and it must have begun: a recorder's first chunk may still be on its way.
  return recorder_has_segment(recording) && recording.segments.back().final;
}

std::optional<Problem> check_recording_access(RecordingAccess access, const RecordingViewer& viewer) {
  if (!viewer.is_room_host && (!viewer.was_member || viewer.was_kicked)) {
    return Problem{ErrorCode::not_member, "Only the people who were in the room can see its recordings.", std::nullopt};
  }
  if (access == RecordingAccess::remove && !viewer.is_room_host) {
    return Problem{ErrorCode::not_host, "Only the room's host can delete its recordings.", std::nullopt};
  }
  return std::nullopt;
}

}  // namespace mehfil::authority
