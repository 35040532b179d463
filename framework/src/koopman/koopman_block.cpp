#include "kooplab/koopman/koopman_block.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

LowRankMatrix truncate_svd(const arma::mat& matrix, arma::uword rank, const std::string& where) {
  if (rank == 0) throw ConfigError(where + ": the rank must be at least 1");
  const auto [u, sigma, v] = thin_svd(matrix, where);
  const arma::uword kept = std::min<arma::uword>(rank, sigma.n_elem);
  LowRankMatrix low;
  low.left = u.head_cols(kept);
  low.left.each_row() %= sigma.head(kept).t();
  low.right = v.head_cols(kept).t();
  low.discarded = kept < sigma.n_elem ? arma::vec(sigma.tail(sigma.n_elem - kept)) : arma::vec();
  return low;
}

arma::mat least_squares_map(const arma::mat& targets, const arma::mat& lifted, double tolerance) {
  if (targets.n_cols != lifted.n_cols)
    throw DataError(fmt::format("least-squares map: {} targets for {} lifted states", targets.n_cols, lifted.n_cols));
  const auto [u, sigma, v] = thin_svd(lifted, "least-squares map");
  const arma::uword kept = arma::accu(sigma > tolerance * sigma.max());
  if (kept == 0) throw NumericalError("least-squares map: the lifted states are zero");
  arma::mat scaled = v.head_cols(kept);
  scaled.each_row() /= sigma.head(kept).t();
  return (targets * scaled) * u.head_cols(kept).t();
}

KoopmanBlock::KoopmanBlock(std::shared_ptr<const Observable> dictionary, arma::mat koopman, arma::mat decoder,
                           arma::uword steps)
    : dictionary_(std::move(dictionary)), koopman_(std::move(koopman)), decoder_(std::move(decoder)), steps_(steps) {
  if (steps_ == 0) throw ConfigError("a Koopman block advances at least one step");
  if (!koopman_.is_square() || decoder_.n_cols != koopman_.n_rows)
    throw DataError(fmt::format("Koopman block: K is {}×{} and the decoder {}×{}", koopman_.n_rows, koopman_.n_cols,
                                decoder_.n_rows, decoder_.n_cols));
}

KoopmanBlock KoopmanBlock::truncated(arma::uword rank, const std::string& where) const {
  KoopmanBlock copy = *this;
  if (rank >= koopman_.n_rows) return copy;
  LowRankMatrix factors = truncate_svd(koopman_, rank, where);
  copy.discarded_ = factors.discarded;
  if (steps_ == 1) {  // D K ≈ (D U_r Σ_r) V_rᵀ: one product, no decoder left
    factors.left = decoder_ * factors.left;
    copy.decoder_.reset();
  }
  copy.factors_ = std::move(factors);
  return copy;
}

arma::mat KoopmanBlock::operator()(const arma::mat& states) const {
  arma::mat lifted = dictionary_->evaluate(states);
  if (lifted.n_rows != koopman_.n_rows)
    throw DataError(fmt::format("Koopman block: the dictionary gives {} values, K is {}×{}", lifted.n_rows,
                                koopman_.n_rows, koopman_.n_cols));
  if (!factors_) {
    for (arma::uword s = 1; s < steps_; ++s) lifted = koopman_ * lifted;
    return (decoder_ * koopman_) * lifted;
  }
  for (arma::uword s = 0; s < steps_; ++s) lifted = factors_->left * (factors_->right * lifted);
  return decoder_.is_empty() ? lifted : arma::mat(decoder_ * lifted);
}

arma::uword KoopmanBlock::parameter_count() const {
  if (factors_) return factors_->parameter_count() + decoder_.n_elem;
  return steps_ == 1 ? decoder_.n_rows * koopman_.n_cols : koopman_.n_elem + decoder_.n_elem;
}

arma::uword KoopmanBlock::rank() const { return factors_ ? factors_->rank() : koopman_.n_rows; }

arma::mat modal_advance(const KoopmanModel& model, const arma::mat& states, arma::uword steps) {
  arma::cx_mat phi = model.eigenfunction_values(states);
  phi.each_col() %= arma::pow(model.eigenvalues, double(steps));
  return arma::real(model.modes * phi);
}

}  // namespace kooplab
