#pragma once
// Pruning with Koopman modes (koopman-mode-analysis.md, Sec. 4): the weight
// trajectory w_t = Σ_k c_k λ_k^t m_k + e_t (unit-norm modes m_k, coefficients
// c_k for the first snapshot) is rebuilt from its dominant modes only, the mode
// of the eigenvalue nearest 1 and every mode with a larger |c_k|; weights whose
// rebuilt value is small are set to zero and pinned there.
#include <armadillo>

#include "kooplab/koopman_model.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

// The indices of the dominant modes: the modes of eigenvalue 1 and every mode
// whose |amplitude| is at least the largest of theirs. The modes of eigenvalue
// 1 are those within `cluster` of 1, and the nearest one in any case
// (cluster 0: that one alone). A trajectory still drifting at the end gives
// DMD a cluster of eigenvalues just below 1 whose nearly parallel modes carry
// large amplitudes of opposite sign; one of them alone is far from the weights.
// Throws DataError for a model without eigenvalues or with amplitudes of
// another length.
arma::uvec dominant_modes(const KoopmanModel& model, double cluster = 0.0);

// Y = Re Σ_{k dominant} c_k λ_k^t m_k, the weights at epoch t (counted from the
// first snapshot) rebuilt from the dominant modes.
arma::vec dominant_reconstruction(const KoopmanModel& model, double t, double cluster = 0.0);

// Y = Re Σ_{k dominant} b_k m_k with b the least-squares coefficients of
// `state` in all the modes: the same weights when the model is exact
// (b_k = c_k λ_k^t), but without extrapolating the first-snapshot fit by λ^t,
// which an eigenvalue a little above 1 or a spurious growing mode inflates.
arma::vec dominant_part(const KoopmanModel& model, const arma::vec& state, double cluster = 0.0);

// Y = Re M_D b_D with b_D the least-squares coefficients of `state` in the
// dominant modes M_D alone: the orthogonal projection of the weights onto the
// dominant modes' span, so ‖Y − w‖ ≤ ‖w‖ always. dominant_part splits the
// weights over all modes first; nearly parallel modes, one dominant and one
// not, make that split ill-conditioned and its dominant part far from w.
arma::vec dominant_projection(const KoopmanModel& model, const arma::vec& state, double cluster = 0.0);

// Entries to prune: |Y| < threshold (Algorithms 1 and 2 of the paper).
arma::uvec below_threshold(const arma::vec& reconstruction, double threshold);
// Entries to prune: the `fraction` of entries with the smallest |Y| (ties by index).
arma::uvec smallest_fraction(const arma::vec& reconstruction, double fraction);

// `count` entries of `size` drawn uniformly without replacement, sorted: the
// random-pruning control.
arma::uvec random_entries(arma::uword size, arma::uword count, Rng& rng);

}  // namespace kooplab
