#pragma once
// Snapshot data: any number of trajectories, each a matrix whose columns are
// consecutive states. Snapshot pairs never straddle two trajectories.
#include <armadillo>
#include <optional>
#include <string>
#include <vector>

namespace kooplab {

struct SnapshotPairs {
  arma::mat x;  // n × M states
  arma::mat y;  // n × M successors
};

struct Trajectories {
  std::vector<arma::mat> runs;                   // each n × T_k
  std::optional<double> dt;                      // sampling interval, when known
  std::optional<arma::cx_vec> true_eigenvalues;  // when the generator knows them

  arma::uword state_dim() const;
  arma::uword pair_count() const;
  // Throws DataError (naming `where`) for no data, mixed dimensions,
  // trajectories shorter than two steps, and non-finite values.
  void validate(const std::string& where) const;
  // All (x_t, x_{t+1}) pairs, trajectory by trajectory.
  SnapshotPairs pairs() const;
  // Every snapshot of every trajectory, side by side (n × Σ T_k).
  arma::mat all_states() const;
};

}  // namespace kooplab
