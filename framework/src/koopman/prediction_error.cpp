#include "kooplab/koopman/prediction_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/snapshot_pairs_view.hpp"

namespace kooplab {

namespace {

// Sums of squares of an error and of what it is relative to.
struct RelativeError {
  double error = 0, size = 0;
  template <typename Truth, typename Estimate>
  void add(const Truth& truth, const Estimate& estimate) {
    error += arma::accu(arma::square(truth - estimate));
    size += arma::accu(arma::square(truth));
  }
  double value() const { return std::sqrt(error / size); }
};

// The relative error of the rebuilt steps 0 .. length − 1 of a trajectory
// whose snapshots [first, first + count) read(first, count) returns, a block
// of `block` steps at a time: the amplitudes λ^first ∘ amplitudes rebuild
// steps first, first + 1, ...
template <typename Read>
ReconstructionError rebuild_error(const KoopmanModel& model, arma::uword length, arma::uword block, Read read) {
  const arma::uword fitted_from = std::min(model_delays(model) - 1, length - 1);
  arma::cx_vec amplitudes = model.amplitudes;
  RelativeError fitted, all;
  for (arma::uword first = 0; first < length; first += block) {
    const arma::uword count = std::min(block, length - first);
    const auto truth = read(first, count);
    const arma::mat rebuilt = model.reconstruct(amplitudes, count - 1);
    all.add(truth, rebuilt);
    if (first + count > fitted_from) {
      const arma::uword skip = fitted_from > first ? fitted_from - first : 0;
      fitted.add(truth.cols(skip, count - 1), rebuilt.cols(skip, count - 1));
    }
    for (arma::uword step = 0; step < count; ++step) amplitudes %= model.eigenvalues;
  }
  ReconstructionError out;
  out.fitted = fitted.value();
  if (fitted_from > 0) out.all = all.value();
  return out;
}

}  // namespace

arma::uword model_delays(const KoopmanModel& model) {
  const auto found = model.diagnostics.find("delays");
  return found == model.diagnostics.end() ? 1 : arma::uword(found->second);
}

double one_step_error(const KoopmanModel& model, const Trajectories& data, arma::uword history) {
  // The states each prediction looks at: the pair's x and `window` − 1 before it.
  const arma::uword window = std::max(model_delays(model), history + 1);
  const arma::uword block = columns_per_block(data.state_dim());
  RelativeError sums;
  for (const arma::mat& run : data.runs)
    // Predictions of x_{t+1}, t = first .. last, from the states x_{first − window + 1} .. x_last.
    for (arma::uword first = window - 1; first + 1 < run.n_cols; first += block) {
      const arma::uword last = std::min(run.n_cols - 2, first + block - 1);
      const arma::mat predicted = model.advance(column_view(run, first + 1 - window, last + window - first));
      sums.add(column_view(run, first + 1, last - first + 1), predicted.tail_cols(last - first + 1));
    }
  if (sums.size == 0)
    throw DataError(fmt::format("one-step error: no trajectory has more than the {} states of a window", window));
  return sums.value();
}

double one_step_error(const KoopmanModel& model, const TrajectoryBlocks& data, arma::uword history) {
  const arma::uword skip = std::max(model_delays(model) - 1, history);
  RelativeError sums;
  // A block holds the states and their predictions.
  for_each_pair_block(data, skip, skip, snapshots_per_block(2 * data.state_dim()), [&](const PairBlock& block) {
    const arma::mat predicted = model.advance(block.states.head_cols(block.lead + block.count));
    sums.add(block.y(), predicted.tail_cols(block.count));
  });
  if (sums.size == 0)
    throw DataError(fmt::format("one-step error: no trajectory has more than the {} states of a window", skip + 1));
  return sums.value();
}

ReconstructionError reconstruction_error(const KoopmanModel& model, const arma::mat& trajectory) {
  return rebuild_error(model, trajectory.n_cols, columns_per_block(trajectory.n_rows),
                       [&](arma::uword first, arma::uword count) { return column_view(trajectory, first, count); });
}

ReconstructionError reconstruction_error(const KoopmanModel& model, const TrajectoryBlocks& data, std::size_t k) {
  // A block holds the states and their rebuild.
  return rebuild_error(model, data.length(k), snapshots_per_block(2 * data.state_dim()),
                       [&](arma::uword first, arma::uword count) { return data.read(k, first, count); });
}

}  // namespace kooplab
