#pragma once
// How many singular values an SVD-based estimator keeps.
//
// YAML (in an estimator section):
//   rank: full | auto | N        full: the numerical rank (default)
//   rank_rule: energy | hard_threshold   used by rank: auto (default energy)
//   energy: 0.9999               fraction of Σσ² kept by the energy rule
//   tolerance: 1e-12             σ_i/σ_1 below this counts as zero (numerical rank)
#include <armadillo>
#include <string>

#include "kooplab/config.hpp"

namespace kooplab {

struct RankRule {
  enum class Kind { full, fixed, energy, hard_threshold };
  Kind kind = Kind::full;
  arma::uword fixed_rank = 0;
  double energy = 0.9999;
  double tolerance = 1e-12;

  static RankRule from_config(const Config& section);

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
