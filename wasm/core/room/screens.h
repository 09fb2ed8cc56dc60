// The full-page screens the room UI can show, and which server error leads to which.
//
// A screen replaces the room view (the toast is for things that do not stop the call). The mapping
// lives here, not in JS, so the simulation checks it and the wording keys stay in one place.
//   error code        screen            room state after it
//   wrong_password    password          password_needed (ask, then join again)
//   room_not_found    room_not_found    failed
//   room_full         room_full         failed
//   room_locked       room_locked       failed
//   expired           expired           failed
//   kicked            kicked            failed (joining a room the host removed us from)
//   knock_denied      knock_denied      failed (the host did not let us in from the waiting room)
//   waiting_room_full room_full         failed
//   (room:waiting)    waiting_room      knocking (until room:joined, knock_denied or room:closed)
//   (host kicked us)  kicked            kicked
//   (room:closed)     room_closed, or expired when the reason is "expired"   closed
//   (gave up reconnecting, reconnect_backoff.h)   connection_lost   failed (Reconnect tries again)
// Other codes (rate_limited, not_host, bad_request...) are toasts, not screens.
#pragma once

#include <optional>
#include <string_view>

#include "protocol/errors.h"

namespace mehfil::room {

enum class Screen { preview, password, room_not_found, room_full, room_locked, kicked, room_closed, expired, left, connection_lost,
                    waiting_room, knock_denied };
std::string_view to_string(Screen screen);

// The screen an error answering room:join leads to, or nothing when it is only a toast.
std::optional<Screen> screen_for_join_error(protocol::ErrorCode code);
// The screen for a room:closed with this reason.
Screen screen_for_room_closed(std::string_view reason);

}  // namespace mehfil::room
