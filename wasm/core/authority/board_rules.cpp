// What a wb:ops batch may do to a room's board (board_rules.h).
#include "authority/board_rules.h"

#include <algorithm>
#include <cmath>

#include "whiteboard/element_json.h"

namespace mehfil::authority {
namespace {

using nlohmann::json;
using protocol::ErrorCode;

// The board's byte count less an element's old text, never below nothing (a count kept from an
// older store need not match today's canonical text to the byte).
std::size_t less(std::size_t bytes, std::size_t minus) { return bytes > minus ? bytes - minus : 0; }

}  // namespace

BoardRules::BoardRules(BoardLimits limits) : limits_(limits) {}

BoardRules::Budget BoardRules::refilled(const std::string& user_id, std::int64_t now_ms) const {
  const double full = limits_.erase_others_per_minute;
  const auto found = budgets_.find(user_id);
  if (found == budgets_.end()) return {full, now_ms};
  Budget budget = found->second;
  const std::int64_t elapsed = std::max<std::int64_t>(0, now_ms - budget.last_ms);  // a clock set back gives nothing
  budget.left = std::min(full, budget.left + static_cast<double>(elapsed) * full / 60'000.0);
  budget.last_ms = std::max(budget.last_ms, now_ms);
  return budget;
}

void BoardRules::forget_idle(std::int64_t now_ms) {
  for (auto it = budgets_.begin(); it != budgets_.end();) {
    it = refilled(it->first, now_ms).left >= limits_.erase_others_per_minute ? budgets_.erase(it) : std::next(it);
  }
}

BoardVerdict BoardRules::check(const BoardNow& now, const BoardBatch& batch, std::int64_t now_ms) {
  const whiteboard::Board& board = now.board;
  BoardVerdict verdict;
  const auto refuse = [](ErrorCode code, std::string message, std::optional<int> retry_after_s = std::nullopt) {
    BoardVerdict refused;
    refused.problem = Problem{code, std::move(message), retry_after_s};
    return refused;
  };

  // Every op on its own: an element, a new one the sender's, a version that grows by at most a step.
  verdict.elements.reserve(batch.ops.size());
  for (std::size_t i = 0; i < batch.ops.size(); ++i) {
    const std::string where = "wb:ops.ops[" + std::to_string(i) + "]";
    auto read = whiteboard::read_element(batch.ops[i]);
    if (!read.element) return refuse(ErrorCode::bad_request, where + ": " + read.problem);
    const whiteboard::Element* current = board.find(read.element->id);
    const std::string author = read.element->id.substr(0, read.element->id.rfind(':'));
    if (!current && author != batch.user_id) {
      return refuse(ErrorCode::bad_request, where + ": new elements must carry your own user id");
    }
    const std::int64_t stored_version = current ? current->version : 0;  // both at least 0: no overflow
    if (read.element->version > stored_version && read.element->version - stored_version > limits_.version_step) {
      return refuse(ErrorCode::bad_request, where + ".version may be at most " + std::to_string(limits_.version_step) +
                                                " above the stored version (" + std::to_string(stored_version) + ")");
    }
    verdict.elements.push_back(std::move(*read.element));
  }

  // Erasing a stroke of someone else's is ordinary teamwork; wiping several at once is clearing the
  // board, which needs the power; and erasing them one by one is limited per minute.
  const std::string own_prefix = batch.user_id + ":";
  for (const whiteboard::Element& e : verdict.elements) {
    const whiteboard::Element* current = board.find(e.id);
    if (e.deleted && current && !current->deleted && e.id.rfind(own_prefix, 0) != 0) ++verdict.others_erased;
  }
  const auto may_not_clear = check_power(batch.role, Power::clear_board);
  if (verdict.others_erased > 1 && may_not_clear) return refuse(may_not_clear->code, std::string(may_not_clear->message));
  const bool spends_budget = verdict.others_erased > 0 && may_not_clear;
  Budget budget;
  if (spends_budget) {
    budget = refilled(batch.user_id, now_ms);
    const double wanted = verdict.others_erased;
    if (budget.left < wanted) {
      const double wait_s = wanted > limits_.erase_others_per_minute ? 3600 : (wanted - budget.left) * 60.0 / limits_.erase_others_per_minute;
      return refuse(ErrorCode::rate_limited,
                    "You have erased " + std::to_string(limits_.erase_others_per_minute) +
                        " of other people's drawings this minute: ask the host to clear the board.",
                    std::max(1, static_cast<int>(std::ceil(wait_s))));
    }
  }

  // What would change, decided on a scratch board holding only the touched elements.
  whiteboard::Board scratch;
  std::size_t bytes = now.bytes;
  std::size_t count = board.elements().size();
  for (const whiteboard::Element& element : verdict.elements) {
    if (!scratch.find(element.id)) {
      if (const whiteboard::Element* stored = board.find(element.id)) scratch.apply(*stored);
    }
    if (!scratch.apply(element)) continue;  // older than what the board has: nothing to tell anyone
    json written = whiteboard::write_element(element);
    std::string body = written.dump();
    const auto previous = std::find_if(verdict.rows.begin(), verdict.rows.end(), [&](const BoardRow& row) { return row.id == element.id; });
    if (previous != verdict.rows.end()) {
      bytes = less(bytes, previous->json.size());
      verdict.rows.erase(previous);
    } else if (const whiteboard::Element* stored = board.find(element.id)) {
      bytes = less(bytes, whiteboard::write_element(*stored).dump().size());
    } else {
      ++count;
    }
    bytes += body.size();
    // Erasing (the host's Clear included) makes tombstones, not new drawing: only drawing counts.
    if (!element.deleted) verdict.drawn_bytes += body.size();
    verdict.rows.push_back({element.id, std::move(body)});
    verdict.accepted.push_back(std::move(written));
  }
  verdict.board_bytes = bytes;
  if (verdict.rows.empty()) return verdict;  // nothing changes: nothing to store, tell or spend
  if (count > limits_.elements_per_room || bytes > limits_.bytes_per_room) {
    return refuse(ErrorCode::quota_exceeded, "This room's whiteboard is full (" + std::to_string(limits_.elements_per_room) +
                                                 " elements or " + std::to_string(limits_.bytes_per_room / 1024) +
                                                 " KiB): the host can clear it.");
  }
  if (spends_budget) budgets_[batch.user_id] = {budget.left - verdict.others_erased, budget.last_ms};
  return verdict;
}

}  // namespace mehfil::authority
