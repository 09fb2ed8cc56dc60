// Commands that every state machine in room/ may return, beside its own: send a client message over
// the signaling WebSocket, or refuse an event that makes no sense in the current state. The wasm
// build has no exceptions, so a refusal is a value the caller can log or show, never a throw.
#pragma once

#include <string>

#include "protocol/messages.h"

namespace mehfil::room {

struct SendMessage {
  protocol::ClientMessage message;
};
struct Rejected {
  std::string reason;
};

}  // namespace mehfil::room
