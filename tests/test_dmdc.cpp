// DMD with control (Proctor, Brunton, Kutz 2016; estimator `dmdc`): on a
// forced linear system x' = A x + B u with random inputs, A (and B when
// unknown) come back to round-off.
#include <doctest/doctest.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/dmd_with_control.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "support.hpp"

using kooplab::DmdcFit;
using kooplab::DmdcOptions;
using kooplab::Trajectories;
using kooplab::testing::LinearSystem;

namespace {

// `runs` trajectories of x_{t+1} = A x_t + B u_t, u_t standard normal, each
// state stacked over its input: [x_t; u_t], steps + 1 columns.
Trajectories forced(const LinearSystem& system, const arma::mat& b, arma::uword runs, arma::uword steps,
                    std::uint64_t seed) {
  kooplab::Rng rng(seed);
  Trajectories data;
  data.dt = 0.1;
  const arma::uword n = system.dimension(), q = b.n_cols;
  for (arma::uword k = 0; k < runs; ++k) {
    arma::mat run(n + q, steps + 1);
    run.col(0).head(n) = rng.normal(n, 1);
    run.rows(n, n + q - 1) = rng.normal(q, steps + 1);
    for (arma::uword t = 0; t < steps; ++t)
      run.col(t + 1).head(n) = system.a * run.col(t).head(n) + b * run.col(t).tail(q);
    data.runs.push_back(std::move(run));
  }
  return data;
}

// Â = Û Ã Ûᵀ, the fitted state operator.
arma::mat state_operator(const DmdcFit& fit) {
  return fit.basis * arma::real(fit.model.koopman_matrix) * fit.basis.t();
}

}  // namespace

TEST_CASE("dmdc recovers A and an unknown B from random inputs to round-off") {
  const LinearSystem system;  // 0.9 (twice), 0.8 ± 0.3i, 0, 0.5: A is singular and has a repeated eigenvalue
  const arma::mat b = kooplab::Rng(21).normal(system.dimension(), 2);
  const Trajectories data = forced(system, b, 3, 15, 4);
  DmdcOptions options;
  options.inputs = 2;
  const DmdcFit fit = kooplab::dmd_with_control(data, options, "dmdc");
  CHECK(fit.model.rank() == 6);
  CHECK(fit.model.diagnostics.at("input_rank") == 8);
  CHECK(arma::norm(state_operator(fit) - system.a, "inf") < 1e-10 * arma::norm(system.a, "inf"));
  CHECK(arma::norm(fit.input_matrix - b, "inf") < 1e-10 * arma::norm(b, "inf"));
  CHECK(kooplab::spectrum_distance(system.eigenvalues, fit.model.eigenvalues) < 1e-7);  // a repeated root: √ε
  CHECK(fit.model.residuals.max() < 1e-10);
  CHECK(fit.model.dt == 0.1);
  // The model is the free system on the stacked state: [x; u] → [A x; 0].
  const arma::mat states = data.runs.front();
  const arma::mat free = fit.model.advance(states);
  CHECK(arma::norm(free.head_rows(6) - system.a * states.head_rows(6), "inf") < 1e-9);
  CHECK(arma::norm(free.tail_rows(2), "inf") == 0.0);

  // Exact DMD of the same states cannot tell the input from the dynamics.
  const auto exact = kooplab::testing::fit("name: dmd\nrank: 6", [&] {
    Trajectories state_only = data;
    for (arma::mat& run : state_only.runs) run = run.head_rows(6).eval();
    return state_only;
  }());
  CHECK(kooplab::spectrum_distance(system.eigenvalues, exact.eigenvalues) > 0.05);
}

TEST_CASE("dmdc with B known recovers A; with the wrong B it does not") {
  const LinearSystem system({0.95, {0.7, 0.4}, -0.5});
  const arma::mat b = kooplab::Rng(8).normal(system.dimension(), 1);
  const Trajectories data = forced(system, b, 2, 12, 6);
  DmdcOptions options;
  options.input_matrix = b;
  const DmdcFit fit = kooplab::dmd_with_control(data, options, "dmdc");
  CHECK(arma::norm(state_operator(fit) - system.a, "inf") < 1e-10);
  CHECK(kooplab::spectrum_distance(system.eigenvalues, fit.model.eigenvalues) < 1e-10);
  CHECK(fit.model.residuals.max() < 1e-10);
  CHECK(fit.input_matrix.is_empty() == false);
  options.input_matrix = 2.0 * b;
  CHECK(kooplab::spectrum_distance(system.eigenvalues,
                                   kooplab::dmd_with_control(data, options, "dmdc").model.eigenvalues) > 1e-3);

  // The plugin reads the same keys and gives the same model.
  const auto plugin = kooplab::testing::fit(
      fmt::format("name: dmdc\ninputs: 1\ninput_matrix: [[{}], [{}], [{}], [{}]]", b(0), b(1), b(2), b(3)), data);
  CHECK(kooplab::spectrum_distance(system.eigenvalues, plugin.eigenvalues) < 1e-9);
}

TEST_CASE("dmdc names bad inputs") {
  const LinearSystem system({0.9, 0.5});
  const Trajectories data = forced(system, arma::mat(arma::vec{1.0, 0.5}), 2, 8, 1);
  DmdcOptions options;
  options.inputs = 3;
  CHECK_THROWS_WITH_AS(kooplab::dmd_with_control(data, options, "dmdc"),
                       doctest::Contains("dmdc: states of 3 rows hold no state besides the 3 input rows"),
                       kooplab::DataError);
  options.inputs = 1;
  options.input_matrix = arma::mat(3, 1, arma::fill::ones);
  CHECK_THROWS_WITH_AS(kooplab::dmd_with_control(data, options, "dmdc"),
                       doctest::Contains("input_matrix is 3 × 1, the data need n × q = 2 × 1"), kooplab::DataError);
  CHECK_THROWS_WITH_AS(kooplab::testing::make<kooplab::Estimator>("name: dmdc\ninputs: 0"), doctest::Contains("inputs"),
                       kooplab::ConfigError);
}
