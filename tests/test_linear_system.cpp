// The `linear_system` dataset: generic initial states and a given matrix.
#include <doctest/doctest.h>

#include "kooplab/dataset.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "support.hpp"

using kooplab::spectrum_distance;
using kooplab::testing::make;

TEST_CASE("linear_system: run seed and system_seed equal still give generic initial states") {
  // The basis comes from its own stream: with one shared stream, run seed 0 and
  // system_seed 0 started every trajectory on an eigenvector.
  const auto dataset =
      make<kooplab::Dataset>("name: linear_system\neigenvalues: [0.9, 0.6, 0.3]\ntrajectories: 3\nsteps: 10\n");
  kooplab::Rng rng(0);
  const kooplab::Trajectories data = dataset->trajectories(rng);
  // Each trajectory excites every mode: a one-trajectory fit finds all three
  // (with the shared stream it found one).
  kooplab::Trajectories first;
  first.runs = {data.runs[0]};
  const auto model = make<kooplab::Estimator>("name: dmd\n")->fit(first, nullptr, rng);
  CHECK(model.rank() == 3);
  CHECK(spectrum_distance(*data.true_eigenvalues, model.eigenvalues) < 1e-10);
}

TEST_CASE("linear_system with a given matrix: DMD eigenvalues equal A's") {
  const auto dataset = make<kooplab::Dataset>("name: linear_system\nmatrix: [[0.5, 1.0], [0.0, 0.25]]\nsteps: 5\n");
  kooplab::Rng rng(1);
  const auto model = make<kooplab::Estimator>("name: dmd\n")->fit(dataset->trajectories(rng), nullptr, rng);
  CHECK(spectrum_distance(arma::cx_vec{{0.5, 0.0}, {0.25, 0.0}}, model.eigenvalues) < 1e-12);
}
