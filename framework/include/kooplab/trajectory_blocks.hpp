#pragma once
// Trajectories read a block of snapshots at a time, for data larger than
// memory. Two optional capabilities build on it: a dataset that can serve its
// trajectories this way derives from BlockDataset beside Dataset, an estimator
// that can fit from blocks derives from BlockEstimator beside Estimator. An
// application asks for them with dynamic_cast (the `spectrum` application
// does with `in_memory: false`); plugins without them are unaffected.
#include <armadillo>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "kooplab/api.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/observable.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

class KOOPLAB_API TrajectoryBlocks {
 public:
  virtual ~TrajectoryBlocks();
  virtual arma::uword state_dim() const = 0;
  virtual std::size_t trajectory_count() const = 0;
  virtual arma::uword length(std::size_t trajectory) const = 0;  // snapshots
  // Snapshots [first, first + count) of a trajectory, n × count. Throws
  // DataError, naming the source, for a range outside the trajectory and for
  // non-finite values.
  virtual arma::mat read(std::size_t trajectory, arma::uword first, arma::uword count) const = 0;
  virtual std::optional<double> dt() const = 0;

  arma::uword pair_count() const;
  // Throws DataError (naming `where`) for no trajectories, an empty state or
  // a trajectory shorter than two snapshots.
  void validate(const std::string& where) const;
};

class KOOPLAB_API BlockDataset {
 public:
  virtual ~BlockDataset();
  virtual std::unique_ptr<TrajectoryBlocks> trajectory_blocks(Rng& rng) const = 0;
};

class KOOPLAB_API BlockEstimator {
 public:
  virtual ~BlockEstimator();
  // As Estimator::fit, reading `data` a block at a time.
  virtual KoopmanModel fit_blocks(const TrajectoryBlocks& data, Observable* observable, Rng& rng) const = 0;
};

// Snapshot pairs (x_t, x_{t+1}) of one trajectory with the `lead` snapshots
// before the first x: states holds x_{first − lead} .. x_{first + count}.
struct PairBlock {
  std::size_t trajectory = 0;
  arma::uword first = 0;  // t of the first pair
  arma::uword lead = 0;
  arma::uword count = 0;  // pairs
  arma::mat states;       // n × (lead + count + 1)

  auto x() const { return states.cols(lead, lead + count - 1); }
  auto y() const { return states.cols(lead + 1, lead + count); }
};

// Snapshots per block when each takes `values` doubles (a state, with what is
// computed from it): as many as fit in 2^22 doubles (32 MB), at most 8192
// and at least one, so a block stays small however large the state.
arma::uword snapshots_per_block(arma::uword values);

// Visits the pairs with t ≥ skip of every trajectory in order, at most `pairs`
// pairs per block, each block led by up to `history` earlier snapshots of its
// own trajectory (fewer only at the trajectory's start).
void for_each_pair_block(const TrajectoryBlocks& data, arma::uword skip, arma::uword history, arma::uword pairs,
                         const std::function<void(const PairBlock&)>& visit);

// Throws DataError, naming `where`, the trajectory and the step, when `states`
// (snapshots first_step, first_step + 1, ... of that trajectory) hold a
// non-finite value.
void check_finite(const arma::mat& states, const std::string& where, std::size_t trajectory, arma::uword first_step);

}  // namespace kooplab
