// SpeakerTracker's rule (room/speakers.h).
#include "room/speakers.h"

#include <algorithm>

namespace mehfil::room {

void SpeakerTracker::update(const std::map<std::string, double>& levels, std::int64_t now_ms) {
  now_ = now_ms;
  std::erase_if(voices_, [&](const auto& entry) { return !levels.count(entry.first); });
  for (const auto& [id, level] : levels) {
    Voice& voice = voices_[id];
    voice.level = level;
    if (level >= kSpeakingLevel) voice.loud_at = now_ms;
  }
  // The loudest voice speaking right now.
  std::optional<std::string> loudest;
  double loudest_level = 0;
  for (const auto& [id, voice] : voices_) {
    if (voice.level >= kSpeakingLevel && voice.level > loudest_level) {
      loudest = id;
      loudest_level = voice.level;
    }
  }
  if (active_ && !voices_.count(*active_)) active_.reset();
  if (active_ && speaking(*active_)) active_loud_at_ = now_ms;
  if (!loudest || loudest == active_) {
    challenger_.reset();
    if (active_ && now_ms - active_loud_at_ >= kSilenceMs) active_.reset();
    return;
  }
  if (!active_ || !speaking(*active_)) {  // nobody holds the floor: the loudest takes it at once
    active_ = loudest;
    active_loud_at_ = now_ms;
    challenger_.reset();
    return;
  }
  if (challenger_ != loudest) {
    challenger_ = loudest;
    challenger_since_ = now_ms;
  } else if (now_ms - challenger_since_ >= kSwitchMs) {
    active_ = loudest;
    active_loud_at_ = now_ms;
    challenger_.reset();
  }
}

bool SpeakerTracker::speaking(const std::string& id) const {
  const auto found = voices_.find(id);
  return found != voices_.end() && found->second.loud_at >= 0 && now_ - found->second.loud_at <= kHoldMs;
}

std::vector<std::string> SpeakerTracker::speaking_ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, voice] : voices_) {
    if (speaking(id)) ids.push_back(id);
  }
  return ids;
}

}  // namespace mehfil::room
