#pragma once
// Randomized DMD (Erichson, Mathelin, Kutz, Brunton, "Randomized dynamic mode
// decomposition", SIAM J. Appl. Dyn. Syst. 18, 2019) for tall snapshot data.
//
// Exact DMD (exact_dmd.hpp) with the thin SVD of X replaced by a randomized
// one: a Gaussian test matrix Ω (m × k, k = target_rank + oversampling, at
// most min(n, m)) sketches the range of X as Q = orth(X Ω) (n × k); q power
// iterations Q ← orth(X Xᵀ Q), re-orthonormalised at every half step, sharpen
// it by the factor (σ_{k+1}/σ_j)^{2q} on each direction. Then Qᵀ X = Ũ Σ Vᵀ
// (k × m) gives X ≈ (Q Ũ) Σ Vᵀ; the RankRule picks r ≤ target_rank of those
// σ, and U = Q Ũ_r, B = Y V_r Σ_r⁻¹ (= A U) go through exact DMD's steps.
// Residuals ‖B w_i − λ_i U w_i‖ are therefore against the full data, not the
// sketch: zero when range(Q) holds range(X) (exact low-rank data), the
// sketch's error otherwise. Diagnostics: rank, sketch (k), numerical_rank (of
// the sketch). Memory: X, Y plus Ω and V (m × k), Q and U (n × k), B (n × r);
// nothing n × n or m × m. Cost: (2q + 2) products of X with k vectors and one
// of Y with r, O(n m k) in all, against O(n m min(n, m)) for the full SVD.
#include <armadillo>
#include <string>

#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

struct RandomizedDmdOptions {
  RankRule rank;  // on the sketch's singular values, capped at target_rank
  arma::uword target_rank = 10;
  arma::uword oversampling = 10;
  arma::uword power_iterations = 2;

  // The keys: RankRule's, target_rank, oversampling, power_iterations.
  static const Options<RandomizedDmdOptions>& options();
};

// Ω is drawn from `rng`: the same stream gives the same model.
KoopmanModel randomized_dmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_snapshot,
                            const RandomizedDmdOptions& options, Rng& rng, const std::string& where);

}  // namespace kooplab
