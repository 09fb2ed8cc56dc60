// Whiteboard benchmark: building one frame's triangles for a board of 10,000 strokes (target
// <= 8 ms natively), with no growth in allocations from frame to frame (the vertex buffer's capacity
// must not change once warm), beside a baseline in the same process: copying the same number of
// points into a flat buffer. `--quick`: a smoke run for ctest.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "whiteboard/board.h"
#include "whiteboard/geometry.h"

using namespace mehfil::whiteboard;

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int strokes = quick ? 1000 : 10000;
  const int rounds = quick ? 5 : 31;
  std::mt19937 rng(7);
  Board board;
  BoardEditor editor("bench");
  std::size_t points = 0;
  for (int i = 0; i < strokes; ++i) {
    Element e;
    e.kind = ElementKind::freehand;
    glm::vec2 p(static_cast<float>(rng() % 4000), static_cast<float>(rng() % 4000));
    const int n = 10 + static_cast<int>(rng() % 30);  // smoothed strokes keep tens of points
    for (int k = 0; k < n; ++k) {
      p += glm::vec2(static_cast<float>(rng() % 21) - 10, static_cast<float>(rng() % 21) - 10);
      e.points.push_back(p);
    }
    points += e.points.size();
    e.style.width = 1 + static_cast<float>(rng() % 6);
    editor.add(board, e, static_cast<std::uint32_t>(rng()));
  }

  GeometryBuilder builder;
  builder.build(board);  // warm: the buffer reaches its size
  const std::size_t warm_capacity = builder.vertices().capacity();
  std::vector<double> build_ms, copy_ms;
  std::vector<glm::vec2> flat;
  flat.reserve(points);
  bool grew = false;
  for (int r = 0; r < rounds; ++r) {
    auto start = std::chrono::steady_clock::now();
    const auto& vertices = builder.build(board);
    build_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    grew = grew || vertices.capacity() != warm_capacity;
    start = std::chrono::steady_clock::now();
    flat.clear();
    for (const auto& [id, element] : board.elements()) flat.insert(flat.end(), element.points.begin(), element.points.end());
    copy_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(build_ms.begin(), build_ms.end());
  std::sort(copy_ms.begin(), copy_ms.end());
  const double build = build_ms[build_ms.size() / 2], copy = copy_ms[copy_ms.size() / 2];
  std::printf("whiteboard geometry, native: %d strokes, %zu points, %zu vertices (median of %d frames)\n", strokes, points,
              builder.vertices().size(), rounds);
  std::printf("  build one frame   %8.3f ms   (target <= 8 ms for 10,000 strokes)\n", build);
  std::printf("  copy the points   %8.3f ms   baseline; ratio %.1fx\n", copy, build / copy);
  std::printf("  vertex buffer capacity after warm-up: %zu, %s\n", warm_capacity,
              grew ? "GREW during the run" : "unchanged every frame (no per-frame growth)");
  return grew ? 1 : 0;
}
