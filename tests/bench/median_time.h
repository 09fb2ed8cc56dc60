// The benchmarks' one timing rule: run `calls` calls per round, `rounds` rounds, and report the
// median of the rounds' mean time per call, so one noisy round (another process, a page fault) does
// not move the figure.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

template <typename Work>
double median_ns(int rounds, int calls, Work work) {
  std::vector<double> means;
  for (int r = 0; r < rounds; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) work();
    const std::chrono::duration<double, std::nano> spent = std::chrono::steady_clock::now() - start;
    means.push_back(spent.count() / calls);
  }
  std::nth_element(means.begin(), means.begin() + static_cast<long>(means.size() / 2), means.end());
  return means[means.size() / 2];
}
