#pragma once
// The optimized-DMD fit (Askham, Kutz, "Variable projection methods for an
// optimized dynamic mode decomposition", SIAM J. Appl. Dyn. Syst. 17, 2018):
// sums of exponentials fitted to snapshots at arbitrary times by variable
// projection.
//
// Trajectory k holds snapshots x(t_j) (d × m_k, times t_j increasing, any
// spacing). The model is x(t)ᵀ ≈ Σ_l e^{α_l t} B_k(l, :): one set of rates
// α (complex, r) shared by every trajectory, coefficients B_k (r × d) of
// their own. With E_k(α) = [e^{α_l t_j}] (m_k × r) and A_k = X_kᵀ the
// coefficients are the least-squares B_k = E_k⁺ A_k, so only α is searched:
// minimise Σ_k ‖(I − P_k(α)) A_k‖_F², P_k = E_k E_k⁺ (Golub, Pereyra 1973).
// Levenberg–Marquardt on the 2r real parameters (Re α, Im α) with the full
// Golub–Pereyra Jacobian: the residual is not holomorphic in α (P_k holds
// E_kᴴ), so a real change of α_l moves it by J_a + J_b and an imaginary one
// by i(J_a − J_b), where
//   J_a = −(I − P_k) d_l B_k(l, :),   J_b = −(E_k⁺)ᴴ e_l (d_lᴴ ρ_k),
// d_l = t ∘ e^{α_l t} (the derivative of column l of E_k) and ρ_k the
// residual. Each step solves the damped problem min ‖J δ + ρ‖² + μ‖D δ‖²
// (D: the column norms of J, Marquardt's scaling) by a QR of the stacked
// system, then projects α + δ onto the constraints; the step is kept when
// the residual falls (μ /= 3), else μ *= 4 and the step is tried again. A
// rate whose column of J vanishes (its exponential underflows over the
// times) keeps its value.
// Converged when an accepted step changes α by less than `tolerance` relative
// or lowers the squared residual by less than `tolerance` relative, when the
// residual is round-off (1e-15 of the data), or when no damping finds a lower
// residual (a minimum to round-off).
// Constraints, applied after every step (a projection, so the fit is the best
// among the constrained rates the iteration visits):
//  - stable: Re α_l ≤ 0. Growth rates above zero are set to zero, and a
//    rate at zero growth that the step would push beyond it is held there
//    (the step is solved again without its real part: an active set, which
//    converges where projecting alone would zigzag);
//  - conjugate_pairs: the rates come as α, ᾱ (what real data give). Rates
//    with Im α > 0 are paired with rates with Im α < 0, closest |α_p − ᾱ_q|
//    first, while that distance is below |Im α_p| + |Im α_q|; each pair is
//    replaced by (α_p + ᾱ_q)/2 and its conjugate, every rate left unpaired
//    (real ones, and near-real ones that would only pair with a distant
//    partner) by its real part.
// Memory: the data (complex, Σ m_k·d) and the Jacobian (2·Σ m_k·d × 2r).
// Cost per iteration: a thin SVD of each E_k and the QR of the Jacobian,
// O(Σ m_k·d·r²).
#include <armadillo>
#include <string>
#include <vector>

namespace kooplab {

struct RateConstraints {
  bool stable = false;
  bool conjugate_pairs = false;
};

// α projected onto the constraints, as above.
arma::cx_vec constrain_rates(const arma::cx_vec& alpha, const RateConstraints& constraints);

struct ExponentialFitSettings {
  arma::uword max_iterations = 100;
  double tolerance = 1e-10;
  RateConstraints constraints;
};

struct ExponentialFit {
  arma::cx_vec alpha;                      // r rates
  std::vector<arma::cx_mat> coefficients;  // B_k, r × d per trajectory
  double residual = 0.0;                   // sqrt(Σ‖ρ_k‖²) / sqrt(Σ‖A_k‖²)
  arma::uword iterations = 0;
  bool converged = false;
};

// Fits α from `start` (projected onto the constraints first). `runs` are
// d × m_k, `times` their m_k increasing times (not checked here). Throws
// NumericalError, naming `where`, when the residual at the start is not
// finite.
ExponentialFit fit_exponentials(const std::vector<arma::mat>& runs, const std::vector<arma::vec>& times,
                                const arma::cx_vec& start, const ExponentialFitSettings& settings,
                                const std::string& where);

}  // namespace kooplab
