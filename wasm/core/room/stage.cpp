// The stage's rules (room/stage.h): which tiles exist, their order, the pin.
#include "room/stage.h"

#include <algorithm>

namespace mehfil::room {

std::string_view to_string(StageContent content) {
  switch (content) {
    case StageContent::camera: return "camera";
    case StageContent::screen: return "screen";
    case StageContent::whiteboard: return "whiteboard";
    case StageContent::code: return "code";
  }
  return "?";
}

std::string screen_tile_id(const std::string& peer_id) { return peer_id + ":screen"; }

void Stage::set_tool(StageContent tool, bool open) {
  if (tool != StageContent::whiteboard && tool != StageContent::code) return;
  std::erase(tools_, tool);
  if (open) tools_.push_back(tool);
}

bool Stage::tool_open(StageContent tool) const { return std::find(tools_.begin(), tools_.end(), tool) != tools_.end(); }

std::vector<StageTile> Stage::tiles(const RoomClient& client, const SpeakerTracker& speakers) {
  const RoomState state = client.state();
  std::vector<StageTile> out;
  if (state != RoomState::in_room && state != RoomState::waiting && state != RoomState::reconnecting) return out;

  const auto add_person = [&](const protocol::Participant& p, bool is_local) {
    out.push_back({p.peer_id, StageContent::camera, p.peer_id, p.user_id, false, speakers.speaking(p.peer_id), p.video, is_local});
    if (p.screen) out.push_back({screen_tile_id(p.peer_id), StageContent::screen, p.peer_id, p.user_id, false, false, true, is_local});
  };
  // Self as the room knows us, with what we say we send.
  protocol::Participant self{client.self().user_id, client.self().peer_id, client.self().display_name,
                             client.role().is_host, client.role().is_cohost, client.own_media().audio,
                             client.own_media().video, client.own_media().screen};
  bool self_placed = false;
  for (const auto& p : client.participants()) {
    if (!self_placed && !client.joined_before_us(p.peer_id)) {
      add_person(self, true);
      self_placed = true;
    }
    add_person(p, false);
  }
  if (!self_placed) add_person(self, true);
  const auto tool_id = [](StageContent tool) { return std::string(tool == StageContent::code ? kCodeTileId : kWhiteboardTileId); };
  for (const StageContent tool : tools_) out.push_back({tool_id(tool), tool, {}, {}, false, false, true, false});

  // The user's pin while its tile lasts; else the tool opened last keeps the stage, even while
  // someone shares a screen (they opened it to work on together).
  if (pinned_ && std::none_of(out.begin(), out.end(), [&](const StageTile& t) { return t.id == *pinned_; })) pinned_.reset();
  const std::string holder = pinned_ ? *pinned_ : !tools_.empty() ? tool_id(tools_.back()) : std::string();
  for (auto& tile : out) tile.pinned = !holder.empty() && tile.id == holder;
  return out;
}

}  // namespace mehfil::room
