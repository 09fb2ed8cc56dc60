// The room's board and what a joiner catches up on (room_hub.h): whiteboard ops checked whole and
// stored before anyone sees them, and the board and chat history encoded once into shared pages.
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
namespace srv = protocol::server;

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

// A batch of whiteboard ops is checked whole before any of it is applied: one bad op and the board
// stays as it was for everyone. New elements must be authored by the sender ("<user_id>:<n>"), and a
// version may only grow by board_version_step at a time, so nobody can write one that nobody can
// ever change again. The batch is stored first and applied in memory only once SQLite has it.
void RoomHub::whiteboard_ops(const std::shared_ptr<Connection>& connection, LiveRoom& live,
                             const std::vector<json>& ops, const std::optional<protocol::RequestId>& id) {
  whiteboard::Board& wb = board(live);
  std::vector<whiteboard::Element> elements;
  elements.reserve(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const std::string where = "wb:ops.ops[" + std::to_string(i) + "]";
    auto read = whiteboard::read_element(ops[i]);
    if (!read.element) return reply_error(connection, ErrorCode::bad_request, where + ": " + read.problem, id);
    const whiteboard::Element* current = wb.find(read.element->id);
    const std::string author = read.element->id.substr(0, read.element->id.rfind(':'));
    if (!current && author != connection->user_id()) {
      return reply_error(connection, ErrorCode::bad_request, where + ": new elements must carry your own user id", id);
    }
    const std::int64_t stored_version = current ? current->version : 0;
    if (read.element->version > stored_version + config_.board_version_step) {
      return reply_error(connection, ErrorCode::bad_request,
                         where + ".version may be at most " + std::to_string(config_.board_version_step) +
                             " above the stored version (" + std::to_string(stored_version) + ")",
                         id);
    }
    elements.push_back(std::move(*read.element));
  }
  // Erasing a stroke of someone else's is ordinary teamwork; wiping several at once is clearing the
  // board, which only the host and co-hosts may do; and erasing them one by one is limited per minute.
  const auto others_erased = std::count_if(elements.begin(), elements.end(), [&](const whiteboard::Element& e) {
    const whiteboard::Element* current = wb.find(e.id);
    return e.deleted && current && !current->deleted && e.id.rfind(connection->user_id() + ":", 0) != 0;
  });
  const bool may_clear = !authority::check_power(live.rules.role_of(actor(connection->claims())), authority::Power::clear_board);
  if (others_erased > 1 && !may_clear) {
    return reply_error(connection, ErrorCode::not_host, "Only the host or a co-host can clear the board.", id);
  }
  if (others_erased > 0 && !may_clear) {
    if (const auto wait = others_erased_.take(connection->user_id(), static_cast<double>(others_erased),
                                              std::chrono::steady_clock::now())) {
      return reply_error(connection, ErrorCode::rate_limited,
                         "You have erased " + std::to_string(config_.board_erase_others_per_minute) +
                             " of other people's drawings this minute: ask the host to clear the board.",
                         id, wait);
    }
  }
  // What would change, decided on a scratch board holding only the touched elements.
  whiteboard::Board scratch;
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<json> accepted;
  std::size_t bytes = live.board_bytes;
  std::size_t count = wb.elements().size();
  for (const whiteboard::Element& element : elements) {
    const whiteboard::Element* current = scratch.find(element.id);
    if (!current) current = wb.find(element.id);
    if (current) scratch.apply(*current);
    if (!scratch.apply(element)) continue;  // older than what the board has: nothing to tell anyone
    json written = whiteboard::write_element(element);
    std::string body = written.dump();
    const auto previous = std::find_if(rows.begin(), rows.end(), [&](const auto& row) { return row.first == element.id; });
    if (previous != rows.end()) {
      bytes -= previous->second.size();
      rows.erase(previous);
    } else if (const whiteboard::Element* stored = wb.find(element.id)) {
      bytes -= whiteboard::write_element(*stored).dump().size();
    } else {
      ++count;
    }
    bytes += body.size();
    rows.emplace_back(element.id, std::move(body));
    accepted.push_back(std::move(written));
  }
  if (rows.empty()) {
    if (id) send(connection, srv::Ack{*id});
    return;
  }
  if (count > config_.board_elements_per_room || bytes > config_.board_bytes_per_room) {
    return reply_error(connection, ErrorCode::quota_exceeded,
                       "This room's whiteboard is full (" + std::to_string(config_.board_elements_per_room) +
                           " elements or " + std::to_string(config_.board_bytes_per_room / 1024) +
                           " KiB): the host can clear it.",
                       id);
  }
  // Erasing (the host's Clear included) makes tombstones, not new drawing: only drawing counts.
  std::size_t written_bytes = 0;
  for (const json& op : accepted) {
    if (!op.value("deleted", false)) written_bytes += op.dump().size();
  }
  if (auto problem = take_write_bytes(connection->user_id(), written_bytes)) return reply_problem(connection, *problem, id);
  try {
    store_.save_whiteboard_elements(live.record.room_code, rows);
  } catch (const StorageError& error) {
    return reply_problem(connection, storage_problem(error, "saving whiteboard ops"), id);
  }
  for (const whiteboard::Element& element : elements) wb.apply(element);
  live.board_bytes = bytes;
  live.board_pages.reset();
  apply(live, live.rules.tell_everyone(srv::WhiteboardOps{connection->peer_id, std::move(accepted)}, connection->user_id()));
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
        if (protocol::check_text(protocol::TextRule::chat_text, c.text)) continue;
        pages->push_back(std::make_shared<const std::string>(
            protocol::encode(srv::ChatMessage{c.id, c.from_user_id, c.display_name, c.text, c.sent_at, c.client_msg_id})));
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
