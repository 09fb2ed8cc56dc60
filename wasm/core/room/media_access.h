// MediaAccess: what this user can send, as permissions are granted, refused or revoked.
//
// The room works at every step down; each step is a state with the sentence the UI shows, so nobody
// is left guessing why their tile is black or why nobody hears them:
//   camera_and_mic → camera_denied → audio_only → mic_denied → listen_only
// A call that starts with the camera off (an audio call, or `video: false`) asks for the microphone
// alone, so the camera's light stays off until the user turns the camera on (AddCamera):
//   camera_off → camera_and_mic, or → audio_only if the camera is then refused
//
//   state            event                          → state           commands
//   requesting       Granted{camera, mic}            → camera_and_mic
//   requesting       Granted{mic only}               → audio_only (camera_off if it was not asked for)
//   camera_off       AddCamera                       → camera_off      RequestMedia{video}
//   camera_off       Granted{camera}                 → camera_and_mic
//   camera_off       CameraDenied                    → audio_only
//   requesting|camera_and_mic  CameraDenied          → camera_denied   RequestMedia{audio}
//   camera_denied    Granted{mic}                    → audio_only
//   any but listen_only  MicDenied                   → mic_denied
//   mic_denied       Continue                        → listen_only
//   not camera_and_mic  Retry                        → requesting      RequestMedia{audio, video}
//   other combinations                               → (unchanged)     Rejected
// start() begins in requesting with RequestMedia{audio, video}; start(false) with RequestMedia{audio}.
#pragma once

#include <string_view>
#include <variant>
#include <vector>

#include "room/commands.h"

namespace mehfil::room {

enum class MediaAccessState { requesting, camera_and_mic, camera_denied, audio_only, mic_denied, listen_only, camera_off };
std::string_view to_string(MediaAccessState state);
// The sentence the UI shows in this state (empty when all is well).
std::string_view message_for(MediaAccessState state);

struct Granted {
  bool camera = false;
  bool mic = false;
};
struct CameraDenied {};
struct MicDenied {};
struct Continue {};
struct Retry {};
struct AddCamera {};  // the user turned the camera on in camera_off
using MediaAccessEvent = std::variant<Granted, CameraDenied, MicDenied, Continue, Retry, AddCamera>;

// getUserMedia with these constraints.
struct RequestMedia {
  bool audio = false;
  bool video = false;
};
using MediaAccessCommand = std::variant<RequestMedia, Rejected>;

class MediaAccess {
 public:
  std::vector<MediaAccessCommand> start(bool camera = true);
  std::vector<MediaAccessCommand> handle(const MediaAccessEvent& event);

  MediaAccessState state() const { return state_; }
  bool sends_video() const { return state_ == MediaAccessState::camera_and_mic; }
  bool sends_audio() const {
    return state_ == MediaAccessState::camera_and_mic || state_ == MediaAccessState::audio_only ||
           state_ == MediaAccessState::camera_off;
  }

 private:
  MediaAccessState state_ = MediaAccessState::requesting;
  bool camera_asked_ = true;  // start() asked for the camera
};

}  // namespace mehfil::room
