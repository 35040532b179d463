#pragma once
// Delay (Hankel) coordinates, built per trajectory so that no window ever
// straddles two trajectories, and time-delay DMD around any fit.
#include <armadillo>
#include <functional>
#include <string>

#include "kooplab/koopman_model.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

// Forward windows z_t = [x_t; x_{t+1}; …; x_{t+d−1}] of one trajectory
// (n × T): an n·d × (T − d + 1) matrix. Requires 1 ≤ d ≤ T.
arma::mat hankel_windows(const arma::mat& run, arma::uword delays);

// Every trajectory replaced by its forward windows (dt and true eigenvalues
// kept). Throws DataError, naming `where`, when a trajectory has fewer than
// d + 1 snapshots (then it gives no pair of windows).
Trajectories delay_embed(const Trajectories& data, arma::uword delays, const std::string& where);

// Backward windows [x_t; x_{t−1}; …; x_{t−d+1}] of consecutive states (n × m),
// n·d × m. The first d − 1 columns lack part of their past: the missing states
// repeat the first column (edge padding).
arma::mat history_windows(const arma::mat& states, arma::uword delays);

// Eigenfunctions of a model fitted on forward windows [x_t; …; x_{t+d−1}].
// They take windows (n·d rows) as they are, or consecutive states (n rows),
// each then standing for the window that ends at it: [x_{t−d+1}; …; x_t],
// the missing past of the first d − 1 columns padded as in history_windows.
class DelayEigenfunctions : public EigenfunctionMap {
 public:
  DelayEigenfunctions(std::shared_ptr<const EigenfunctionMap> windows, arma::uword state_dim, arma::uword delays);
  arma::cx_mat evaluate(const arma::mat& states) const override;

  const std::shared_ptr<const EigenfunctionMap>& windows() const { return windows_; }
  arma::uword state_dim() const { return state_dim_; }
  arma::uword delays() const { return delays_; }

 private:
  std::shared_ptr<const EigenfunctionMap> windows_;
  arma::uword state_dim_, delays_;
};

// Time-delay (Hankel) DMD with any fit on the windows: `fit` receives every
// trajectory replaced by its forward windows z_t = [x_t; …; x_{t+d−1}]
// (delay_embed) and returns a model of them. Its modes are mapped back to the
// state, as the newest block x_{t+d−1} of the window modes, so predictions are
// states: predict(window) continues from the window's last state. Its
// eigenfunctions become DelayEigenfunctions (windows, or consecutive states
// each standing for the window ending at it). Its amplitudes are replaced by a
// fit over the first trajectory from x_{d−1} on, where the windows see the
// state (a component dying within d − 1 steps, λ = 0, has no newest-block
// mode); reconstruct() starts at x_0. Eigenvalues, residuals and the Koopman
// matrix are the window model's. Diagnostic: delays. Memory: the windows
// (2·n·d·m for m pairs) plus what `fit` needs at state dimension n·d.
KoopmanModel fit_on_delays(const Trajectories& data, arma::uword delays,
                           const std::function<KoopmanModel(const Trajectories& windows)>& fit,
                           const std::string& where);

}  // namespace kooplab
