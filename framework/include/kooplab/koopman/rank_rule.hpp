#pragma once
// How many singular values an SVD-based estimator keeps.
//
// Its keys (rank, rank_rule, energy, tolerance) are declared in options(),
// which estimators include in their own declaration.
#include <armadillo>
#include <string>

#include "kooplab/config.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

struct RankRule {
  enum class Kind { full, fixed, automatic };
  enum class Automatic { energy, hard_threshold };
  Kind kind = Kind::full;
  arma::uword fixed_rank = 0;               // Kind::fixed
  Automatic automatic = Automatic::energy;  // Kind::automatic
  double energy = 0.9999;
  double tolerance = 1e-12;

  static const Options<RankRule>& options();
  static RankRule from_config(const Config& section) { return options().read(section); }

  // The rank to keep for singular values `sigma` (descending) of a rows × cols
  // matrix. Throws NumericalError, naming `where`, when the data have rank 0 or
  // a fixed rank exceeds the numerical rank.
  arma::uword select(const arma::vec& sigma, arma::uword rows, arma::uword cols, const std::string& where) const;
};

// Numerical rank: the number of σ_i > tolerance · σ_1.
arma::uword numerical_rank(const arma::vec& sigma, double tolerance);
// Gavish–Donoho optimal hard threshold for unknown noise: ω(β) · median(σ),
// β = min(rows, cols) / max(rows, cols).
double optimal_hard_threshold(const arma::vec& sigma, arma::uword rows, arma::uword cols);

}  // namespace kooplab
