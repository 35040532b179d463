#include "kooplab/koopman/koopman_mode_pruning.hpp"

#include <fmt/format.h>

#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/util/random_subset.hpp"

namespace kooplab {

arma::uvec dominant_modes(const KoopmanModel& model, double cluster) {
  if (model.eigenvalues.is_empty()) throw DataError("Koopman-mode pruning: the model has no eigenvalues");
  if (model.amplitudes.n_elem != model.eigenvalues.n_elem || model.modes.n_cols != model.eigenvalues.n_elem)
    throw DataError(fmt::format("Koopman-mode pruning: {} eigenvalues but {} amplitudes and {} modes",
                                model.eigenvalues.n_elem, model.amplitudes.n_elem, model.modes.n_cols));
  const arma::vec distance = arma::abs(model.eigenvalues - 1.0);
  const arma::vec size = arma::abs(model.amplitudes);
  arma::uvec at_one = arma::find(distance < cluster);
  if (at_one.is_empty()) at_one = arma::uvec{distance.index_min()};
  arma::uvec kept = size >= arma::max(size(at_one));
  kept(at_one).ones();
  return arma::find(kept);
}

arma::vec dominant_reconstruction(const KoopmanModel& model, double t, double cluster) {
  const arma::uvec kept = dominant_modes(model, cluster);
  arma::cx_vec coefficients = model.amplitudes(kept);
  for (arma::uword i = 0; i < kept.n_elem; ++i) coefficients(i) *= std::pow(model.eigenvalues(kept(i)), t);
  return arma::real(model.modes.cols(kept) * coefficients);
}

arma::vec dominant_part(const KoopmanModel& model, const arma::vec& state, double cluster) {
  const arma::uvec kept = dominant_modes(model, cluster);
  const arma::cx_vec coefficients = state_amplitudes(model.modes, state);
  return arma::real(model.modes.cols(kept) * coefficients(kept));
}

arma::vec dominant_projection(const KoopmanModel& model, const arma::vec& state, double cluster) {
  const arma::uvec kept = dominant_modes(model, cluster);
  const arma::cx_mat dominant = model.modes.cols(kept);
  return arma::real(dominant * state_amplitudes(dominant, state));
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

arma::uvec random_entries(arma::uword size, arma::uword count, Rng& rng) {
  if (count > size) throw ConfigError(fmt::format("random pruning: {} entries of {}", count, size));
  return random_subset(size, count, rng);
}

}  // namespace kooplab
