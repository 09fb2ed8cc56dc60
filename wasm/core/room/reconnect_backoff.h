// When to try the room's WebSocket again after it dropped.
//
// Attempt n (0, 1, 2...) waits 0.3·n² seconds: 0, 0.3, 1.2, 2.7, 4.8, 7.5... so a blip reconnects at
// once and a server that is down is not hammered; the wait stops growing at 30 s. On top comes jitter
// so that ten clients that lost the same server do not all come back in the same millisecond: up to
// 100 ms plus a quarter of the wait, scaled by a random value in [0, 1) that the caller provides (the
// core has no random source of its own).
//
// A call that was in the room gives up after kReconnectAttempts tries (about 85 s of trying, past
// the server's 30 s resume grace): the person sees "Connection lost" with Reconnect and Leave
// instead of a banner that never ends. Reconnect starts the tries again at once.
#pragma once

#include <cstdint>

namespace mehfil::room {

inline constexpr std::int64_t kMaxReconnectDelayMs = 30'000;
inline constexpr int kReconnectAttempts = 10;

// The wait without jitter: min(300·n², 30 000) ms. Negative attempts count as 0.
std::int64_t reconnect_base_delay_ms(int attempt);
// The wait with jitter; `jitter` outside [0, 1) is clamped into it.
std::int64_t reconnect_delay_ms(int attempt, double jitter);

}  // namespace mehfil::room
