#pragma once
// Kernel EDMD (Williams, Rowley, Kevrekidis, "A kernel-based method for
// data-driven Koopman spectral analysis", J. Comput. Dyn. 2, 2015): EDMD on
// the feature space of a kernel k, through kernel values on the M training
// pairs only (kernel.hpp).
//
// With K = k(X, X)/M = Q Λ Qᵀ (kernel PCA) truncated to r components by the
// RankRule on σ_i = √λ_i, the estimator is principal-component regression:
// the feature-space operator restricted to the leading r kernel principal
// components, in dual form U = Q_r (Λ_r + εI)⁻¹ (ε the Tikhonov
// regularisation, 0 by default), V = Q_r, and the reduced matrix
// R = Q_rᵀ M U with M = k(X, Y)ᵀ/M (similar to the paper's K̂). Eigenfunctions
// φ_i(x) = Σ_j (U w_i)_j k(x_j, x) over the training states; residuals, modes
// and amplitudes as kernel_model.hpp says. A polynomial kernel of degree d on
// a linear system spans an invariant space (the polynomials of degree ≤ d)
// and the estimate is exact there. The kernel matrix resolves its eigenvalues
// only to about 1e-14 of the largest (σ to 1e-7), so σ below 1e-6 σ_1 count
// as zero whatever the rank tolerance.
// Memory: three M × M kernel matrices and Q; cost O(M² n + M³).
#include <armadillo>
#include <string>

#include "kooplab/koopman/kernel.hpp"
#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

struct KernelEdmdOptions {
  Kernel kernel;
  RankRule rank;                // kernel principal components kept
  double regularization = 0.0;  // ε ≥ 0

  // The keys: Kernel's, RankRule's, regularization.
  static const Options<KernelEdmdOptions>& options();
};

KoopmanModel kernel_edmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_state,
                         const KernelEdmdOptions& options, const std::string& where);

}  // namespace kooplab
