// Problem: the authority's refusal, a stable code and a sentence for people. Every rule in
// authority/ answers with one; the shell maps codes to the wire (error) or to HTTP statuses.
#pragma once

#include <optional>
#include <string>

#include "protocol/errors.h"

namespace mehfil::authority {

struct Problem {
  protocol::ErrorCode code = protocol::ErrorCode::bad_request;
  std::string message;
  std::optional<int> retry_after_s;  // rate_limited: seconds until the same request may succeed
  friend bool operator==(const Problem&, const Problem&) = default;
};

}  // namespace mehfil::authority
