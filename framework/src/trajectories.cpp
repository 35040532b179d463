#include "kooplab/trajectories.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/trajectory_blocks.hpp"

namespace kooplab {

arma::uword Trajectories::state_dim() const { return runs.empty() ? 0 : runs.front().n_rows; }

arma::uword Trajectories::pair_count() const {
  arma::uword count = 0;
  for (const auto& run : runs) count += run.n_cols > 0 ? run.n_cols - 1 : 0;
  return count;
}

void Trajectories::validate(const std::string& where) const {
  if (runs.empty()) throw DataError(where + ": no trajectories");
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const arma::mat& run = runs[k];
    if (run.n_rows != state_dim())
      throw DataError(fmt::format("{}: trajectory {} has state dimension {}, trajectory 0 has {}", where, k, run.n_rows,
                                  state_dim()));
    if (run.n_rows == 0) throw DataError(fmt::format("{}: trajectory {} has an empty state", where, k));
    if (run.n_cols < 2)
      throw DataError(
          fmt::format("{}: trajectory {} has {} snapshot(s); at least 2 are needed for a pair", where, k, run.n_cols));
    check_finite(run, where, k, 0);
  }
}

SnapshotPairs Trajectories::pairs() const {
  SnapshotPairs out{arma::mat(state_dim(), pair_count()), arma::mat(state_dim(), pair_count())};
  arma::uword column = 0;
  for (const auto& run : runs) {
    if (run.n_cols < 2) continue;
    const arma::uword count = run.n_cols - 1;
    out.x.cols(column, column + count - 1) = run.cols(0, count - 1);
    out.y.cols(column, column + count - 1) = run.cols(1, count);
    column += count;
  }
  return out;
}

arma::mat Trajectories::all_states() const {
  arma::mat states(state_dim(), pair_count() + runs.size());
  arma::uword column = 0;
  for (const auto& run : runs) {
    states.cols(column, column + run.n_cols - 1) = run;
    column += run.n_cols;
  }
  return states;
}

}  // namespace kooplab
