#pragma once
// Forward-backward DMD (Dawson, Hemati, Williams, Rowley, "Characterizing and
// correcting for the effect of sensor noise in the dynamic mode decomposition",
// Exp. Fluids 57:42, 2016), debiasing exact DMD for noisy snapshots.
//
// Noise in X biases exact DMD's Ã = Uᵀ Y X⁺ U towards zero: its eigenvalues
// shrink by a term that grows with the noise variance. The same data read
// backwards (Y → X) give an estimate of A⁻¹ biased the same way, so
//   Ã_f = Uᵀ Y V Σ⁻¹ (forward, exact DMD's),  Ã_b = (Uᵀ X)(Uᵀ Y)⁺ (backward),
//   Ã² = Ã_f Ã_b⁻¹,
// cancels the bias to first order when X and Y have about the same covariance
// (lightly damped dynamics). U (n × r) are the leading left singular vectors of
// X, truncated by the RankRule. Of the two square roots ±√μ_i of each
// eigenvalue μ_i of Ã_f Ã_b⁻¹ = W M W⁻¹ the one nearer the forward Rayleigh
// quotient w_iᴴ Ã_f w_i is kept (eigenvalues λ and −λ of A, indistinguishable
// in A², may mix). Needs invertible dynamics: NumericalError when Uᵀ Y has
// rank below r (an eigenvalue 0).
// Modes U w_i (unit norm), eigenfunctions φ(x) = W⁻¹ Uᵀ x, amplitudes φ(x_0),
// the Koopman matrix Ã = W Λ W⁻¹ (r × r), residuals ‖A U w_i − λ_i U w_i‖
// against the forward data operator A U = Y V Σ⁻¹ (‖w_i‖ = 1; zero on exact
// data, the forward bias with noise).
// Memory: X, Y plus U, Y V (n × r each), V (m × r) and the SVD of Uᵀ Y (r × m);
// nothing n × n. Cost: the two thin SVDs and O(n m r).
#include <armadillo>
#include <string>

#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"

namespace kooplab {

KoopmanModel forward_backward_dmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_snapshot,
                                  const RankRule& rule, const std::string& where);

}  // namespace kooplab
