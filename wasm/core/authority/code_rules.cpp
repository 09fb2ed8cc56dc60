// CodeRules (code_rules.h): the room's quota on stored code updates.
#include "authority/code_rules.h"

#include <string>

namespace mehfil::authority {

std::optional<Problem> check_code_update(const CodeNow& now, std::size_t update_bytes, const CodeLimits& limits) {
  if (now.updates + 1 > limits.updates_per_room) {
    return Problem{protocol::ErrorCode::quota_exceeded,
                   "The room's code holds " + std::to_string(limits.updates_per_room) + " updates, its most.", std::nullopt};
  }
  if (now.bytes + update_bytes > limits.bytes_per_room) {
    return Problem{protocol::ErrorCode::quota_exceeded,
                   "The room's code would pass its " + std::to_string(limits.bytes_per_room) + " bytes.", std::nullopt};
  }
  return std::nullopt;
}

}  // namespace mehfil::authority
