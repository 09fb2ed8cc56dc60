// Finishing a recording's file with ffmpeg (Debian's ffmpeg and ffprobe, run as child processes).
//
// The browsers upload what MediaRecorder makes: WebM with no duration and no cues, which a player
// cannot seek, in one segment per recording browser (authority/recording_rules.h). Finishing joins
// the segments in order and remuxes them into one seekable WebM with its duration (-c copy: nothing
// is re-encoded, so it takes a moment, not the length of the recording), then grabs a poster frame.
// A segment cut short by a tab that died is still read up to its last whole frame.
//
// Blocking: the server runs it on its own worker thread, never on the I/O thread. The programs are
// started with posix_spawnp and an argument vector (no shell), and every path is the server's own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mehfil::server {

struct FinishedFile {
  bool ok = false;
  std::int64_t duration_ms = 0;
  std::int64_t size_bytes = 0;
  bool has_poster = false;
  std::string problem;  // when not ok: what went wrong, for the log
};

// Joins `segments` (paths, in order) into `out` (a .webm) and writes a JPEG poster to `poster`.
FinishedFile finish_recording_file(const std::vector<std::string>& segments, const std::string& out,
                                   const std::string& poster);

// Runs `argv` (argv[0] found on PATH) to its end; its exit status, or -1 if it could not start.
// `out`, when given, receives what it wrote to stdout; its stderr is dropped.
int run_program(const std::vector<std::string>& argv, std::string* out = nullptr);

}  // namespace mehfil::server
