// Stage: what the call shows. Which tiles exist (a camera per person, a screen per share, the open
// whiteboard), in what order, which one is pinned and which page of the grid this user looks at.
//
// Why it is core state and not the executor's: the tile set follows rules (the people who were in
// the room before us come first; a screen tile exists while its owner says they share; an open
// whiteboard holds the stage unless the user pinned someone), and a pinned tile or a page must
// survive the list changing under it. The layout engine (layout/layout.h) then places these tiles; it
// keeps no state, so the pin and the page live here.
//
//   intent                  effect
//   pin(tile)               that tile takes the stage (layout "auto" with pinned); a tile that goes
//                           away drops its pin, so nobody is left pinned to an empty stage
//   unpin()                 no pin: a shared screen or the whiteboard takes the stage again
//   show_page(n)            the grid or filmstrip shows page n (the engine clamps it to the last)
//   set_whiteboard(open)    the whiteboard tile comes or goes
// Tiles exist only while the user is in the room (in_room, waiting, reconnecting).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "room/room_client.h"
#include "room/speakers.h"

namespace mehfil::room {

enum class StageContent { camera, screen, whiteboard };
std::string_view to_string(StageContent content);

// One tile as the layout engine takes it (id, pinned, speaking, has_video, is_local; a whiteboard is a
// "screen" tile to the engine), plus whose it is.
struct StageTile {
  std::string id;
  StageContent content = StageContent::camera;
  std::string peer_id;  // empty for the whiteboard
  std::string user_id;
  bool pinned = false;
  bool speaking = false;
  bool has_video = false;
  bool is_local = false;
  friend bool operator==(const StageTile&, const StageTile&) = default;
};

inline constexpr std::string_view kWhiteboardTileId = "whiteboard";
// The id of a person's screen-share tile (their camera tile's id is their peer id).
std::string screen_tile_id(const std::string& peer_id);

class Stage {
 public:
  void pin(std::string tile_id) { pinned_ = std::move(tile_id); }
  void unpin() { pinned_.reset(); }
  void show_page(int page) { page_ = page < 0 ? 0 : page; }
  void set_whiteboard(bool open) { whiteboard_open_ = open; }

  int page() const { return page_; }
  bool whiteboard_open() const { return whiteboard_open_; }
  // The tiles now, in the order the grid shows them (everyone in the room, self among them), with
  // `pinned` set on the one that holds the stage. Drops the user's pin if its tile is gone.
  std::vector<StageTile> tiles(const RoomClient& client, const SpeakerTracker& speakers);
  const std::optional<std::string>& pinned_by_user() const { return pinned_; }

 private:
  std::optional<std::string> pinned_;
  int page_ = 0;
  bool whiteboard_open_ = false;
};

}  // namespace mehfil::room
