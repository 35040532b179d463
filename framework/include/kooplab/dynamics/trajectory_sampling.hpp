#pragma once
// How a dataset samples a simulated map x_{t+1} = F(x_t): how many
// trajectories, how many steps each, the measurement noise and the sampling
// interval. The keys are declared once here for every such dataset.
#include <armadillo>
#include <functional>

#include "kooplab/options.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

struct TrajectorySampling {
  int trajectories = 4;
  int steps = 50;
  double noise = 0.0;  // standard deviation of Gaussian noise on every recorded snapshot
  double dt = 1.0;

  static const Options<TrajectorySampling>& options();

  // Refuses, naming `trajectories` and the sizes, a sampling whose snapshots of
  // `state_size` doubles plus `other_bytes` exceed the memory budget
  // (kooplab/memory_check.hpp); `section` is the dataset's.
  void check_memory(const Config& section, double state_size, double other_bytes = 0.0) const;

  using Initial = std::function<arma::vec(Rng&)>;
  using Step = std::function<arma::vec(const arma::vec&, Rng&)>;
  // Turns a run of states into what is recorded (e.g. through sensors); may throw for a bad run.
  using Record = std::function<arma::mat(arma::mat run, int index)>;

  // `trajectories` runs of steps + 1 snapshots, x_0 = initial(rng) and
  // x_{t+1} = step(x_t, rng), each recorded and then given its noise, in this
  // order of draws from `rng`; dt set.
  Trajectories simulate(Rng& rng, const Initial& initial, const Step& step, const Record& record) const;
};

}  // namespace kooplab
