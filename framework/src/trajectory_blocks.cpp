#include "kooplab/trajectory_blocks.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"

namespace kooplab {

TrajectoryBlocks::~TrajectoryBlocks() = default;
BlockDataset::~BlockDataset() = default;
BlockEstimator::~BlockEstimator() = default;

arma::uword TrajectoryBlocks::pair_count() const {
  arma::uword count = 0;
  for (std::size_t k = 0; k < trajectory_count(); ++k) count += std::max<arma::uword>(length(k), 1) - 1;
  return count;
}

void TrajectoryBlocks::validate(const std::string& where) const {
  if (trajectory_count() == 0) throw DataError(where + ": no trajectories");
  if (state_dim() == 0) throw DataError(where + ": the trajectories have an empty state");
  for (std::size_t k = 0; k < trajectory_count(); ++k)
    if (length(k) < 2)
      throw DataError(
          fmt::format("{}: trajectory {} has {} snapshot(s); at least 2 are needed for a pair", where, k, length(k)));
}

arma::uword snapshots_per_block(arma::uword values) {
  constexpr arma::uword budget = arma::uword(1) << 22, most = 8192;
  return std::clamp<arma::uword>(budget / std::max<arma::uword>(values, 1), 1, most);
}

void for_each_pair_block(const TrajectoryBlocks& data, arma::uword skip, arma::uword history, arma::uword pairs,
                         const std::function<void(const PairBlock&)>& visit) {
  if (pairs == 0) throw std::invalid_argument("for_each_pair_block: blocks of zero pairs");
  PairBlock block;
  for (std::size_t k = 0; k < data.trajectory_count(); ++k) {
    const arma::uword length = data.length(k);
    for (arma::uword t = skip; t + 1 < length; t += pairs) {
      block.trajectory = k;
      block.first = t;
      block.lead = std::min(history, t);
      block.count = std::min(pairs, length - 1 - t);
      block.states = data.read(k, t - block.lead, block.lead + block.count + 1);
      visit(block);
    }
  }
}

void check_finite(const arma::mat& states, const std::string& where, std::size_t trajectory, arma::uword first_step) {
  if (states.is_finite()) return;
  const arma::uvec bad = arma::find_nonfinite(states);
  const arma::uword index = bad(0);
  const arma::uword row = index % states.n_rows, col = index / states.n_rows;
  throw DataError(fmt::format("{}: trajectory {} has a non-finite value ({}) at state {}, step {}", where, trajectory,
                              states(row, col), row, first_step + col));
}

}  // namespace kooplab
