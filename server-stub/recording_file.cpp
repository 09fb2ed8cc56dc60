// Finishing a recording's file (recording_file.h).
#include "recording_file.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

extern char** environ;

namespace mehfil::server {

int run_program(const std::vector<std::string>& argv, std::string* out) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int pipe_fds[2] = {-1, -1};
  if (out && pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  if (out) {
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  }
  pid_t pid = 0;
  const int started = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (out) {
    close(pipe_fds[1]);
    if (started == 0) {
      char buffer[4096];
      for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR);) {
        if (n > 0) out->append(buffer, static_cast<std::size_t>(n));
      }
    }
    close(pipe_fds[0]);
  }
  if (started != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

FinishedFile finish_recording_file(const std::vector<std::string>& segments, const std::string& out,
                                   const std::string& poster) {
  namespace fs = std::filesystem;
  FinishedFile result;
  std::vector<std::string> present;
  std::error_code ec;
  for (const std::string& segment : segments) {
    if (fs::file_size(segment, ec) > 0 && !ec) present.push_back(segment);
  }
  if (present.empty()) {
    result.problem = "nothing was uploaded";
    return result;
  }
  const std::string partial = out + ".part";
  std::vector<std::string> remux = {"ffmpeg", "-nostdin", "-v", "error", "-y"};
  std::string list_path;
  if (present.size() == 1) {
    remux.insert(remux.end(), {"-i", present[0]});
  } else {
    list_path = out + ".segments.txt";
    std::ofstream list(list_path);
    for (const std::string& segment : present) list << "file '" << fs::absolute(segment).string() << "'\n";
    remux.insert(remux.end(), {"-f", "concat", "-safe", "0", "-i", list_path});
  }
  remux.insert(remux.end(), {"-c", "copy", "-f", "webm", partial});
  const int remuxed = run_program(remux);
  if (!list_path.empty()) fs::remove(list_path, ec);
  // A segment cut short (its tab died) makes ffmpeg report the error at its end and still write
  // everything before it: the file decides, not the exit status.
  std::string probed;
  run_program({"ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", partial}, &probed);
  const double seconds = std::atof(probed.c_str());
  if (!(seconds > 0)) {
    fs::remove(partial, ec);
    result.problem = remuxed < 0 ? "ffmpeg could not be started" : "ffmpeg made no playable file (exit " + std::to_string(remuxed) + ")";
    return result;
  }
  fs::rename(partial, out, ec);
  if (ec) {
    result.problem = "could not keep the file: " + ec.message();
    return result;
  }
  result.ok = true;
  result.duration_ms = std::llround(seconds * 1000);
  result.size_bytes = static_cast<std::int64_t>(fs::file_size(out, ec));
  // The poster: a frame a second in (or halfway, for a shorter recording), 480 wide.
  const std::string at = std::to_string(std::min(1.0, seconds / 2));
  result.has_poster = run_program({"ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", at, "-i", out, "-frames:v", "1",
                                   "-vf", "scale=480:-2", poster}) == 0 &&
                      fs::exists(poster, ec);
  return result;
}

}  // namespace mehfil::server
