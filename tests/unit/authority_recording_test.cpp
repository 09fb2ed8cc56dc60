// What a recording's uploaded chunks do, when it can be finished, and who may see it
// (wasm/core/authority/recording_rules.h): every row of the chunk table, without a disk.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "authority/recording_rules.h"

using namespace mehfil::authority;
using mehfil::protocol::ErrorCode;
using mehfil::protocol::to_string;

namespace {

RecordingFacts recording(const std::string& state = "recording") {
  RecordingFacts r;
  r.recording_id = "Room2345-1000";
  r.room_code = "Room2345";
  r.started_by = "ana";
  r.state = state;
  r.recorder_user_id = "ana";
  r.segments = {{"s1", "ana", 1000, false}};
  return r;
}

// "append", "append+open", "append+final", "duplicate", or the refusal's code (and where to resume).
std::string verdict(const RecordingFacts& r, const Chunk& chunk, const ChunkLimits& limits = {}) {
  const auto decision = check_chunk(r, chunk, limits);
  if (const auto* refused = std::get_if<ChunkRefusal>(&decision)) {
    return std::string(to_string(refused->problem.code)) +
           (refused->resume_at ? " at " + std::to_string(*refused->resume_at) : "");
  }
  const auto& ok = std::get<ChunkDecision>(decision);
  if (ok.duplicate) return "duplicate";
  return std::string("append") + (ok.opens_segment ? "+open" : "") + (ok.finishes_segment ? "+final" : "");
}

}  // namespace

TEST_CASE("Each chunk a recorder uploads is appended, ignored as a duplicate, or refused with a code that says why") {
  const auto [what, state, uploader, segment, offset, size, final, expected] =
      GENERATE(table<std::string, std::string, std::string, std::string, std::int64_t, std::int64_t, bool, std::string>({
          {"the next chunk", "recording", "ana", "s1", 1000, 500, false, "append"},
          {"the last chunk, after the room stopped it", "stopping", "ana", "s1", 1000, 500, true, "append+final"},
          {"an empty last chunk", "stopping", "ana", "s1", 1000, 0, true, "append+final"},
          {"a new segment from the recorder", "recording", "ana", "s2", 0, 500, false, "append+open"},
          {"a retry of a chunk that landed", "recording", "ana", "s1", 500, 500, false, "duplicate"},
          {"a chunk past the end", "recording", "ana", "s1", 1500, 500, false, "bad_offset at 1000"},
          {"a chunk overlapping the end", "recording", "ana", "s1", 800, 500, false, "bad_offset at 1000"},
          {"a new segment not from its start", "recording", "ana", "s2", 10, 500, false, "bad_offset at 0"},
          {"someone else's segment", "recording", "ben", "s1", 1000, 500, false, "not_recorder"},
          {"a new segment from someone not recording", "recording", "ben", "s2", 0, 500, false, "not_recorder"},
          {"a new segment once it stopped", "stopping", "ana", "s2", 0, 500, false, "not_recorder"},
          {"a chunk for a finished recording", "ready", "ana", "s1", 1000, 500, false, "recording_stopped"},
          {"a chunk for a deleted recording", "deleted", "ana", "s1", 1000, 500, false, "not_found"},
          {"a chunk over the size limit", "recording", "ana", "s1", 1000, kMaxChunkBytes + 1, false, "too_large"},
          {"a negative offset", "recording", "ana", "s1", -1, 500, false, "bad_request"},
          {"a segment name with a slash", "recording", "ana", "../x", 0, 500, false, "bad_request"},
      }));
  INFO(what);
  CHECK(verdict(recording(state), Chunk{uploader, segment, offset, size, final}) == expected);
}

TEST_CASE("A complete segment takes nothing more, and a retry of its last chunk is a duplicate") {
  RecordingFacts r = recording("stopping");
  r.segments[0].final = true;
  CHECK(verdict(r, {"ana", "s1", 1000, 10, false}) == "recording_stopped");
  CHECK(verdict(r, {"ana", "s1", 900, 100, true}) == "duplicate");
}

TEST_CASE("The room's cap on recordings refuses the chunk that would pass it") {
  const RecordingFacts r = recording();
  CHECK(verdict(r, {"ana", "s1", 1000, 500, false}, {kMaxChunkBytes, 10'000, 9'600}) == "quota_exceeded");
  CHECK(verdict(r, {"ana", "s1", 1000, 400, false}, {kMaxChunkBytes, 10'000, 9'600}) == "append");
  CHECK(verdict(r, {"ana", "s1", 1000, 500, false}, {kMaxChunkBytes, 0, 9'600}) == "append");  // no cap
}

TEST_CASE("An unknown recording is not found") {
  CHECK(verdict(RecordingFacts{}, {"ana", "s1", 0, 10, false}) == "not_found");
}

TEST_CASE("A stopping recording is finished once its last segment is complete, or when the grace runs out") {
  RecordingFacts r = recording("stopping");
  r.stopped_at = 5'000;
  CHECK_FALSE(ready_to_finish(r, 5'000));
  CHECK(ready_to_finish(r, 5'000 + kFinishGraceMs));  // its tab died: what came is kept
  r.segments[0].final = true;
  CHECK(ready_to_finish(r, 5'000));
  // Handed over: the first tab's segment never completed, the second's did.
  r.segments = {{"s1", "ana", 1000, false}, {"s2", "ben", 800, true}};
  r.recorder_user_id = "ben";
  CHECK(ready_to_finish(r, 5'000));
  r.segments[1].final = false;
  CHECK_FALSE(ready_to_finish(r, 5'000));
  r.state = "recording";
  CHECK_FALSE(ready_to_finish(r, 1'000'000));  // still running
}

TEST_CASE("A recording stopped before its recorder's first chunk came waits for that chunk and takes it") {
  // Stopped a few seconds in on a busy machine: the recorder's first chunk is still on its way.
  // Finishing at once kept nothing ("nothing was uploaded") and refused the chunk when it came.
  RecordingFacts r = recording("stopping");
  r.stopped_at = 5'000;
  r.segments.clear();
  CHECK_FALSE(ready_to_finish(r, 5'000));
  CHECK(verdict(r, {"ana", "s1", 0, 500, false}) == "append+open");
  CHECK(verdict(r, {"ben", "s1", 0, 500, false}) == "not_recorder");
  CHECK(ready_to_finish(r, 5'000 + kFinishGraceMs));  // it never came: the tab died
  // Handed over just before the stop: the new recorder's first chunk is still to come.
  r.segments = {{"s1", "ben", 800, true}};
  CHECK_FALSE(ready_to_finish(r, 5'000));
  CHECK(verdict(r, {"ana", "s2", 0, 500, false}) == "append+open");
}

TEST_CASE("A recorder still uploading after the stop is waited for: the grace counts from its last chunk") {
  // A busy page sends what it recorded seconds late; finishing 10 s after the stop would refuse its
  // last chunks (recording_stopped) and keep a short file, or nothing.
  RecordingFacts r = recording("stopping");
  r.stopped_at = 5'000;
  r.segments[0].last_chunk_at = 12'000;  // a chunk came 7 s after the stop
  CHECK_FALSE(ready_to_finish(r, 5'000 + kFinishGraceMs));
  CHECK(finish_deadline(r) == 12'000 + kFinishGraceMs);
  CHECK(ready_to_finish(r, 12'000 + kFinishGraceMs));  // then nothing for the grace: a tab that died
  r.segments[0].last_chunk_at = 1'000;                  // chunks before the stop: the stop counts
  CHECK(finish_deadline(r) == 5'000 + kFinishGraceMs);
}

TEST_CASE("The room's members list and watch its recordings, and only its host deletes them") {
  const auto [who, member, kicked, host, list, remove] =
      GENERATE(table<std::string, bool, bool, bool, std::string, std::string>({
          {"the host", true, false, true, "", ""},
          {"a member", true, false, false, "", "not_host"},
          {"someone removed from the room", true, true, false, "not_member", "not_member"},
          {"a stranger", false, false, false, "not_member", "not_member"},
      }));
  INFO(who);
  const RecordingViewer viewer{member, kicked, host};
  const auto code = [](const std::optional<Problem>& p) { return p ? std::string(to_string(p->code)) : std::string(); };
  CHECK(code(check_recording_access(RecordingAccess::list, viewer)) == list);
  CHECK(code(check_recording_access(RecordingAccess::watch, viewer)) == list);
  CHECK(code(check_recording_access(RecordingAccess::remove, viewer)) == remove);
}
