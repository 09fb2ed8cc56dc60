// Convergence: replicas that make random concurrent edits and receive each other's ops in any order,
// with duplicates, end byte-identical. A failing seed is printed; rerun it alone to debug.
#include <catch2/catch.hpp>

#include <random>

#include "whiteboard/board.h"
#include "whiteboard/element_json.h"

using namespace mehfil::whiteboard;

namespace {

struct Replica {
  Board board;
  BoardEditor editor;
  std::vector<Element> inbox;
};

// One random edit by `who`, returning the ops it produced.
std::vector<Element> random_edit(Replica& who, std::mt19937& rng) {
  const auto nonce = static_cast<std::uint32_t>(rng());
  const auto live = who.board.ordered();
  const int action = live.empty() ? 0 : static_cast<int>(rng() % 7);
  const auto pick = [&] { return live[rng() % live.size()]->id; };
  switch (action) {
    case 0:
    case 1: {
      Element e;
      e.kind = static_cast<ElementKind>(rng() % 5);
      const int points = e.kind == ElementKind::freehand ? 1 + static_cast<int>(rng() % 20) : 2;
      for (int i = 0; i < points; ++i) e.points.push_back({static_cast<float>(rng() % 1000), static_cast<float>(rng() % 1000)});
      return {who.editor.add(who.board, e, nonce)};
    }
    case 2: if (auto op = who.editor.move(who.board, pick(), {1, 2}, nonce)) return {*op}; return {};
    case 3: if (auto op = who.editor.restyle(who.board, pick(), Style{static_cast<std::uint32_t>(rng()), 3, false, 0}, nonce)) return {*op}; return {};
    case 4: if (auto op = who.editor.erase(who.board, pick(), nonce)) return {*op}; return {};
    case 5: return who.editor.undo(who.board, nonce);
    default: return who.editor.redo(who.board, nonce);
  }
}

}  // namespace

TEST_CASE("Replicas converge to byte-identical boards whatever the order and duplication of ops") {
  for (std::uint32_t seed = 1; seed <= 1000; ++seed) {
    std::mt19937 rng(seed);
    const int count = 2 + static_cast<int>(rng() % 4);
    std::vector<Replica> replicas;
    for (int i = 0; i < count; ++i) replicas.push_back({Board{}, BoardEditor("u" + std::to_string(i)), {}});
    const int rounds = 5 + static_cast<int>(rng() % 30);
    for (int round = 0; round < rounds; ++round) {
      Replica& who = replicas[rng() % replicas.size()];
      for (const Element& op : random_edit(who, rng)) {
        for (Replica& other : replicas) {
          if (&other == &who) continue;
          other.inbox.push_back(op);
          if (rng() % 4 == 0) other.inbox.push_back(op);  // delivered twice
        }
      }
      // Some replicas catch up part of the way, in a shuffled order, mid-session.
      for (Replica& r : replicas) {
        if (rng() % 3 != 0 || r.inbox.empty()) continue;
        std::shuffle(r.inbox.begin(), r.inbox.end(), rng);
        const std::size_t take = rng() % (r.inbox.size() + 1);
        for (std::size_t i = 0; i < take; ++i) r.board.apply(r.inbox[i]);
        r.inbox.erase(r.inbox.begin(), r.inbox.begin() + static_cast<long>(take));
      }
    }
    for (Replica& r : replicas) {
      std::shuffle(r.inbox.begin(), r.inbox.end(), rng);
      for (const Element& op : r.inbox) r.board.apply(op);
    }
    const std::string expected = replicas[0].board.canonical_json();
    for (const Replica& r : replicas) {
      if (r.board.canonical_json() != expected) FAIL("replicas diverged at seed " << seed);
    }
  }
}
