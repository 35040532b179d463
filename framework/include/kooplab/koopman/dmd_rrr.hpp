#pragma once
// Refined Rayleigh–Ritz DMD (Drmač, Mezić, Mohr, SIAM J. Sci. Comput. 2018).
//
// 1. Optionally (scale_columns: true, the paper's step) scale the columns of X
//    (and Y) by the column norms of X: X_s = X D⁻¹, so that the SVD's accuracy
//    does not depend on the snapshots' norms. When all of X is kept (full
//    column rank, n ≥ m) this changes nothing in exact arithmetic; when the
//    rank rule truncates, or with more pairs than states, it weights each pair
//    by 1/‖x_j‖, so small (decayed, noisy) snapshots count as much as large
//    ones. Measured on decaying linear systems seen through random maps
//    (tests/test_dmd_rrr.cpp): with noise 1e-3 scaling made eigenvalue errors
//    1.5–60× larger (300 states × 100 pairs, rank 6: 0.66 against 0.011);
//    noise-free, down to norms of 1e-16, both agreed to ~1e-9. So the default
//    is off (exact DMD's Rayleigh quotient); the paper's step stays available,
//    though no case we measured gained from it.
// 2. Thin SVD X_s = U Σ Vᵀ; keep k columns by the RankRule (tolerance on σ_i/σ_1).
// 3. B = Y D⁻¹ V_k Σ_k⁻¹ (= A U_k).
// 4. Thin QR [U_k, B] = Q R, R = [R11 R12; 0 R22]; the Rayleigh quotient is
//    S = U_kᵀ B = R11ᵀ R12. Here U_k is already orthonormal, so the QR is done
//    as Q1 = U_k, R11 = I, R12 = U_kᵀ B, R22 = the R factor of B − U_k R12
//    (Q2 is never needed): the same R at a third of the cost.
// 5. Ritz values λ_i = eig(S).
// 6. Refined Ritz vectors: w_i = the right singular vector of the smallest
//    singular value of [R12 − λ_i R11; R22] (2k × k), which is that residual
//    min ‖A U_k w − λ_i U_k w‖ over ‖w‖ = 1, found as refined_ritz.hpp says.
//    Ritz values repeated to 1e-8 relative share one SVD and take its m
//    smallest singular vectors. `refine` chooses which pairs: all, none, or the
//    N of largest amplitude |a_i| (the Ritz amplitudes; a conjugate partner
//    comes along); the others keep the eigenvectors of S, with the residual
//    computed for them. Optionally λ_i ← w_iᴴ S w_i (refined Rayleigh quotient).
// Modes are U_k w_i (unit norm), eigenfunctions φ(x) = W⁻¹ U_kᵀ x, the Koopman
// matrix is S. Amplitudes by least squares against the first snapshot (which
// is φ(x_0), the modes being U_k W), or over all snapshots of the first trajectory.
// Memory: X, Y (2nm) plus U_k, B (2nk), V (m × min(n, m)) and k × k blocks;
// nothing n × n. Cost: the SVD, 2nmk for B, 4nk² + an R-only QR of n × k for
// R12 and R22, 4nk² for the modes, and with refinement a complex Schur form
// and QR of k × k once plus one k × k triangular–pentagonal QR per refined
// pair (real data share it between conjugate pairs).
#include <armadillo>
#include <string>

#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

struct DmdRrrOptions {
  enum class Amplitudes { first_snapshot, trajectory };
  RankRule rank;
  bool scale_columns = false;
  // Pairs with refined vectors: all (the paper), none, or this many of the
  // largest amplitude.
  struct Refine {
    enum class Kind { all, none, largest } kind = Kind::all;
    arma::uword count = 0;
  } refine;
  bool refined_rayleigh = false;
  Amplitudes amplitudes = Amplitudes::first_snapshot;
  bool sort_by_amplitude = false;

  // The keys: RankRule's, scale_columns, refine, refined_rayleigh, amplitudes, order.
  static const Options<DmdRrrOptions>& options();
};

// `first_trajectory` (n × T): its first column gives the amplitudes, or all of
// it with Amplitudes::trajectory.
KoopmanModel dmd_rrr(const arma::mat& x, const arma::mat& y, const arma::mat& first_trajectory,
                     const DmdRrrOptions& options, const std::string& where);

}  // namespace kooplab
