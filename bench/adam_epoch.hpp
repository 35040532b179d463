#pragma once
// One training epoch with Adam, as the network benchmarks time it: fresh
// weights and optimizer, then the fastest of the epochs that `best_of` runs.
#include <functional>

#include "kooplab/network.hpp"
#include "kooplab/nn/training.hpp"

namespace kooplab::bench {

// Runs `work` some times and returns the figure kept (e.g. the least CPU time).
using BestOf = std::function<double(const std::function<void()>& work)>;

inline double adam_epoch_seconds(Network& network, const LabeledSet& set, arma::uword batch, const BestOf& best_of,
                                 Rng& rng) {
  network.initialise(rng);
  const auto optimizer = make_optimizer(Config::parse("name: adam", "bench"));
  TrainingOptions options;
  options.batch_size = batch;
  options.evaluate = false;
  return best_of([&] { train(network, *optimizer, set, {}, options, rng); });
}

}  // namespace kooplab::bench
