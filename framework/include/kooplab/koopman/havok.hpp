#pragma once
// HAVOK, Hankel alternative view of Koopman (Brunton, Brunton, Proctor, Kaiser,
// Kutz 2017): a signal's delay windows in the coordinates of their SVD, the
// first r evolving linearly and the next one acting as a forcing input.
//
// Each trajectory becomes its delay windows w_t = [x_t; …; x_{t+q−1}]
// (fit_on_delays, kooplab/koopman/delay_embedding.hpp). The windows of all
// trajectories, H = U Σ Vᵀ, give the coordinates v = Σ⁻¹ Uᵀ w; the RankRule
// keeps r of them as the linear part, and v_{r+1}, when H has a further
// nonzero singular value, is the forcing. The regression v'_{1..r} =
// A v_{1..r} + B v_{r+1} over the window pairs (least squares; the paper
// regresses derivatives, this the next step, so A is discrete-time) gives the
// model: in the orthonormal coordinates z = Uᵀ w the operator is Ã = Σ A Σ⁻¹,
// and exact DMD's steps on U_r and U_r Ã (exact_dmd_model) give eigenvalues
// (those of A), modes and eigenfunctions φ(w) = W⁻¹ U_rᵀ w of the unforced
// system, mapped back to the signal as delay_dmd maps them.
//
// Residuals are the data residuals ‖φ_i(W') − λ_i φ_i(W)‖ / ‖φ_i(W)‖ over the
// window pairs: what the forcing (and the truncation) leaves unexplained.
// Diagnostics: rank (r), delays, forcing_share ‖B v_{r+1}‖_F / ‖V'_{1..r}‖_F.
// Memory: the windows (2·n·q·m) and their thin SVD.
#include <armadillo>
#include <string>

#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

struct HavokOptions {
  arma::uword delays = 20;  // q, states per window
  RankRule rank;            // r, the linear coordinates

  // The keys: delays and the RankRule's.
  static const Options<HavokOptions>& options();
};

KoopmanModel havok(const Trajectories& data, const HavokOptions& options, const std::string& where);

}  // namespace kooplab
