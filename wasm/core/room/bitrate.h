// How many bits per second we send to each peer, by room size.
//
// A full mesh sends every stream once per peer, so the per-peer cap shrinks as the room grows to keep
// the whole upload under about 2.5 Mbit/s (what a home uplink or a phone on 4G can hold):
//   people in the room (self included)   per-peer cap    upload at the largest size
//   1–2                                  1 500 kbit/s    1.5 Mbit/s
//   3–4                                    500 kbit/s    1.5 Mbit/s
//   5–7                                    300 kbit/s    1.8 Mbit/s
//   8 and more                             200 kbit/s    1.8 Mbit/s at 10
// RoomClient sends SetBitrateCap to every link whenever the count crosses a step.
#pragma once

namespace mehfil::room {

inline constexpr int kMeshUploadBudgetBps = 2'500'000;

int send_bitrate_cap_bps(int people_in_room);

}  // namespace mehfil::room
