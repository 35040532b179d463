#pragma once
// Pruning with Koopman modes (koopman-mode-analysis.md, Sec. 4): the weight
// trajectory w_t = Σ_k c_k λ_k^t m_k + e_t (unit-norm modes m_k, coefficients
// c_k for the first snapshot) is rebuilt from its dominant modes only, the mode
// of the eigenvalue nearest 1 and every mode with a larger |c_k|; weights whose
// rebuilt value is small are set to zero and pinned there.
#include <armadillo>

#include "kooplab/koopman_model.hpp"

namespace kooplab {

// The indices of the dominant modes: the eigenvalue nearest 1 and every mode
// whose |amplitude| is at least its. Throws DataError for a model without
// eigenvalues or with amplitudes of another length.
arma::uvec dominant_modes(const KoopmanModel& model);

// Y = Re Σ_{k dominant} c_k λ_k^t m_k, the weights at epoch t (counted from the
// first snapshot) rebuilt from the dominant modes.
arma::vec dominant_reconstruction(const KoopmanModel& model, double t);

// Entries to prune: |Y| < threshold (Algorithms 1 and 2 of the paper).
arma::uvec below_threshold(const arma::vec& reconstruction, double threshold);
// Entries to prune: the `fraction` of entries with the smallest |Y| (ties by index).
arma::uvec smallest_fraction(const arma::vec& reconstruction, double fraction);

}  // namespace kooplab
