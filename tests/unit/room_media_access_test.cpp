// MediaAccess: every step down from camera+mic to listen-only is a state with its message, and
// retry starts over.
#include <catch2/catch.hpp>

#include "room/media_access.h"
#include "room_test_support.h"

using namespace mehfil::room;
using namespace room_test;

TEST_CASE("Camera and microphone granted: everything is sent") {
  MediaAccess media;
  const auto out = media.start();
  CHECK(first_of<RequestMedia>(out).video);
  media.handle(Granted{true, true});
  CHECK(media.state() == MediaAccessState::camera_and_mic);
  CHECK(media.sends_audio());
  CHECK(media.sends_video());
  CHECK(message_for(media.state()).empty());
}

TEST_CASE("Each refusal steps down to the next state, each with its message") {
  MediaAccess media;
  media.start();
  auto out = media.handle(CameraDenied{});
  CHECK(media.state() == MediaAccessState::camera_denied);
  const auto retry_audio = first_of<RequestMedia>(out);
  CHECK(retry_audio.audio);
  CHECK_FALSE(retry_audio.video);
  media.handle(Granted{false, true});
  CHECK(media.state() == MediaAccessState::audio_only);
  CHECK(media.sends_audio());
  CHECK_FALSE(media.sends_video());
  media.handle(MicDenied{});
  CHECK(media.state() == MediaAccessState::mic_denied);
  media.handle(Continue{});
  CHECK(media.state() == MediaAccessState::listen_only);
  CHECK_FALSE(media.sends_audio());
  SECTION("retry starts over from the top") {
    out = media.handle(Retry{});
    CHECK(media.state() == MediaAccessState::requesting);
    CHECK(first_of<RequestMedia>(out).video);
  }
}

TEST_CASE("Every state but the happy one tells the user what is going on") {
  const auto state = GENERATE(MediaAccessState::requesting, MediaAccessState::camera_denied, MediaAccessState::audio_only,
                              MediaAccessState::mic_denied, MediaAccessState::listen_only);
  CAPTURE(to_string(state));
  CHECK_FALSE(message_for(state).empty());
}

TEST_CASE("Events that make no sense are rejected and change nothing") {
  MediaAccess media;
  media.start();
  media.handle(Granted{true, true});
  CHECK(count_of<Rejected>(media.handle(Retry{})) == 1);
  CHECK(count_of<Rejected>(media.handle(Continue{})) == 1);
  CHECK(media.state() == MediaAccessState::camera_and_mic);
}

TEST_CASE("A call that starts with the camera off asks for the microphone alone, and the camera only when it is turned on") {
  MediaAccess media;
  const auto asked = first_of<RequestMedia>(media.start(false));
  CHECK(asked.audio);
  CHECK_FALSE(asked.video);  // the camera's light stays off
  media.handle(Granted{false, true});
  CHECK(media.state() == MediaAccessState::camera_off);
  CHECK(media.sends_audio());
  CHECK_FALSE(media.sends_video());
  CHECK(message_for(media.state()).empty());  // nothing went wrong: no warning
  const auto camera = first_of<RequestMedia>(media.handle(AddCamera{}));
  CHECK(camera.video);
  CHECK_FALSE(camera.audio);  // the microphone is there already
  SECTION("granted") {
    media.handle(Granted{true, true});
    CHECK(media.state() == MediaAccessState::camera_and_mic);
    CHECK(media.sends_video());
  }
  SECTION("refused: audio only, with its message") {
    media.handle(CameraDenied{});
    CHECK(media.state() == MediaAccessState::audio_only);
    CHECK_FALSE(message_for(media.state()).empty());
    CHECK(count_of<Rejected>(media.handle(AddCamera{})) == 1);  // Retry asks for both again instead
  }
}
