#pragma once
// Delay (Hankel) coordinates, built per trajectory so that no window ever
// straddles two trajectories.
#include <armadillo>
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

 private:
  std::shared_ptr<const EigenfunctionMap> windows_;
  arma::uword state_dim_, delays_;
};

}  // namespace kooplab
