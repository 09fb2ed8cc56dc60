// After the last restart: a fresh user joins each room and must get room:joined, the board with
// every acknowledged element, and the chat history with every acknowledged message (within the
// newest kHistoryWindow, which the server promises to send).
#pragma once

#include <string>
#include <vector>

#include "chaos_common.h"

namespace chaos {

inline constexpr std::size_t kHistoryWindow = 200;

struct RoomVerdict {
  bool joinable = false;
  bool content_checked = false;  // false when the room stayed full: joinable, but nothing to read
  bool stayed_full = false;      // room_full for 10 s though nobody is connected: its seats leaked
  std::string join_problem;
  std::vector<std::string> board_problems, chat_problems;
  double join_ms = 0;
  std::size_t board_elements = 0, history = 0;
};

RoomVerdict check_room(unsigned short port, const RoomInfo& room, const UserInfo& fresh, const Ledger& ledger);

}  // namespace chaos
