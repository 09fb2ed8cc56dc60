// What we send each peer, by room size: a bitrate cap, and for the camera a resolution and frame rate.
//
// A full mesh sends every stream once per peer, so the per-peer cap shrinks as the room grows to keep
// the whole upload under about 2.5 Mbit/s (what a home uplink or a phone on 4G can hold). From five
// people on, each camera copy also goes out at half the width and height and at most 15 fps: that is
// what 300 kbit/s carries well, the tiles of a grid that size are no bigger, and the browser encodes
// (and every receiver decodes) an eighth of the pixels, once per peer. Screen shares keep their full
// resolution (text must stay readable).
//   people in the room (self included)   per-peer cap    camera copies        upload at the largest size
//   1–2                                  1 500 kbit/s    full size, 30 fps    1.5 Mbit/s
//   3–4                                    500 kbit/s    full size, 30 fps    1.5 Mbit/s
//   5–7                                    300 kbit/s    half size, 15 fps    1.8 Mbit/s
//   8 and more                             200 kbit/s    half size, 15 fps    1.8 Mbit/s at 10
// RoomClient sends SetSendCap to every link whenever the count crosses a step.
#pragma once

namespace mehfil::room {

inline constexpr int kMeshUploadBudgetBps = 2'500'000;

struct SendCap {
  int max_bitrate_bps = 0;  // every encoding to the peer (RTCRtpEncodingParameters.maxBitrate)
  int scale_down_by = 1;    // the camera's width and height divided by this (scaleResolutionDownBy)
  int max_framerate = 30;   // the camera's frames per second at most (maxFramerate)
  friend bool operator==(const SendCap&, const SendCap&) = default;
};

SendCap send_cap(int people_in_room);

}  // namespace mehfil::room
