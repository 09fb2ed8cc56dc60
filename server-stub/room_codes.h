// Room codes: 8 characters drawn uniformly by libsodium's CSPRNG from the protocol's alphabet
// (letters and digits without 0, O, 1, I and l), about 46 bits; uniqueness is the database's
// primary key, and the caller draws again on the rare collision.
#pragma once

#include <string>

namespace mehfil::server {

std::string new_room_code();

}  // namespace mehfil::server
