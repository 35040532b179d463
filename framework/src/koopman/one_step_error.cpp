#include "kooplab/koopman/one_step_error.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/snapshot_pairs_view.hpp"

namespace kooplab {

double one_step_error(const KoopmanModel& model, const Trajectories& data) {
  const auto found = model.diagnostics.find("delays");
  if (found == model.diagnostics.end()) {
    const SnapshotPairsView pairs(data);
    return arma::norm(pairs.y() - model.advance(pairs.x()), "fro") / arma::norm(pairs.y(), "fro");
  }
  const auto delays = arma::uword(found->second);
  double error = 0, size = 0;
  for (const arma::mat& run : data.runs) {
    if (run.n_cols <= delays) continue;  // no pair with a full window
    const arma::mat predicted = model.advance(run.cols(0, run.n_cols - 2));
    const arma::mat truth = run.cols(delays, run.n_cols - 1);
    error += arma::accu(arma::square(truth - predicted.tail_cols(truth.n_cols)));
    size += arma::accu(arma::square(truth));
  }
  if (size == 0)
    throw DataError(fmt::format("one-step error: no trajectory has more than the model's {} delays", delays));
  return std::sqrt(error / size);
}

}  // namespace kooplab
