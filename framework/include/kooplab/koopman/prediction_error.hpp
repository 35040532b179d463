#pragma once
// How well a model predicts one step ahead, and rebuilds a trajectory from
// its amplitudes, on trajectories in memory or read a block at a time.
#include <optional>

#include "kooplab/koopman_model.hpp"
#include "kooplab/trajectories.hpp"
#include "kooplab/trajectory_blocks.hpp"

namespace kooplab {

// d of a delay model (diagnostic delays: it predicts from windows of d
// states), 1 for any other.
arma::uword model_delays(const KoopmanModel& model);

// ‖Y − Ŷ‖_F / ‖Y‖_F over the snapshot pairs (x_t, x_{t+1}). A delay model
// (diagnostic `delays` = d) predicts from the window that ends at x_t, so only
// the pairs with d − 1 states of their own trajectory before them count: none
// with a padded past, none with a window across two trajectories. The same
// holds for a model on a dictionary that looks `history` steps back
// (kooplab/koopman/dictionary.hpp), whose fit leaves those pairs out too.
double one_step_error(const KoopmanModel& model, const Trajectories& data, arma::uword history = 0);

// The same over trajectories read a block at a time, summed block by block
// (equal up to round-off), each block led by the states its windows need.
double one_step_error(const KoopmanModel& model, const TrajectoryBlocks& data, arma::uword history = 0);

// Relative error of the reconstruction Re(modes · diag(λ^k) · amplitudes),
// k = 0, 1, ..., against a trajectory: over the steps the amplitudes were
// fitted on (from x_{d−1} for a delay model with diagnostic delays = d), and
// over all steps when these are more.
struct ReconstructionError {
  double fitted = 0;
  std::optional<double> all;
};
ReconstructionError reconstruction_error(const KoopmanModel& model, const arma::mat& trajectory);
// The same for trajectory k of `data`, read and rebuilt a block at a time.
ReconstructionError reconstruction_error(const KoopmanModel& model, const TrajectoryBlocks& data, std::size_t k);

}  // namespace kooplab
