// SpeakerTracker: the rule of who is speaking and who is the active speaker, from the audio levels
// the browser measures (js-glue samples an AnalyserNode per track a few times a second and passes the
// numbers in with the time). Pure: the levels and the clock come in as values, so the simulation and
// the unit tests run the same rule the call does, and the stage (room/stage.h) reads it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mehfil::room {

// Who is speaking, from audio levels sampled a few times a second.
//   - a tile is speaking while its level is above kSpeakingLevel, and for kHoldMs after it drops
//     (so pauses between words do not blink the ring);
//   - the active speaker is the loudest speaking tile, but a new one takes over only after being
//     louder for kSwitchMs (no flapping between two people talking at once); nobody speaking keeps
//     the last one active until kSilenceMs of silence.
class SpeakerTracker {
 public:
  static constexpr double kSpeakingLevel = 0.03;
  static constexpr std::int64_t kHoldMs = 500;
  static constexpr std::int64_t kSwitchMs = 600;
  static constexpr std::int64_t kSilenceMs = 3000;

  // levels: id -> level. Ids missing from the map are no longer there.
  void update(const std::map<std::string, double>& levels, std::int64_t now_ms);
  bool speaking(const std::string& id) const;
  const std::optional<std::string>& active() const { return active_; }
  std::vector<std::string> speaking_ids() const;  // in id order

 private:
  struct Voice {
    double level = 0;
    std::int64_t loud_at = -1;  // last time above the threshold
  };
  std::map<std::string, Voice> voices_;
  std::optional<std::string> active_;
  std::optional<std::string> challenger_;
  std::int64_t challenger_since_ = 0;
  std::int64_t active_loud_at_ = 0;
  std::int64_t now_ = 0;
};

}  // namespace mehfil::room
