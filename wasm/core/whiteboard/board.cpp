#include "whiteboard/board.h"

#include <algorithm>
#include <cstdio>

#include "whiteboard/element_json.h"

namespace mehfil::whiteboard {

bool Board::apply(const Element& incoming) {
  auto [it, inserted] = elements_.try_emplace(incoming.id, incoming);
  if (inserted) return true;
  Element& current = it->second;
  bool wins = incoming.version > current.version ||
              (incoming.version == current.version && incoming.version_nonce < current.version_nonce);
  if (!wins && incoming.version == current.version && incoming.version_nonce == current.version_nonce &&
      !(incoming == current)) {
    wins = write_element(incoming).dump() < write_element(current).dump();
  }
  if (wins) current = incoming;
  return wins;
}

const Element* Board::find(const std::string& id) const {
  const auto it = elements_.find(id);
  return it == elements_.end() ? nullptr : &it->second;
}

std::vector<const Element*> Board::ordered() const {
  std::vector<const Element*> live;
  live.reserve(elements_.size());
  for (const auto& [id, element] : elements_) {
    if (!element.deleted) live.push_back(&element);
  }
  std::stable_sort(live.begin(), live.end(), [](const Element* a, const Element* b) { return a->z < b->z; });
  return live;  // map order is by id, so ties in z stay ordered by id
}

std::string Board::canonical_json() const {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& [id, element] : elements_) all.push_back(write_element(element));
  return all.dump();
}

std::string Board::next_z() const {
  long long top = 0;
  for (const auto& [id, element] : elements_) {
    if (element.z.size() == 12) top = std::max(top, std::atoll(element.z.c_str()));
  }
  char z[24];
  std::snprintf(z, sizeof z, "%012lld", top + 1);
  return z;
}

Element BoardEditor::commit(Board& board, Element next, std::optional<Element> before, std::uint32_t nonce) {
  next.version = (before ? before->version : 0) + 1;
  if (const Element* current = board.find(next.id)) next.version = std::max(next.version, current->version + 1);
  next.version_nonce = nonce;
  board.apply(next);
  undo_.push_back({Change{std::move(before), next}});
  redo_.clear();
  return next;
}

Element BoardEditor::add(Board& board, Element element, std::uint32_t nonce) {
  element.id = author_ + ":" + std::to_string(++counter_);
  element.z = board.next_z();
  element.deleted = false;
  return commit(board, std::move(element), std::nullopt, nonce);
}

std::optional<Element> BoardEditor::edit(Board& board, const std::string& id, std::uint32_t nonce,
                                         const std::function<void(Element&)>& change) {
  const Element* current = board.find(id);
  if (!current || current->deleted) return std::nullopt;
  Element next = *current;
  change(next);
  return commit(board, std::move(next), *current, nonce);
}

std::optional<Element> BoardEditor::move(Board& board, const std::string& id, glm::vec2 delta, std::uint32_t nonce) {
  return edit(board, id, nonce, [delta](Element& e) {
    for (glm::vec2& p : e.points) p += delta;
  });
}

std::optional<Element> BoardEditor::restyle(Board& board, const std::string& id, Style style, std::uint32_t nonce) {
  return edit(board, id, nonce, [style](Element& e) { e.style = style; });
}

std::optional<Element> BoardEditor::erase(Board& board, const std::string& id, std::uint32_t nonce) {
  return edit(board, id, nonce, [](Element& e) { e.deleted = true; });
}

std::vector<Element> BoardEditor::clear(Board& board, std::uint32_t nonce) {
  std::vector<Change> changes;
  std::vector<Element> ops;
  for (const Element* current : board.ordered()) {
    Element next = *current;
    next.deleted = true;
    next.version = current->version + 1;
    next.version_nonce = nonce;
    changes.push_back({*current, next});
    ops.push_back(next);
  }
  for (const Element& op : ops) board.apply(op);
  if (!changes.empty()) {
    undo_.push_back(std::move(changes));
    redo_.clear();
  }
  return ops;
}

// Puts each element of the last action back to its state before (undo) or after (redo), as a new
// version, so the others see an ordinary edit.
std::vector<Element> BoardEditor::replay(Board& board, std::vector<std::vector<Change>>& from,
                                         std::vector<std::vector<Change>>& to, bool backwards, std::uint32_t nonce) {
  if (from.empty()) return {};
  std::vector<Change> action = std::move(from.back());
  from.pop_back();
  std::vector<Element> ops;
  for (const Change& change : action) {
    Element target = backwards ? (change.before ? *change.before : change.after) : change.after;
    if (backwards && !change.before) target.deleted = true;
    const Element* current = board.find(target.id);
    target.version = (current ? current->version : 0) + 1;
    target.version_nonce = nonce;
    board.apply(target);
    ops.push_back(target);
  }
  to.push_back(std::move(action));
  return ops;
}

std::vector<Element> BoardEditor::undo(Board& board, std::uint32_t nonce) { return replay(board, undo_, redo_, true, nonce); }
std::vector<Element> BoardEditor::redo(Board& board, std::uint32_t nonce) { return replay(board, redo_, undo_, false, nonce); }

}  // namespace mehfil::whiteboard
