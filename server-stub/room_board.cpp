// The room's board and what a joiner catches up on (room_hub.h): whiteboard ops checked by the core's
// rule (authority/board_rules.h) and stored before anyone sees them, and the board and chat history
// encoded once into shared pages.
// Split from room_hub.cpp, which holds who is in the room and carries out the room's rules.
#include "room_hub.h"

#include <algorithm>

#include "log.h"
#include "protocol/codec.h"
#include "protocol/validation.h"
#include "whiteboard/element_json.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;

constexpr int kChatHistory = 200;                      // newest messages a joiner catches up on
constexpr std::size_t kHistoryPageBytes = 256 * 1024;  // one board page at most (whole elements)

}  // namespace

// Loaded from the store the first time anyone needs it. A read that fails throws (StorageError) and
// leaves the room without a board in memory, so the next request tries again rather than seeing an
// empty board.
whiteboard::Board& RoomHub::board(LiveRoom& live) {
  if (!live.board) {
    whiteboard::Board loaded;
    std::size_t bytes = 0;
    for (const std::string& body : store_.whiteboard(live.record.room_code)) {
      if (auto read = whiteboard::read_element(json::parse(body, nullptr, false)); read.element) {
        loaded.apply(*read.element);
        bytes += body.size();
      }
    }
    live.board = std::move(loaded);
    live.board_bytes = bytes;
  }
  return *live.board;
}

// What a batch may do is the core's rule (authority/board_rules.h: checked whole, new elements the
// sender's, versions that grow by at most a step, Clear for the host and co-hosts, others' drawings
// erased one by one at a limited pace, the room's quotas). The hub only does the I/O around it: the
// board from SQLite, then the bytes-stored-per-user quota it shares with chat, then the rows stored,
// and only once SQLite has them the board in memory changed and the room told.
void RoomHub::whiteboard_ops(const std::shared_ptr<Connection>& connection, LiveRoom& live,
                             const std::vector<json>& ops, const std::optional<protocol::RequestId>& id) {
  whiteboard::Board& wb = board(live);
  const authority::BoardBatch batch{connection->user_id(), live.rules.role_of(actor(connection->claims())), ops};
  authority::BoardVerdict verdict = board_rules_.check({wb, live.board_bytes}, batch, now_ms());
  if (verdict.problem) return reply_problem(connection, rules_problem(*verdict.problem), id);
  if (verdict.rows.empty()) {
    if (id) send(connection, srv::Ack{*id});
    return;
  }
  if (auto problem = take_write_bytes(connection->user_id(), verdict.drawn_bytes)) return reply_problem(connection, *problem, id);
  std::vector<std::pair<std::string, std::string>> rows;
  rows.reserve(verdict.rows.size());
  for (authority::BoardRow& row : verdict.rows) rows.emplace_back(std::move(row.id), std::move(row.json));
  try {
    store_.save_whiteboard_elements(live.record.room_code, rows);
  } catch (const StorageError& error) {
    return reply_problem(connection, storage_problem(error, "saving whiteboard ops"), id);
  }
  for (const whiteboard::Element& element : verdict.elements) wb.apply(element);
  live.board_bytes = verdict.board_bytes;
  live.board_pages.reset();
  apply(live, live.rules.tell_everyone(srv::WhiteboardOps{connection->peer_id, std::move(verdict.accepted)}, connection->user_id()));
  if (id) send(connection, srv::Ack{*id});
}

// A joiner gets the whole board (tombstones included, so its own replica converges) in pages of at
// most kMaxWhiteboardOps elements and about kHistoryPageBytes, encoded once per change of the board.
const std::vector<Frame>& RoomHub::board_pages(LiveRoom& live) {
  if (!live.board_pages) {
    auto pages = std::make_shared<std::vector<Frame>>();
    std::vector<json> batch;
    std::size_t batch_bytes = 0;
    const auto flush = [&] {
      if (batch.empty()) return;
      pages->push_back(std::make_shared<const std::string>(protocol::encode(srv::WhiteboardOps{"server", std::move(batch)})));
      batch.clear();
      batch_bytes = 0;
    };
    for (const auto& [element_id, element] : board(live).elements()) {
      json written = whiteboard::write_element(element);
      const std::size_t bytes = written.dump().size();
      if (batch.size() == protocol::kMaxWhiteboardOps || batch_bytes + bytes > kHistoryPageBytes) flush();
      batch_bytes += bytes;
      batch.push_back(std::move(written));
    }
    flush();
    live.board_pages = std::move(pages);
  }
  return *live.board_pages;
}

// The newest kChatHistory messages, oldest first, one chat:message frame each (the client already
// de-duplicates them by id, so a resume that sees some again shows each once).
const std::vector<Frame>& RoomHub::chat_pages(LiveRoom& live) {
  if (!live.chat_pages) {
    auto pages = std::make_shared<std::vector<Frame>>();
    try {
      for (const ChatRecord& c : store_.recent_chat(live.record.room_code, kChatHistory)) {
        // Stored before the text rules refused control characters: every client would refuse it.
        if (protocol::check_text(c.file ? protocol::TextRule::chat_caption : protocol::TextRule::chat_text, c.text)) continue;
        pages->push_back(std::make_shared<const std::string>(
            protocol::encode(srv::ChatMessage{c.id, c.from_user_id, c.display_name, c.text, c.sent_at, c.client_msg_id, c.file})));
      }
    } catch (const StorageError& error) {
      log::storage_failed("reading chat history", error.what());
      static const std::vector<Frame> kNothing;
      return kNothing;  // not cached: the next joiner tries again
    }
    live.chat_pages = std::move(pages);
  }
  return *live.chat_pages;
}

}  // namespace mehfil::server
