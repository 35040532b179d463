#pragma once
// Reduced-rank regression of the Koopman operator on a kernel's feature space
// (Kostić, Novelli, Maurer, Ciliberto, Rosasco, Pontil, "Learning dynamical
// systems via Koopman operator regression in reproducing kernel Hilbert
// spaces", NeurIPS 2022), the estimator kooplearn fits by default.
//
// With the sampling operators S, Z of the inputs X and outputs Y (M pairs),
// covariance C = S*S, cross-covariance C_XY = S*Z and C_γ = C + γI, the
// estimator of rank r minimises the Tikhonov-regularised risk
// ‖Z − S G‖² + γ‖G‖² over rank(G) ≤ r:
//   G = C_γ⁻¹ C_XY Π_r,   Π_r the projection on the r leading eigenvectors
//                         of C_YX C_γ⁻¹ C_XY.
// Kernel EDMD (kernel_edmd.hpp) truncates C instead, keeping the directions
// of largest variance; RRR keeps the directions whose future is best
// predicted, which differ when a slow mode has little variance.
//  - dual (landmarks: 0): with K = k(X,X)/M = Q Λ Qᵀ (on range(K): eigenvalues
//    below 1e-12 of the largest are zero functions, dropped), L = k(Y,Y)/M,
//    B = K (K + γI)⁻¹ and B^½ L B^½ = P Σ² Pᵀ (r leading), V = B^½ P_r Σ_r⁻¹,
//    U = (K + γI)⁻¹ L V, reduced matrix R = Vᵀ M U (M = k(X,Y)ᵀ/M).
//    Memory: four M × M matrices; cost O(M² n + M³).
//  - Nyström (landmarks: ℓ > 0): ℓ training states drawn at random as
//    landmarks Z; the features ψ̃(x) = Λ_ℓ^{-½} Q_ℓᵀ k(Z, x) from
//    k(Z, Z) = Q_ℓ Λ_ℓ Q_ℓᵀ (eigenvalues below 1e-12 of the largest dropped)
//    replace the kernel by its Nyström approximation, and the same G is
//    formed from ℓ × ℓ covariances: H_r the r leading eigenvectors of
//    C_YX C_γ⁻¹ C_XY, R = H_rᵀ C_γ⁻¹ C_XY H_r. Memory: O(ℓ M + ℓ²); cost
//    O(ℓ M n + ℓ² M). Exact when the kernel's feature space has dimension ≤ ℓ
//    and the landmarks span it (a polynomial kernel).
// Eigenfunctions φ_i(x) = Σ_j c_ij k(z_j, x) over the training states or
// the landmarks; residuals, modes and amplitudes as kernel_model.hpp says.
#include <armadillo>
#include <string>

#include "kooplab/koopman/kernel.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

struct RrrOptions {
  Kernel kernel;
  arma::uword rank = 5;          // r
  double regularization = 1e-6;  // γ > 0
  arma::uword landmarks = 0;     // ℓ; 0: the exact (dual) estimator

  // The keys: Kernel's, rank, regularization, landmarks.
  static const Options<RrrOptions>& options();
};

// The Nyström landmarks are drawn from `rng`.
KoopmanModel reduced_rank_regression(const arma::mat& x, const arma::mat& y, const arma::vec& first_state,
                                     const RrrOptions& options, Rng& rng, const std::string& where);

}  // namespace kooplab
