// The per-peer bitrate table (bitrate.h).
#include "room/bitrate.h"

namespace mehfil::room {

int send_bitrate_cap_bps(int people_in_room) {
  if (people_in_room <= 2) return 1'500'000;
  if (people_in_room <= 4) return 500'000;
  if (people_in_room <= 7) return 300'000;
  return 200'000;
}

}  // namespace mehfil::room
