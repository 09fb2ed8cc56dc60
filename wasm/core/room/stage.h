// Stage: what the call shows. Which tiles exist (a camera per person, a screen per share, the open
// whiteboard and code editor), in what order, which one is pinned and which page of the grid this
// user looks at.
//
// Why it is core state and not the executor's: the tile set follows rules (the people who were in
// the room before us come first; a screen tile exists while its owner says they share; an open
// shared tool holds the stage unless the user pinned someone), and a pinned tile or a page must
// survive the list changing under it. The layout engine (layout/layout.h) then places these tiles; it
// keeps no state, so the pin and the page live here.
//
//   intent                  effect
//   pin(tile)               that tile takes the stage (layout "auto" with pinned); a tile that goes
//                           away drops its pin, so nobody is left pinned to an empty stage
//   unpin()                 no pin: a shared screen or the open tool takes the stage again
//   show_page(n)            the grid or filmstrip shows page n (the engine clamps it to the last)
//   set_tool(tool, open)    the whiteboard's or the code editor's tile comes or goes; with both
//                           open, the one opened last holds the stage and the other joins the filmstrip
// Tiles exist only while the user is in the room (in_room, waiting, reconnecting).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "room/room_client.h"
#include "room/speakers.h"

namespace mehfil::room {

enum class StageContent { camera, screen, whiteboard, code };
std::string_view to_string(StageContent content);

// One tile as the layout engine takes it (id, pinned, speaking, has_video, is_local; a shared tool is
// a "screen" tile to the engine), plus whose it is.
struct StageTile {
  std::string id;
  StageContent content = StageContent::camera;
  std::string peer_id;  // empty for a shared tool
  std::string user_id;
  bool pinned = false;
  bool speaking = false;
  bool has_video = false;
  bool is_local = false;
  friend bool operator==(const StageTile&, const StageTile&) = default;
};

inline constexpr std::string_view kWhiteboardTileId = "whiteboard";
inline constexpr std::string_view kCodeTileId = "code";
// The id of a person's screen-share tile (their camera tile's id is their peer id).
std::string screen_tile_id(const std::string& peer_id);

class Stage {
 public:
  void pin(std::string tile_id) { pinned_ = std::move(tile_id); }
  void unpin() { pinned_.reset(); }
  void show_page(int page) { page_ = page < 0 ? 0 : page; }
  // `tool`: StageContent::whiteboard or StageContent::code (anything else changes nothing).
  void set_tool(StageContent tool, bool open);

  int page() const { return page_; }
  bool tool_open(StageContent tool) const;
  // The tiles now, in the order the grid shows them (everyone in the room, self among them), with
  // `pinned` set on the one that holds the stage. Drops the user's pin if its tile is gone.
  std::vector<StageTile> tiles(const RoomClient& client, const SpeakerTracker& speakers);
  const std::optional<std::string>& pinned_by_user() const { return pinned_; }

 private:
  std::optional<std::string> pinned_;
  int page_ = 0;
  std::vector<StageContent> tools_;  // the open shared tools, in the order they were opened
};

}  // namespace mehfil::room
