// The per-peer send table (bitrate.h).
#include "room/bitrate.h"

namespace mehfil::room {

SendCap send_cap(int people_in_room) {
  if (people_in_room <= 2) return {1'500'000, 1, 30};
  if (people_in_room <= 4) return {500'000, 1, 30};
  if (people_in_room <= 7) return {300'000, 2, 15};
  return {200'000, 2, 15};
}

}  // namespace mehfil::room
