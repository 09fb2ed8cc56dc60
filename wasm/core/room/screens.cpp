// Error code → screen (screens.h).
#include "room/screens.h"

namespace mehfil::room {

std::string_view to_string(Screen screen) {
  switch (screen) {
    case Screen::preview: return "preview";
    case Screen::password: return "password";
    case Screen::room_not_found: return "room_not_found";
    case Screen::room_full: return "room_full";
    case Screen::room_locked: return "room_locked";
    case Screen::kicked: return "kicked";
    case Screen::room_closed: return "room_closed";
    case Screen::expired: return "expired";
    case Screen::left: return "left";
    case Screen::connection_lost: return "connection_lost";
    case Screen::waiting_room: return "waiting_room";
    case Screen::knock_denied: return "knock_denied";
  }
  return "?";
}

std::optional<Screen> screen_for_join_error(protocol::ErrorCode code) {
  using protocol::ErrorCode;
  switch (code) {
    case ErrorCode::wrong_password: return Screen::password;
    case ErrorCode::room_not_found: return Screen::room_not_found;
    case ErrorCode::room_full: return Screen::room_full;
    case ErrorCode::room_locked: return Screen::room_locked;
    case ErrorCode::expired: return Screen::expired;
    case ErrorCode::kicked: return Screen::kicked;
    case ErrorCode::knock_denied: return Screen::knock_denied;
    case ErrorCode::waiting_room_full: return Screen::room_full;
    default: return std::nullopt;
  }
}

Screen screen_for_room_closed(std::string_view reason) {
  return reason == "expired" ? Screen::expired : Screen::room_closed;
}

}  // namespace mehfil::room
