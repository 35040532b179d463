// Exact DMD (estimator `dmd`) against closed-form spectra.
#include <doctest/doctest.h>

#include <cmath>
#include <complex>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/prediction_error.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "support.hpp"

using kooplab::KoopmanModel;
using kooplab::spectrum_distance;
using kooplab::Trajectories;
using kooplab::testing::fit;
using kooplab::testing::make;

TEST_CASE("exact DMD recovers the eigenvalues of a noise-free linear system to 1e-10") {
  const auto dataset = make<kooplab::Dataset>(
      "name: linear_system\neigenvalues: [0.9, [0.7, 0.4], -0.5, [0.2, 0.9]]\ntrajectories: 3\nsteps: 30\n");
  kooplab::Rng rng(7);
  const Trajectories data = dataset->trajectories(rng);
  REQUIRE(data.true_eigenvalues->n_elem == 6);
  const auto model = make<kooplab::Estimator>("name: dmd\n")->fit(data, nullptr, rng);
  REQUIRE(model.rank() == 6);
  CHECK(spectrum_distance(*data.true_eigenvalues, model.eigenvalues) < 1e-10);
  CHECK(model.residuals.max() < 1e-10);
  // Predictions from the first state follow the trajectory.
  const arma::mat& first = data.runs.front();
  CHECK(arma::norm(model.predict(first.col(0), first.n_cols - 1) - first, "fro") < 1e-8 * arma::norm(first, "fro"));
  CHECK(arma::norm(model.reconstruct(first.n_cols - 1) - first, "fro") < 1e-8 * arma::norm(first, "fro"));
  // Continuous-time eigenvalue of λ = 0.9 with dt = 1 is log 0.9.
  CHECK(arma::abs(model.continuous_eigenvalues() - std::log(0.9)).min() < 1e-10);
}

TEST_CASE("exact DMD with complex, repeated and zero eigenvalues: spectrum to 1e-10, predictions A^k x_0") {
  const kooplab::testing::LinearSystem system;
  const Trajectories data = system.data(3, 10);
  const KoopmanModel model = fit("name: dmd", data);
  CHECK(spectrum_distance(system.eigenvalues, model.eigenvalues) < 1e-10);
  const arma::vec x0 = {0.3, -1.0, 0.2, 0.5, 1.5, -0.7};
  const arma::mat truth = system.orbit(x0, 5);
  CHECK(arma::norm(model.predict(x0, 5) - truth, "inf") < 1e-9);
  CHECK(arma::norm(model.reconstruct(10) - data.runs.front(), "inf") < 1e-8);
}

TEST_CASE("rank truncation: fixed, energy and optimal hard threshold") {
  // A rotation by ω in a random plane of R^20, observed with white noise:
  // signal rank 2, eigenvalues e^{±iω}.
  kooplab::Rng rng(3);
  const double omega = 0.3;
  const arma::mat plane = rng.normal(20, 2);
  Trajectories data;
  arma::mat run(20, 400);
  for (arma::uword t = 0; t < run.n_cols; ++t) run.col(t) = plane * arma::vec{std::cos(omega * t), std::sin(omega * t)};
  data.runs.push_back(run + 1e-3 * rng.normal(20, 400));
  const arma::cx_vec truth{std::polar(1.0, omega), std::polar(1.0, -omega)};

  CHECK(fit("name: dmd\nrank: 3\n", data).rank() == 3);
  CHECK(fit("name: dmd\n", data).rank() == 20);
  const KoopmanModel energy = fit("name: dmd\nrank: auto\nenergy: 0.999\n", data);
  CHECK(energy.rank() == 2);
  CHECK(spectrum_distance(truth, energy.eigenvalues) < 1e-3);
  const KoopmanModel threshold = fit("name: dmd\nrank: auto\nrank_rule: hard_threshold\n", data);
  CHECK(threshold.rank() == 2);
  CHECK(spectrum_distance(truth, threshold.eigenvalues) < 1e-3);
}

TEST_CASE("exact DMD's amplitudes are the least-squares fit of its modes to x_0, off their span too") {
  // A noisy rotation in R^20 kept to rank 3: a conjugate pair and a real
  // eigenvalue, and an x_0 the three modes do not span.
  kooplab::Rng rng(5);
  const arma::mat plane = rng.normal(20, 2);
  Trajectories data;
  arma::mat run(20, 60);
  for (arma::uword t = 0; t < run.n_cols; ++t) run.col(t) = plane * arma::vec{std::cos(0.4 * t), std::sin(0.4 * t)};
  data.runs.push_back(run + 0.05 * rng.normal(20, 60));
  const KoopmanModel model = fit("name: dmd\nrank: 3\n", data);
  REQUIRE(model.rank() == 3);
  REQUIRE(arma::any(arma::imag(model.eigenvalues) != 0.0));
  const arma::cx_vec x0 = arma::cx_vec(data.runs.front().col(0), arma::zeros(20));
  const arma::cx_vec misfit = model.modes * model.amplitudes - x0;
  REQUIRE(arma::norm(misfit) > 1e-3 * arma::norm(x0));  // x_0 is off the modes' span
  // Normal equations Φᴴ (Φ a − x_0) = 0, and a equals a direct least-squares solve.
  CHECK(arma::norm(model.modes.t() * misfit) < 1e-12 * arma::norm(x0));
  const arma::cx_vec direct = arma::solve(model.modes, x0);
  CHECK(arma::norm(model.amplitudes - direct) < 1e-12 * arma::norm(direct));
}

TEST_CASE("the one-step and reconstruction errors, summed a block of snapshots at a time, equal the whole-matrix errors") {
  // 20000 states: a block holds 64 snapshots, so each trajectory of 150 takes
  // blocks of 64, 64 and 22 snapshots (64, 64 and 21 pairs).
  kooplab::Rng rng(11);
  const arma::mat plane = rng.normal(20000, 2);
  Trajectories data;
  for (const double phase : {0.0, 1.0}) {
    arma::mat run(20000, 150);
    for (arma::uword t = 0; t < run.n_cols; ++t)
      run.col(t) = std::pow(0.99, double(t)) * (plane * arma::vec{std::cos(0.3 * t + phase), std::sin(0.3 * t + phase)});
    data.runs.push_back(run + 0.01 * rng.normal(20000, 150));
  }
  const KoopmanModel model = fit("name: dmd\nrank: 2\n", data);
  arma::mat x, y;
  for (const arma::mat& run : data.runs) {
    x = arma::join_rows(x, run.head_cols(149));
    y = arma::join_rows(y, run.tail_cols(149));
  }
  const double one_step = arma::norm(y - model.advance(x), "fro") / arma::norm(y, "fro");
  CHECK(one_step > 0.01);  // the noise
  CHECK(kooplab::one_step_error(model, data) == doctest::Approx(one_step).epsilon(1e-12));
  // Looking 4 steps back leaves the first 4 pairs of each trajectory out.
  arma::mat x_late, y_late;
  for (const arma::mat& run : data.runs) {
    x_late = arma::join_rows(x_late, run.cols(4, 148));
    y_late = arma::join_rows(y_late, run.cols(5, 149));
  }
  CHECK(kooplab::one_step_error(model, data, 4) ==
        doctest::Approx(arma::norm(y_late - model.advance(x_late), "fro") / arma::norm(y_late, "fro")).epsilon(1e-12));
  const arma::mat& first = data.runs.front();
  const double rebuilt = arma::norm(model.reconstruct(149) - first, "fro") / arma::norm(first, "fro");
  CHECK(kooplab::reconstruction_error(model, first).fitted == doctest::Approx(rebuilt).epsilon(1e-12));
  CHECK_FALSE(kooplab::reconstruction_error(model, first).all.has_value());
  // Amplitudes λ^j ∘ a rebuild from step j on.
  CHECK(arma::norm(model.reconstruct(model.amplitudes % arma::pow(model.eigenvalues, 40), 9) -
                   model.reconstruct(49).tail_cols(10), "fro") < 1e-12 * arma::norm(first, "fro"));
  CHECK(kooplab::testing::contains(
      kooplab::testing::error_of<kooplab::DataError>([&] { model.reconstruct(arma::cx_vec(3), 9); }),
      "reconstruct: 3 amplitudes for 2 eigenvalues"));
}

TEST_CASE("exact DMD: rank-deficient, zero, short and NaN data give clear errors") {
  kooplab::Rng rng(0);
  const auto dmd = make<kooplab::Estimator>("name: dmd\nrank: 3\n");
  Trajectories rank_one;
  rank_one.runs.push_back(arma::mat{{1, 2, 4, 8}, {2, 4, 8, 16}, {3, 6, 12, 24}});
  CHECK_THROWS_WITH_AS(dmd->fit(rank_one, nullptr, rng),
                       doctest::Contains("estimator 'dmd': rank 3 requested but the data have numerical rank 1"),
                       kooplab::NumericalError);
  Trajectories zero;
  zero.runs.push_back(arma::zeros(3, 5));
  CHECK_THROWS_WITH_AS(make<kooplab::Estimator>("name: dmd\n")->fit(zero, nullptr, rng),
                       "estimator 'dmd': the snapshot matrix is zero (rank 0); nothing to fit",
                       kooplab::NumericalError);
  Trajectories short_run;
  short_run.runs.push_back(arma::ones(3, 1));
  CHECK_THROWS_WITH_AS(dmd->fit(short_run, nullptr, rng),
                       "estimator 'dmd': trajectory 0 has 1 snapshot(s); at least 2 are needed for a pair",
                       kooplab::DataError);
  Trajectories with_nan;
  with_nan.runs.push_back(arma::ones(2, 4));
  with_nan.runs.back()(1, 2) = arma::datum::nan;
  CHECK_THROWS_WITH_AS(dmd->fit(with_nan, nullptr, rng),
                       "estimator 'dmd': trajectory 0 has a non-finite value (nan) at state 1, step 2",
                       kooplab::DataError);
}
