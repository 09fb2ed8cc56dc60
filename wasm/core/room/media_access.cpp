// MediaAccess's transitions and messages (media_access.h).
#include "room/media_access.h"

#include <string>

namespace mehfil::room {

std::string_view to_string(MediaAccessState state) {
  switch (state) {
    case MediaAccessState::requesting: return "requesting";
    case MediaAccessState::camera_and_mic: return "camera_and_mic";
    case MediaAccessState::camera_denied: return "camera_denied";
    case MediaAccessState::audio_only: return "audio_only";
    case MediaAccessState::mic_denied: return "mic_denied";
    case MediaAccessState::listen_only: return "listen_only";
    case MediaAccessState::camera_off: return "camera_off";
  }
  return "?";
}

std::string_view message_for(MediaAccessState state) {
  switch (state) {
    case MediaAccessState::requesting: return "Asking for your camera and microphone…";
    case MediaAccessState::camera_and_mic: return "";
    case MediaAccessState::camera_denied:
      return "Your camera is blocked. Trying with your microphone only; allow the camera in your browser's site settings and retry.";
    case MediaAccessState::audio_only: return "You're in with audio only. Others hear you but can't see you.";
    case MediaAccessState::mic_denied:
      return "Your microphone is blocked. Allow it in your browser's site settings and retry, or continue to listen only.";
    case MediaAccessState::listen_only: return "You're listening only. Others can't see or hear you.";
    case MediaAccessState::camera_off: return "";
  }
  return "";
}

std::vector<MediaAccessCommand> MediaAccess::start(bool camera) {
  state_ = MediaAccessState::requesting;
  camera_asked_ = camera;
  return {RequestMedia{true, camera}};
}

std::vector<MediaAccessCommand> MediaAccess::handle(const MediaAccessEvent& event) {
  using S = MediaAccessState;
  std::vector<MediaAccessCommand> out;
  auto reject = [&](std::string_view what) {
    out.push_back(Rejected{std::string(what) + " in " + std::string(to_string(state_))});
  };
  if (const auto* granted = std::get_if<Granted>(&event)) {
    if ((state_ == S::requesting && granted->camera && granted->mic) || (state_ == S::camera_off && granted->camera)) {
      state_ = S::camera_and_mic;
    } else if (state_ == S::requesting && granted->mic && !camera_asked_) {
      state_ = S::camera_off;
    } else if ((state_ == S::requesting || state_ == S::camera_denied) && granted->mic) {
      state_ = S::audio_only;
    } else {
      reject("a grant that changes nothing");
    }
  } else if (std::holds_alternative<CameraDenied>(event)) {
    if (state_ == S::camera_off) {
      state_ = S::audio_only;  // the microphone is there already
    } else if (state_ == S::requesting || state_ == S::camera_and_mic) {
      state_ = S::camera_denied;
      out.push_back(RequestMedia{true, false});
    } else {
      reject("camera denied");
    }
  } else if (std::holds_alternative<MicDenied>(event)) {
    if (state_ == S::listen_only || state_ == S::mic_denied) {
      reject("microphone denied");
    } else {
      state_ = S::mic_denied;
    }
  } else if (std::holds_alternative<Continue>(event)) {
    if (state_ == S::mic_denied) {
      state_ = S::listen_only;
    } else {
      reject("continue");
    }
  } else if (std::holds_alternative<Retry>(event)) {
    if (state_ == S::camera_and_mic || state_ == S::camera_off) {
      reject("retry with nothing to retry");
    } else {
      state_ = S::requesting;
      camera_asked_ = true;
      out.push_back(RequestMedia{true, true});
    }
  } else if (std::holds_alternative<AddCamera>(event)) {
    if (state_ == S::camera_off) {
      out.push_back(RequestMedia{false, true});
    } else {
      reject("adding the camera");
    }
  }
  return out;
}

}  // namespace mehfil::room
