#include "kooplab/koopman/prediction_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/snapshot_pairs_view.hpp"

namespace kooplab {

namespace {

// Sums of squares of an error and of what it is relative to.
struct RelativeError {
  double error = 0, size = 0;
  void add(const arma::mat& truth, const arma::mat& estimate) {
    error += arma::accu(arma::square(truth - estimate));
    size += arma::accu(arma::square(truth));
  }
  double value() const { return std::sqrt(error / size); }
};

}  // namespace

arma::uword model_delays(const KoopmanModel& model) {
  const auto found = model.diagnostics.find("delays");
  return found == model.diagnostics.end() ? 1 : arma::uword(found->second);
}

double one_step_error(const KoopmanModel& model, const Trajectories& data, arma::uword history) {
  // The states each prediction looks at: the pair's x and `window` − 1 before it.
  const arma::uword window = std::max(model_delays(model), history + 1);
  if (window == 1) {
    const SnapshotPairsView pairs(data);
    return arma::norm(pairs.y() - model.advance(pairs.x()), "fro") / arma::norm(pairs.y(), "fro");
  }
  RelativeError sums;
  for (const arma::mat& run : data.runs) {
    if (run.n_cols <= window) continue;  // no pair with a full window
    const arma::mat predicted = model.advance(run.cols(0, run.n_cols - 2));
    const arma::mat truth = run.cols(window, run.n_cols - 1);
    sums.add(truth, predicted.tail_cols(truth.n_cols));
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
  // The reconstruction minus the trajectory, formed in place (its norms are those of the error).
  arma::mat error = model.reconstruct(trajectory.n_cols - 1);
  error -= trajectory;
  const arma::uword fitted_from = std::min(model_delays(model) - 1, trajectory.n_cols - 1);
  ReconstructionError out;
  out.fitted = arma::norm(error.tail_cols(trajectory.n_cols - fitted_from), "fro") /
               arma::norm(trajectory.tail_cols(trajectory.n_cols - fitted_from), "fro");
  if (fitted_from > 0) out.all = arma::norm(error, "fro") / arma::norm(trajectory, "fro");
  return out;
}

ReconstructionError reconstruction_error(const KoopmanModel& model, const TrajectoryBlocks& data, std::size_t k) {
  const arma::uword length = data.length(k);
  const arma::uword fitted_from = std::min(model_delays(model) - 1, length - 1);
  // A model whose amplitudes are λ^first ∘ amplitudes rebuilds steps first, first + 1, ...
  KoopmanModel rolling;
  rolling.eigenvalues = model.eigenvalues;
  rolling.modes = model.modes;
  rolling.amplitudes = model.amplitudes;
  RelativeError fitted, all;
  const arma::uword block = snapshots_per_block(2 * data.state_dim());  // the states and their rebuild
  for (arma::uword first = 0; first < length; first += block) {
    const arma::uword count = std::min(block, length - first);
    const arma::mat truth = data.read(k, first, count), rebuilt = rolling.reconstruct(count - 1);
    all.add(truth, rebuilt);
    if (first + count > fitted_from) {
      const arma::uword skip = fitted_from > first ? fitted_from - first : 0;
      fitted.add(truth.tail_cols(count - skip), rebuilt.tail_cols(count - skip));
    }
    for (arma::uword step = 0; step < count; ++step) rolling.amplitudes %= rolling.eigenvalues;
  }
  ReconstructionError out;
  out.fitted = fitted.value();
  if (fitted_from > 0) out.all = all.value();
  return out;
}

}  // namespace kooplab
