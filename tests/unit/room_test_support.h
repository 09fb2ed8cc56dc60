// Helpers shared by the room tests: picking commands of one kind out of a command list.
#pragma once

#include <cstddef>
#include <variant>
#include <vector>

namespace room_test {

// The commands of type T, in order.
template <class T, class Variant>
std::vector<T> all_of(const std::vector<Variant>& commands) {
  std::vector<T> found;
  for (const auto& c : commands) {
    if (const T* t = std::get_if<T>(&c)) found.push_back(*t);
  }
  return found;
}

template <class T, class Variant>
std::size_t count_of(const std::vector<Variant>& commands) {
  return all_of<T>(commands).size();
}

// The first command of type T; call only after checking count_of<T> > 0.
template <class T, class Variant>
T first_of(const std::vector<Variant>& commands) {
  return all_of<T>(commands).front();
}

}  // namespace room_test
