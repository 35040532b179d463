#include "kooplab/runner/dispatch_order.hpp"

#include <algorithm>
#include <numeric>

#include "kooplab/error.hpp"

namespace kooplab {

std::vector<std::size_t> longest_first(const std::vector<std::size_t>& pending,
                                       const std::vector<std::optional<double>>& previous_seconds) {
  if (previous_seconds.size() != pending.size())
    throw Error("longest_first: one previous duration (or none) per pending run expected");
  std::vector<std::size_t> positions(pending.size());
  std::iota(positions.begin(), positions.end(), std::size_t(0));
  // Stable: runs of equal (or no) known duration keep their index order.
  std::stable_sort(positions.begin(), positions.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = previous_seconds[a];
    const auto& y = previous_seconds[b];
    if (x && y) return *x > *y;
    return x.has_value() && !y.has_value();
  });
  std::vector<std::size_t> order;
  for (const std::size_t position : positions) order.push_back(pending[position]);
  return order;
}

}  // namespace kooplab
