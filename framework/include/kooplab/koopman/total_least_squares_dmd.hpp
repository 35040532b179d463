#pragma once
// Total-least-squares DMD (Hemati, Rowley, Deem, Cattafesta, "De-biasing the
// dynamic mode decomposition for applied Koopman spectral analysis of noisy
// datasets", Theor. Comput. Fluid Dyn. 31, 2017; the bias itself: Dawson et
// al. 2016).
//
// Exact DMD treats X as exact and puts all the noise on Y, so noise in X biases
// its eigenvalues towards zero by a term that grows with the noise variance.
// TLS-DMD treats both alike: the noise-free pairs [x; Ax] span at most n
// dimensions of the rows of Z = [X; Y] (2n × m), so with Z = Ũ Σ̃ Ṽᵀ and the
// leading r right singular vectors Ṽ_r (r by the RankRule on σ(Z), at most n),
//   X̄ = X Ṽ_r Ṽ_rᵀ, Ȳ = Y Ṽ_r Ṽ_rᵀ
// are X and Y with the noise outside that subspace removed, and exact DMD of
// (X̄, Ȳ) at rank r is the estimate (consistent as m grows, for noise of equal
// variance in X and Y). Modes, eigenfunctions (of raw states, φ(x) = W⁻¹ Uᵀ x
// with U the left singular vectors of X̄), amplitudes (least squares against
// `first_snapshot`) and residuals are exact DMD's of the projected pairs
// (exact_dmd.hpp): zero on exact data. Diagnostics: rank, numerical_rank (of Z).
// Memory: X, Y, Z (4nm), X̄, Ȳ (2nm) and Z's singular vectors (2n × p,
// m × p, p = min(2n, m)). Cost: the SVD of Z plus exact DMD's.
#include <armadillo>
#include <string>

#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"

namespace kooplab {

KoopmanModel total_least_squares_dmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_snapshot,
                                     const RankRule& rule, const std::string& where);

}  // namespace kooplab
