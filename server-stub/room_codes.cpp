#include "room_codes.h"

#include <sodium.h>

#include "protocol/validation.h"

namespace mehfil::server {

std::string new_room_code() {
  const auto& alphabet = protocol::kRoomCodeAlphabet;
  std::string code(protocol::kRoomCodeLength, ' ');
  for (char& c : code) c = alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
  return code;
}

}  // namespace mehfil::server
