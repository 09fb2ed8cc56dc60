// RecordingRules: what the server does with a recording's bytes, and who may see them, pure. The
// room's rules (room_authority.h) say who records and when; these say what each uploaded chunk does
// to the stored file, when the file is ready to be finished, and who may list, watch and delete it.
// They exist so the server's I/O layer (server-stub/recording_routes.cpp) only carries them out, and
// so every branch has a unit test without a disk or a browser.
//
// A recording is one or more segments: each is one browser's continuous WebM stream (MediaRecorder
// output). The recorder's browser opens a segment under a name it picks and appends chunks of a few
// seconds at explicit byte offsets. When the recorder's tab dies and the recording passes to another
// host (room_authority.h: recorder_gone), the new recorder opens its own segment; finishing joins
// the segments in order (ffmpeg's concat, -c copy).
//
// A chunk {segment, offset, size, final} from `uploader`:
//   the recording is unknown                        → not_found
//   it is finished (ready, failed) or deleted       → recording_stopped
//   size > max_chunk_bytes                          → too_large
//   uploader does not own the segment / may not open one (only the recorder of the moment opens one;
//   once stopped, only its first)
//                                                   → not_recorder
//   offset > the segment's size, or inside it but running past it → bad_offset, with the size to resume at
//   offset + size <= the segment's size             → duplicate: ignored (a retry of a chunk that landed)
//   the room's recordings would pass the room's cap → quota_exceeded
//   offset == the segment's size                    → append (`final`: the segment is complete)
// Uploads go on while the recording is "stopping" (stopped by the room, the last chunk on its way).
//
// A stopping recording is finished (`ready_to_finish`) once the segment of its recorder of the moment
// is final (earlier segments are done: their tabs handed over), or kFinishGraceMs passed since it
// stopped and since its last chunk came (a tab that died never sends its last chunk; a busy one still
// uploading sends it late, and is waited for). A recorder whose first chunk had not arrived when the
// room stopped it may still open its segment then, and is waited for the same way.
//
// Access: the room's members (anyone who was in it and was not removed) list and watch; the host of
// the room deletes. A recording of a room someone never joined does not exist for them (not_member).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "authority/room_authority.h"

namespace mehfil::authority {

inline constexpr std::int64_t kMaxChunkBytes = 8 * 1024 * 1024;
inline constexpr std::int64_t kFinishGraceMs = 10'000;

struct SegmentFacts {
  std::string segment;        // the recorder's own name for it: 1-32 of [a-z0-9-]
  std::string owner_user_id;  // whose browser uploads it
  std::int64_t size = 0;      // bytes stored so far
  bool final = false;         // its last chunk arrived
  std::int64_t last_chunk_at = 0;  // when a chunk of it was last stored
};

// What the store keeps about one recording.
struct RecordingFacts {
  std::string recording_id;
  std::string room_code;
  std::string started_by;
  std::string state;             // "recording", "paused", "stopping", "ready", "failed", "deleted"
  std::string recorder_user_id;  // whose browser records now (or recorded last)
  std::int64_t stopped_at = 0;   // when the room stopped it (state "stopping" and after)
  std::vector<SegmentFacts> segments;  // in the order they were opened
};

struct Chunk {
  std::string uploader;
  std::string segment;
  std::int64_t offset = 0;
  std::int64_t size = 0;
  bool final = false;
};

struct ChunkLimits {
  std::int64_t max_chunk_bytes = kMaxChunkBytes;
  std::int64_t room_cap_bytes = 0;    // every recording of the room together; 0: no cap
  std::int64_t room_bytes_used = 0;
};

struct ChunkDecision {
  bool duplicate = false;      // nothing to write: the bytes are stored already
  bool opens_segment = false;  // the first chunk of a new segment
  bool finishes_segment = false;
};

struct ChunkRefusal {
  Problem problem;
  std::optional<std::int64_t> resume_at;  // bad_offset: the segment's size, where to go on
};

std::variant<ChunkDecision, ChunkRefusal> check_chunk(const RecordingFacts& recording, const Chunk& chunk,
                                                      const ChunkLimits& limits);

// Whether a recording's file can be made now (state "stopping"; see above).
bool ready_to_finish(const RecordingFacts& recording, std::int64_t now);
// When a stopping recording is finished with what came, if its last segment never completes.
std::int64_t finish_deadline(const RecordingFacts& recording);

// The segment names a recorder may pick: 1-32 of [a-z0-9-].
bool is_segment_name(const std::string& name);

enum class RecordingAccess { list, watch, remove };

// What the store knows of the asker and the room.
struct RecordingViewer {
  bool was_member = false;  // they were in the room (a participant row)
  bool was_kicked = false;
  bool is_room_host = false;
};

std::optional<Problem> check_recording_access(RecordingAccess access, const RecordingViewer& viewer);

}  // namespace mehfil::authority
