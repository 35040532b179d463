#include "kooplab/dynamics/trajectory_sampling.hpp"

#include <fmt/format.h>

#include "kooplab/memory_check.hpp"

namespace kooplab {

const Options<TrajectorySampling>& TrajectorySampling::options() {
  static const auto options =
      Options<TrajectorySampling>()
          .add("trajectories", &TrajectorySampling::trajectories, "number of trajectories", at_least(1))
          .add("steps", &TrajectorySampling::steps, "transitions per trajectory (steps + 1 snapshots)", at_least(1))
          .add("noise", &TrajectorySampling::noise,
               "standard deviation of Gaussian measurement noise on every snapshot", at_least(0))
          .add("dt", &TrajectorySampling::dt, "sampling interval", greater_than(0));
  return options;
}

void TrajectorySampling::check_memory(const Config& section, double state_size, double other_bytes) const {
  const double snapshots = double(trajectories) * (double(steps) + 1.0);
  kooplab::check_memory(
      section, "trajectories", 8.0 * snapshots * state_size + other_bytes,
      fmt::format("{} trajectories of {} snapshots of {} states", trajectories, steps + 1, state_size));
}

Trajectories TrajectorySampling::simulate(Rng& rng, const Initial& initial, const Step& step,
                                          const Record& record) const {
  Trajectories data;
  data.dt = dt;
  for (int k = 0; k < trajectories; ++k) {
    arma::vec x = initial(rng);
    arma::mat run(x.n_elem, arma::uword(steps) + 1);
    run.col(0) = x;
    for (arma::uword t = 1; t < run.n_cols; ++t) {
      x = step(x, rng);
      run.col(t) = x;
    }
    run = record(std::move(run), k);
    if (noise > 0) run += noise * rng.normal(run.n_rows, run.n_cols);
    data.runs.push_back(std::move(run));
  }
  return data;
}

}  // namespace kooplab
