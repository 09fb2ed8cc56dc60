// CodeRules (code_rules.h): the room's quota on stored code updates.
#include "authority/code_rules.h"

#include <string>

#include "protocol/validation.h"

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

std::optional<CompactionAsk> compaction_to_ask(const CodeNow& now, const std::optional<CompactionAsk>& open,
                                               const std::string& sender, std::int64_t now_ms, const CodeLimits& limits) {
  if (now.updates < limits.compact_after || now.updates < 2) return std::nullopt;
  if (open && now_ms < open->asked_at + kCompactionWaitMs) return std::nullopt;
  return CompactionAsk{sender, now.updates, now_ms};
}

std::optional<Problem> check_compaction(const std::optional<CompactionAsk>& open, const std::string& user, std::size_t upto,
                                        std::size_t state_bytes, std::int64_t now_ms, const CodeLimits& limits) {
  if (!open || open->user_id != user || open->upto != upto || now_ms >= open->asked_at + kCompactionWaitMs) {
    return Problem{protocol::ErrorCode::bad_request, "The room did not ask you for this compaction, or it ran out.", std::nullopt};
  }
  if (state_bytes == 0) return Problem{protocol::ErrorCode::bad_request, "A compaction sends the document's state.", std::nullopt};
  if (state_bytes > limits.bytes_per_room || state_bytes > protocol::kMaxCodeStateChars) {
    return Problem{protocol::ErrorCode::too_large,
                   "The state is bigger than the room's code may be, or than a joiner's page can carry.", std::nullopt};
  }
  return std::nullopt;
}

}  // namespace mehfil::authority
