// The room's shared code (room_hub.h): code:update checked by the room's rules and the core's quota
// (authority/code_rules.h), stored before anyone sees it, relayed to the room, and the stored
// updates a joiner catches up on, encoded once into shared pages; and compaction, when the room's
// rules ask a member for the whole state and it replaces the oldest updates. The updates are Yjs
// updates in base64 that only the clients read (code-editor/src/code-doc.js); the server keeps
// their order.
#include "room_hub.h"

#include <cstring>

#include <sodium.h>

#include "log.h"
#include "protocol/codec.h"
#include "protocol/validation.h"

namespace mehfil::server {

using protocol::ErrorCode;

namespace {

constexpr std::size_t kCodePageBytes = 1024 * 1024;  // one history page at most (whole updates)

}  // namespace

// Loaded from the store the first time anyone needs it. A read that fails throws (StorageError) and
// leaves nothing in memory, so the next request tries again rather than seeing no code.
std::vector<std::string>& RoomHub::code(LiveRoom& live) {
  if (!live.code) {
    std::vector<std::string> loaded = store_.code_updates(live.record.room_code);
    std::size_t bytes = 0;
    for (const std::string& update : loaded) bytes += update.size();
    live.code = std::move(loaded);
    live.code_bytes = bytes;
  }
  return *live.code;
}

// The room's rules say whether this member may edit (authority/room_authority.h), the core's quota
// whether the room may hold it; then the bytes-stored-per-user quota it shares with chat and the
// board; then SQLite has it, and only then the others hear it.
void RoomHub::code_update(const std::shared_ptr<Connection>& connection, LiveRoom& live, const std::string& update,
                          const std::optional<protocol::RequestId>& id) {
  const authority::Outcome allowed =
      live.rules.message(connection->id(), actor(connection->claims()), cli::CodeUpdate{update}, now_ms());
  if (allowed.problem) return reply_error(connection, allowed.problem->code, allowed.problem->message, id);
  std::vector<std::string>& updates = code(live);
  if (auto problem = authority::check_code_update({live.code_bytes, updates.size()}, update.size(), code_limits_)) {
    return reply_problem(connection, rules_problem(*problem), id);
  }
  if (auto problem = take_write_bytes(connection->user_id(), update.size())) return reply_problem(connection, *problem, id);
  try {
    store_.add_code_update(live.record.room_code, connection->user_id(), update, now_ms());
  } catch (const StorageError& error) {
    return reply_problem(connection, storage_problem(error, "saving a code update"), id);
  }
  updates.push_back(update);
  live.code_bytes += update.size();
  live.code_pages.reset();
  apply(live, live.rules.tell_everyone(srv::CodeUpdates{connection->peer_id, {update}}, connection->user_id()));
  if (id) send(connection, srv::Ack{*id});
  // The sender has heard every update before theirs on this socket, so their state covers them all.
  if (auto ask = authority::compaction_to_ask({live.code_bytes, updates.size()}, live.compaction, connection->user_id(),
                                              now_ms(), code_limits_)) {
    live.compaction = ask;
    send(connection, srv::CodeCompact{static_cast<std::int64_t>(ask->upto)});
  }
}

ApiReply RoomHub::compact_code(const Claims& user, const std::string& room_code, std::size_t upto, std::string_view state) {
  LiveRoom* live = room(room_code);
  if (!live) return error({404, ErrorCode::room_not_found, "No such room."});
  // Stored as every update is: base64 (libsodium's), which the pages carry as they are.
  std::string encoded(sodium_base64_encoded_len(state.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(state.data()), state.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::strlen(encoded.c_str()));
  if (auto problem = authority::check_compaction(live->compaction, user.sub, upto, encoded.size(), now_ms(), code_limits_)) {
    return refusal(*problem);
  }
  std::vector<std::string>& updates = code(*live);
  if (upto > updates.size()) return error({409, ErrorCode::bad_request, "The room holds fewer updates than that."});
  store_.compact_code_updates(room_code, upto, user.sub, encoded, now_ms());  // a StorageError fails this request alone
  std::size_t dropped = 0;
  for (std::size_t i = 0; i < upto; ++i) dropped += updates[i].size();
  updates.erase(updates.begin(), updates.begin() + static_cast<std::ptrdiff_t>(upto));
  updates.insert(updates.begin(), encoded);
  live->code_bytes = live->code_bytes - dropped + encoded.size();
  live->code_pages.reset();
  live->compaction.reset();
  log::code_compacted(room_code, upto, dropped, encoded.size());
  return ApiReply{200, {{"updates", updates.size()}, {"bytes", live->code_bytes}}};
}

// A joiner gets every stored update, oldest first, in pages of at most kMaxCodeUpdatesPerFrame
// updates and about kCodePageBytes, encoded once per change of the code.
const std::vector<Frame>& RoomHub::code_pages(LiveRoom& live) {
  if (!live.code_pages) {
    auto pages = std::make_shared<std::vector<Frame>>();
    try {
      srv::CodeUpdates page{"server", {}};
      std::size_t page_bytes = 0;
      const auto flush = [&] {
        if (page.updates.empty()) return;
        pages->push_back(std::make_shared<const std::string>(protocol::encode(page)));
        page.updates.clear();
        page_bytes = 0;
      };
      for (const std::string& update : code(live)) {
        if (page.updates.size() == protocol::kMaxCodeUpdatesPerFrame || page_bytes + update.size() > kCodePageBytes) flush();
        page_bytes += update.size();
        page.updates.push_back(update);
      }
      flush();
    } catch (const StorageError& error) {
      log::storage_failed("reading the room's code", error.what());
      static const std::vector<Frame> kNothing;
      return kNothing;  // not cached: the next joiner tries again
    }
    live.code_pages = std::move(pages);
  }
  return *live.code_pages;
}

}  // namespace mehfil::server
