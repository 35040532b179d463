#pragma once
// Delay (Hankel) coordinates, built per trajectory so that no window ever
// straddles two trajectories.
#include <armadillo>
#include <string>

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

}  // namespace kooplab
