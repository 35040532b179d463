#pragma once
// EDMD on delay windows with a rank-r SVD projection, as pykoopman's
// Koopman(observables=TimeDelay(n_delays=h), regressor=EDMD(svd_rank=r)) fits
// and simulates it (layers-as-linear-operations.md, its authors' code):
//
//  1. windows w_t = [x_t; x_{t+1}; …; x_{t+h}] of h + 1 consecutive states,
//     X the windows and Y their successors w_{t+1};
//  2. X ≈ U_r Σ_r V_rᵀ (thin SVD, r singular values kept);
//  3. the reduced operator A = U_rᵀ Y V_r Σ_r⁻¹ (r × r);
//  4. a window w advances s steps as U_r A^s U_rᵀ w, and the state it predicts
//     is the newest block of the result.
//
// Pairing says where windows come from: `concatenated` strings all
// trajectories end to end into one series (the authors' code: reshaped
// "i t s -> s (t i)", so most windows straddle two trajectories);
// `per_trajectory` never crosses a boundary (kooplab's hankel_windows).
//
// Singular values below 1e-12·σ₁ are dropped as well (r never exceeds X's
// numerical rank), so exact, rank-deficient data does not divide by zero.
// Cost: the thin SVD of X (n(h+1) × M); memory: X and Y.
#include <armadillo>
#include <string>
#include <vector>

#include "kooplab/options.hpp"

namespace kooplab {

enum class WindowPairing { concatenated, per_trajectory };
const Words<WindowPairing>& window_pairing_words();

class TruncatedDelayEdmd {
 public:
  // `runs`: trajectories (n × T_k). Throws DataError naming `where` when
  // there are none, their widths differ, or no pair of windows of h + 1
  // states fits; ConfigError for rank 0.
  TruncatedDelayEdmd(const std::vector<arma::mat>& runs, arma::uword delays, arma::uword rank, WindowPairing pairing,
                     const std::string& where);

  // The newest state of each window (columns of n(h+1) rows, oldest state
  // first) after `steps` ≥ 1 advances.
  arma::mat advance(const arma::mat& windows, arma::uword steps) const;

  arma::uword rank() const { return basis_.n_cols; }
  arma::uword pairs() const { return pairs_; }
  const arma::vec& singular_values() const { return sigma_; }  // of X, all of them
  arma::cx_vec eigenvalues() const;                            // of A

 private:
  arma::uword state_dim_, delays_, pairs_ = 0;
  arma::mat basis_;    // U_r
  arma::mat reduced_;  // A
  arma::vec sigma_;
};

}  // namespace kooplab
