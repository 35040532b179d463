#pragma once
// Optimized DMD with bagging, BOP-DMD (Sashidhar, Kutz, "Bagging, optimized
// dynamic mode decomposition for robust, stable forecasting with spatial and
// temporal uncertainty quantification", Phil. Trans. R. Soc. A 380, 2022), on
// optimized DMD (Askham, Kutz 2018; exponential_fit.hpp).
//
// 1. POD: the thin SVD of all snapshots side by side, rank r by the RankRule;
//    every trajectory is projected onto the leading r left singular vectors
//    U (r × m_k coordinates). Each trajectory needs more than r snapshots.
// 2. Start: with evenly spaced times (one spacing h in every trajectory, to
//    1e-9 relative), the eigenvalues λ of the least-squares operator Ỹ X̃⁺ of
//    the projected pairs (exact DMD) give α = log λ / h (|λ| floored at 1e-12);
//    otherwise (the fallback of Askham & Kutz) the trapezoidal rule
//    x_{j+1} − x_j ≈ Δt_j A (x_j + x_{j+1})/2 gives A by least squares and
//    α = eig A.
// 3. Optimized DMD: the variable-projection fit of α from that start on all
//    snapshots (exponential_fit.hpp), with the constraints. Not converging in
//    max_iterations is a NumericalError naming the final residual.
// 4. Bagging (trials > 0): trial i fits again from the rates of step 3 on a
//    random `subset` of each trajectory's snapshots (drawn without
//    replacement, their times kept). Trial i draws from its own stream,
//    Rng(seed, "bopdmd trial i"), and the trials run in parallel (oneTBB)
//    into their own slots, reduced in trial order afterwards: the result is
//    bit-identical for any number of threads. A trial's rates are matched to
//    those of step 3 (spectrum_matching.hpp: closest pairs first, one to
//    one), its modes turned to the phase of step 3's modes (the amplitude
//    turned back), so that eigenpair l means the same in every trial. The
//    model is then the trials' mean: rates (projected onto the constraints
//    again, so conjugates stay exact), modes (renormalised, the norm moved
//    into the amplitude) and amplitudes. Trials that reach max_iterations
//    still count (the diagnostic unconverged_trials says how many); a trial
//    that fails otherwise fails the fit, the lowest such trial named.
// Modes and amplitudes from a fit: trajectory k's coefficients give, for rate
// l, the row B_k(l, :) (its share of the projected states); mode l (unit norm,
// in reduced coordinates w_l) is the leading left singular vector of those
// rows over all trajectories (for one trajectory, the row itself), and
// trajectory k's amplitude is w_lᴴ B_k(l, :)ᵀ. The model's amplitudes are the
// first trajectory's at its first time, x(t_0) ≈ Σ_l modes_l · amplitudes_l.
// The model: λ = exp(α·step), modes U W (n × r), eigenfunctions
// φ(x) = W⁻¹ Uᵀ x, Koopman matrix W diag(λ) W⁻¹ (reduced coordinates), and
// per eigenpair the residual of its eigenfunction along every pair of
// consecutive snapshots, ‖φ_l(x_{j+1}) − e^{α_l (t_{j+1} − t_j)} φ_l(x_j)‖ /
// ‖φ_l(x_j)‖ (zero on exact data; for evenly spaced times λ_l's relation
// φ(x_{t+1}) = λ φ(x_t)).
// Diagnostics: rank, numerical_rank (of the snapshots), iterations (step 3),
// fit_residual (‖X − fit‖_F/‖X‖_F of step 3, reduced coordinates), and with
// trials: trials, unconverged_trials, eigenvalue_std_max and per eigenpair i
// (in the model's order) eigenvalue_std_i, mode_std_i, amplitude_std_i (the
// quantities of BopDmd below; mode_std_i the 2-norm of the column).
// Memory: the snapshots twice (n × M), U (n × r), per trial the subset's
// coordinates (r × subset) and its r × r results. Cost: the SVD, then each
// fit O(iterations · M · r³) in the reduced coordinates.
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

#include "kooplab/koopman/exponential_fit.hpp"
#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

struct BopDmdOptions {
  RankRule rank;
  arma::uword trials = 20;  // 0: optimized DMD alone
  double subset = 0.6;      // < 1: the fraction of each trajectory's snapshots, else their count
  bool stable = false;
  bool conjugate_pairs = false;
  arma::uword max_iterations = 100;
  double fit_tolerance = 1e-10;

  // The keys: RankRule's, trials, subset, stable, conjugate_pairs, max_iterations, fit_tolerance.
  static const Options<BopDmdOptions>& options();
};

// The fit and the spread of its eigenpairs over the trials (all empty
// without trials). A complex standard deviation is
// sqrt(Σ_trials |z − mean z|² / (trials − 1)).
struct BopDmd {
  KoopmanModel model;
  arma::cx_vec rates;        // α, r (the model's eigenvalues are exp(α·step))
  arma::vec rate_std;        // of α, r
  arma::vec eigenvalue_std;  // of λ = exp(α·step), r
  arma::mat mode_std;        // element-wise, of the unit modes (n × r)
  arma::vec amplitude_std;   // r
  arma::uword unconverged_trials = 0;
};

// `runs` n × m_k with `times` (m_k each, strictly increasing, any spacing);
// `step` the sampling interval of the model's discrete eigenvalues. Throws
// DataError, naming `where`, for no data, mismatched sizes, times that do
// not increase, non-finite values, or trajectories (or trial subsets) of at
// most r snapshots; NumericalError for rank 0, a fit that does not converge
// and a failed trial; ConfigError for trials = 1 (the keys' check, for
// callers that fill BopDmdOptions themselves).
BopDmd bopdmd(const std::vector<arma::mat>& runs, const std::vector<arma::vec>& times, double step,
              const BopDmdOptions& options, std::uint64_t seed, const std::string& where);

}  // namespace kooplab
