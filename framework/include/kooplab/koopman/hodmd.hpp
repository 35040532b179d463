#pragma once
// Higher-order DMD (Le Clainche & Vega 2017) on a signal: exact DMD on its
// d-delay windows, truncated at the tolerance ε₁ (the RankRule), with the
// eigenpairs of small amplitude dropped (ε₂).
//
// Steps: each trajectory becomes its windows [x_t; …; x_{t+d−1}]
// (fit_on_delays, kooplab/koopman/delay_embedding.hpp); exact DMD of the
// windows keeps the singular values the RankRule keeps (exact_dmd.hpp); the
// amplitudes are fitted over the whole first trajectory, and eigenpairs with
// |a_i|·‖mode_i‖ below ε₂ times the largest are dropped
// (keep_by_amplitude). The paper first reduces vector data on their own
// SVD, at ε₁, before the delays; that step is left out here: for a scalar
// signal it changes nothing, and for vector data the windows' SVD truncates
// the same directions at the cost of n·d-row windows.
// Diagnostics: rank (pairs kept), numerical_rank (of the windows), delays.
// Memory: the windows (2·n·d·m) and exact DMD's at dimension n·d.
#include <armadillo>
#include <string>

#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

struct HodmdOptions {
  arma::uword delays = 20;           // d
  RankRule rank;                     // ε₁ as `tolerance`, or a rank
  double amplitude_tolerance = 0.0;  // ε₂

  // The keys: delays, amplitude_tolerance and the RankRule's.
  static const Options<HodmdOptions>& options();
};

KoopmanModel hodmd(const Trajectories& data, const HodmdOptions& options, const std::string& where);

}  // namespace kooplab
