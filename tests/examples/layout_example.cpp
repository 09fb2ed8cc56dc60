// Lay out four people on a 1280x720 screen, then share a screen.
#include <cstdio>

#include "layout/layout.h"

int main() {
  using namespace mehfil::layout;
  Input input;
  input.viewport = {1280, 720};
  for (const char* id : {"ana", "ben", "chen", "dev"}) input.tiles.push_back({id});

  Output grid = compute(input);  // 4 tiles -> 2 x 2
  std::printf("%d x %d\n", grid.columns, grid.rows);

  input.mode = Mode::automatic;
  input.tiles[2].kind = TileKind::screen;  // chen shares a screen: it takes the stage
  Output shared = compute(input);
  for (const TileRect& tile : shared.tiles) {
    std::printf("%-5s %7.1f %7.1f %7.1f x %6.1f%s\n", tile.id.c_str(), tile.x, tile.y, tile.width, tile.height,
                shared.stage == tile.id ? "  (stage)" : "");
  }
  return grid.columns == 2 && grid.rows == 2 && shared.stage == "chen" ? 0 : 1;
}
