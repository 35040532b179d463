#include "kooplab/koopman/koopman_mode_pruning.hpp"

#include <fmt/format.h>

#include <cmath>

#include "kooplab/error.hpp"

namespace kooplab {

arma::uvec dominant_modes(const KoopmanModel& model) {
  if (model.eigenvalues.is_empty()) throw DataError("Koopman-mode pruning: the model has no eigenvalues");
  if (model.amplitudes.n_elem != model.eigenvalues.n_elem || model.modes.n_cols != model.eigenvalues.n_elem)
    throw DataError(fmt::format("Koopman-mode pruning: {} eigenvalues but {} amplitudes and {} modes",
                                model.eigenvalues.n_elem, model.amplitudes.n_elem, model.modes.n_cols));
  const arma::uword one = arma::index_min(arma::abs(model.eigenvalues - 1.0));
  const arma::vec size = arma::abs(model.amplitudes);
  return arma::find(size >= size(one));
}

arma::vec dominant_reconstruction(const KoopmanModel& model, double t) {
  const arma::uvec kept = dominant_modes(model);
  arma::cx_vec coefficients = model.amplitudes(kept);
  for (arma::uword i = 0; i < kept.n_elem; ++i) coefficients(i) *= std::pow(model.eigenvalues(kept(i)), t);
  return arma::real(model.modes.cols(kept) * coefficients);
}

arma::uvec below_threshold(const arma::vec& reconstruction, double threshold) {
  if (!(threshold >= 0)) throw ConfigError("Koopman-mode pruning: the threshold must be ≥ 0");
  return arma::find(arma::abs(reconstruction) < threshold);
}

arma::uvec smallest_fraction(const arma::vec& reconstruction, double fraction) {
  if (!(fraction >= 0 && fraction <= 1)) throw ConfigError("Koopman-mode pruning: the fraction must be in [0, 1]");
  const auto count = arma::uword(std::floor(fraction * double(reconstruction.n_elem)));
  const arma::uvec order = arma::stable_sort_index(arma::abs(reconstruction), "ascend");
  return arma::sort(order.head(count));
}

}  // namespace kooplab
