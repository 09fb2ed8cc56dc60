// Board: one replica of a room's whiteboard. Elements merge last-writer-wins per id: the higher
// `version` wins; on equal versions the lower `version_nonce` wins (as Excalidraw reconciles); an
// exact tie between different contents falls to the smaller canonical text, so every replica picks
// the same one. Applying is idempotent and commutative: replicas that saw the same ops, in any order
// and with duplicates, hold byte-identical boards.
//
// BoardEditor is one user's hands on it: it makes the ops for the tools (add, move, restyle, erase,
// clear) with ids "<author>:<counter>" and remembers that user's own actions for undo and redo.
// Randomness (nonces) comes from the caller, so the core stays deterministic.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "whiteboard/element.h"

namespace mehfil::whiteboard {

class Board {
 public:
  // Merges one op; true when it changed the board.
  bool apply(const Element& incoming);
  const Element* find(const std::string& id) const;
  // Live (not deleted) elements in drawing order: by (z, id).
  std::vector<const Element*> ordered() const;
  const std::map<std::string, Element>& elements() const { return elements_; }
  // Every element, tombstones included, as canonical JSON text: equal boards, equal bytes.
  std::string canonical_json() const;
  std::string next_z() const;  // above everything on the board

 private:
  std::map<std::string, Element> elements_;
};

class BoardEditor {
 public:
  explicit BoardEditor(std::string author) : author_(std::move(author)) {}

  // Each returns the op to apply locally and send as wb:ops (already applied to `board`).
  Element add(Board& board, Element element, std::uint32_t nonce);  // id, z and version are assigned
  std::optional<Element> move(Board& board, const std::string& id, glm::vec2 delta, std::uint32_t nonce);
  std::optional<Element> restyle(Board& board, const std::string& id, Style style, std::uint32_t nonce);
  std::optional<Element> erase(Board& board, const std::string& id, std::uint32_t nonce);
  // Everything on the board deleted (the UI offers it to the host only; the server enforces it).
  std::vector<Element> clear(Board& board, std::uint32_t nonce);

  // Undo or redo this user's last action; nothing when there is none.
  std::vector<Element> undo(Board& board, std::uint32_t nonce);
  std::vector<Element> redo(Board& board, std::uint32_t nonce);
  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }

 private:
  struct Change {
    std::optional<Element> before;  // nothing: the element did not exist
    Element after;
  };
  std::optional<Element> edit(Board& board, const std::string& id, std::uint32_t nonce,
                              const std::function<void(Element&)>& change);
  Element commit(Board& board, Element next, std::optional<Element> before, std::uint32_t nonce);
  std::vector<Element> replay(Board& board, std::vector<std::vector<Change>>& from,
                              std::vector<std::vector<Change>>& to, bool backwards, std::uint32_t nonce);

  std::string author_;
  std::uint64_t counter_ = 0;
  std::vector<std::vector<Change>> undo_;
  std::vector<std::vector<Change>> redo_;
};

}  // namespace mehfil::whiteboard
