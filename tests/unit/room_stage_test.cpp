// Stage (room/stage.h): which tiles the call shows, in what order, and which one holds the stage.
#include <catch2/catch.hpp>

#include "room/stage.h"
#include "room_client_support.h"

using namespace mehfil::room;
using namespace room_test;

namespace {

std::vector<std::string> ids(const std::vector<StageTile>& tiles) {
  std::vector<std::string> out;
  for (const auto& t : tiles) out.push_back(t.id);
  return out;
}

std::string pinned(const std::vector<StageTile>& tiles) {
  for (const auto& t : tiles) {
    if (t.pinned) return t.id;
  }
  return "";
}

}  // namespace

TEST_CASE("Nobody has a tile before the user is in the room") {
  RoomClient room;
  SpeakerTracker speakers;
  Stage stage;
  CHECK(stage.tiles(room, speakers).empty());
  room.handle(Join{"AbCdEf23", "Asha", std::nullopt}, 0);
  CHECK(stage.tiles(room, speakers).empty());
}

TEST_CASE("People who were in the room before us come first, then us, then later arrivals") {
  RoomClient room = in_room();  // p1 and p2 were there
  receive(room, server::ParticipantJoined{"AbCdEf23", person("3"), 4});
  SpeakerTracker speakers;
  Stage stage;
  const auto tiles = stage.tiles(room, speakers);
  CHECK(ids(tiles) == std::vector<std::string>{"p1", "p2", "p5", "p3"});
  CHECK(tiles[2].is_local);
  CHECK(tiles[2].user_id == "u5");
  CHECK(pinned(tiles).empty());
}

TEST_CASE("A screen share is a tile of its own beside its owner's camera, ours too") {
  RoomClient room = in_room();
  auto sharing = person("2");
  sharing.screen = true;
  receive(room, server::ParticipantUpdated{"AbCdEf23", sharing});
  room.handle(SetOwnMedia{true, false, true}, 30);
  SpeakerTracker speakers;
  Stage stage;
  const auto tiles = stage.tiles(room, speakers);
  CHECK(ids(tiles) == std::vector<std::string>{"p1", "p2", "p2:screen", "p5", "p5:screen"});
  CHECK(tiles[2].content == StageContent::screen);
  CHECK_FALSE(tiles[3].has_video);  // our camera is off
}

TEST_CASE("Speaking rings come from the speaker rule") {
  RoomClient room = in_room();
  SpeakerTracker speakers;
  speakers.update({{"p2", 0.5}, {"p5", 0.0}}, 100);
  Stage stage;
  const auto tiles = stage.tiles(room, speakers);
  CHECK(tiles[1].speaking);
  CHECK_FALSE(tiles[2].speaking);
}

TEST_CASE("A pinned tile holds the stage until unpinned or gone, and outranks the whiteboard") {
  RoomClient room = in_room();
  SpeakerTracker speakers;
  Stage stage;
  stage.set_tool(StageContent::whiteboard, true);
  CHECK(pinned(stage.tiles(room, speakers)) == "whiteboard");  // an open board keeps the stage
  stage.pin("p2");
  CHECK(pinned(stage.tiles(room, speakers)) == "p2");
  stage.unpin();
  CHECK(pinned(stage.tiles(room, speakers)) == "whiteboard");
  stage.set_tool(StageContent::whiteboard, false);
  stage.pin("p2");
  receive(room, server::ParticipantLeft{"AbCdEf23", "u2", "p2", 2});
  CHECK(pinned(stage.tiles(room, speakers)).empty());
  CHECK_FALSE(stage.pinned_by_user().has_value());  // the pin went with the tile
}

TEST_CASE("The page the user picked is kept, and never negative") {
  Stage stage;
  stage.show_page(2);
  CHECK(stage.page() == 2);
  stage.show_page(-4);
  CHECK(stage.page() == 0);
}

TEST_CASE("With the whiteboard and the code editor both open, the one opened last holds the stage and the other stays in the filmstrip") {
  RoomClient room = in_room();
  SpeakerTracker speakers;
  Stage stage;
  stage.set_tool(StageContent::whiteboard, true);
  stage.set_tool(StageContent::code, true);
  const auto tiles = stage.tiles(room, speakers);
  CHECK(pinned(tiles) == "code");
  CHECK(std::count_if(tiles.begin(), tiles.end(), [](const StageTile& t) { return t.id == "whiteboard" || t.id == "code"; }) == 2);
  stage.set_tool(StageContent::whiteboard, true);  // opened again: it comes to the front
  CHECK(pinned(stage.tiles(room, speakers)) == "whiteboard");
  stage.set_tool(StageContent::whiteboard, false);
  CHECK(pinned(stage.tiles(room, speakers)) == "code");
  CHECK(stage.tool_open(StageContent::code));
  CHECK_FALSE(stage.tool_open(StageContent::whiteboard));
  stage.set_tool(StageContent::camera, true);  // not a tool: nothing changes
  CHECK(pinned(stage.tiles(room, speakers)) == "code");
}
