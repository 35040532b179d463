// Exact DMD through its plugin, and the datasets that feed it.
#include <doctest/doctest.h>

#include <fstream>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "support.hpp"

using kooplab::testing::make;

namespace {

// Largest distance from an expected eigenvalue to the nearest computed one.
double eigenvalue_distance(const arma::cx_vec& expected, const arma::cx_vec& computed) {
  double worst = 0.0;
  for (const auto& lambda : expected) worst = std::max(worst, arma::abs(computed - lambda).min());
  return worst;
}

}  // namespace

TEST_CASE("exact DMD recovers the eigenvalues of a noise-free linear system to 1e-10") {
  const auto dataset = make<kooplab::Dataset>(
      "name: linear_system\neigenvalues: [0.9, [0.7, 0.4], -0.5, [0.2, 0.9]]\ntrajectories: 3\nsteps: 30\n");
  kooplab::Rng rng(7);
  const kooplab::Trajectories data = dataset->trajectories(rng);
  REQUIRE(data.true_eigenvalues->n_elem == 6);
  const auto model = make<kooplab::Estimator>("name: dmd\n")->fit(data, nullptr, rng);
  REQUIRE(model.rank() == 6);
  CHECK(eigenvalue_distance(*data.true_eigenvalues, model.eigenvalues) < 1e-10);
  CHECK(eigenvalue_distance(model.eigenvalues, *data.true_eigenvalues) < 1e-10);
  CHECK(model.residuals.max() < 1e-10);
  // Predictions from the first state follow the trajectory.
  const arma::mat& first = data.runs.front();
  CHECK(arma::norm(model.predict(first.col(0), first.n_cols - 1) - first, "fro") < 1e-8 * arma::norm(first, "fro"));
  CHECK(arma::norm(model.reconstruct(first.n_cols - 1) - first, "fro") < 1e-8 * arma::norm(first, "fro"));
  // Continuous-time eigenvalue of λ = 0.9 with dt = 1 is log 0.9.
  CHECK(arma::abs(model.continuous_eigenvalues() - std::log(0.9)).min() < 1e-10);
}

TEST_CASE("linear_system: run seed and system_seed equal still give generic initial states") {
  // The basis comes from its own stream: with one shared stream, run seed 0 and
  // system_seed 0 started every trajectory on an eigenvector.
  const auto dataset = make<kooplab::Dataset>("name: linear_system\neigenvalues: [0.9, 0.6, 0.3]\ntrajectories: 3\nsteps: 10\n");
  kooplab::Rng rng(0);
  const kooplab::Trajectories data = dataset->trajectories(rng);
  // Each trajectory excites every mode: a one-trajectory fit finds all three
  // (with the shared stream it found one).
  kooplab::Trajectories first;
  first.runs = {data.runs[0]};
  const auto model = make<kooplab::Estimator>("name: dmd\n")->fit(first, nullptr, rng);
  CHECK(model.rank() == 3);
  CHECK(eigenvalue_distance(*data.true_eigenvalues, model.eigenvalues) < 1e-10);
}

TEST_CASE("a given matrix: DMD eigenvalues equal A's") {
  const auto dataset = make<kooplab::Dataset>("name: linear_system\nmatrix: [[0.5, 1.0], [0.0, 0.25]]\nsteps: 5\n");
  kooplab::Rng rng(1);
  const auto model = make<kooplab::Estimator>("name: dmd\n")->fit(dataset->trajectories(rng), nullptr, rng);
  CHECK(eigenvalue_distance(arma::cx_vec{{0.5, 0.0}, {0.25, 0.0}}, model.eigenvalues) < 1e-12);
}

TEST_CASE("rank truncation: fixed, energy and optimal hard threshold") {
  // A rotation by ω in a random plane of R^20, observed with white noise:
  // signal rank 2, eigenvalues e^{±iω}.
  kooplab::Rng rng(3);
  const double omega = 0.3;
  const arma::mat plane = rng.normal(20, 2);
  kooplab::Trajectories data;
  arma::mat run(20, 400);
  for (arma::uword t = 0; t < run.n_cols; ++t) run.col(t) = plane * arma::vec{std::cos(omega * t), std::sin(omega * t)};
  data.runs.push_back(run + 1e-3 * rng.normal(20, 400));
  const arma::cx_vec truth{std::polar(1.0, omega), std::polar(1.0, -omega)};

  CHECK(make<kooplab::Estimator>("name: dmd\nrank: 3\n")->fit(data, nullptr, rng).rank() == 3);
  CHECK(make<kooplab::Estimator>("name: dmd\n")->fit(data, nullptr, rng).rank() == 20);
  const auto energy = make<kooplab::Estimator>("name: dmd\nrank: auto\nenergy: 0.999\n")->fit(data, nullptr, rng);
  CHECK(energy.rank() == 2);
  CHECK(eigenvalue_distance(truth, energy.eigenvalues) < 1e-3);
  const auto threshold = make<kooplab::Estimator>("name: dmd\nrank: auto\nrank_rule: hard_threshold\n")->fit(data, nullptr, rng);
  CHECK(threshold.rank() == 2);
  CHECK(eigenvalue_distance(truth, threshold.eigenvalues) < 1e-3);
}

TEST_CASE("rank-deficient, zero, short and NaN data give clear errors") {
  kooplab::Rng rng(0);
  const auto dmd = make<kooplab::Estimator>("name: dmd\nrank: 3\n");
  kooplab::Trajectories rank_one;
  rank_one.runs.push_back(arma::mat{{1, 2, 4, 8}, {2, 4, 8, 16}, {3, 6, 12, 24}});
  CHECK_THROWS_WITH_AS(dmd->fit(rank_one, nullptr, rng),
                       doctest::Contains("estimator 'dmd': rank 3 requested but the data have numerical rank 1"),
                       kooplab::NumericalError);
  kooplab::Trajectories zero;
  zero.runs.push_back(arma::zeros(3, 5));
  CHECK_THROWS_WITH_AS(make<kooplab::Estimator>("name: dmd\n")->fit(zero, nullptr, rng),
                       "estimator 'dmd': the snapshot matrix is zero (rank 0); nothing to fit", kooplab::NumericalError);
  kooplab::Trajectories short_run;
  short_run.runs.push_back(arma::ones(3, 1));
  CHECK_THROWS_WITH_AS(dmd->fit(short_run, nullptr, rng),
                       "estimator 'dmd': trajectory 0 has 1 snapshot(s); at least 2 are needed for a pair", kooplab::DataError);
  kooplab::Trajectories with_nan;
  with_nan.runs.push_back(arma::ones(2, 4));
  with_nan.runs.back()(1, 2) = arma::datum::nan;
  CHECK_THROWS_WITH_AS(dmd->fit(with_nan, nullptr, rng),
                       "estimator 'dmd': trajectory 0 has a non-finite value (nan) at state 1, step 2", kooplab::DataError);
}

TEST_CASE("pairs never straddle two trajectories") {
  kooplab::Trajectories data;
  data.runs = {arma::mat{{1, 2, 3}}, arma::mat{{10, 20}}};
  const auto pairs = data.pairs();
  CHECK(arma::approx_equal(pairs.x, arma::mat{{1, 2, 10}}, "absdiff", 0));
  CHECK(arma::approx_equal(pairs.y, arma::mat{{2, 3, 20}}, "absdiff", 0));
}

TEST_CASE("the csv dataset reads snapshots, splits trajectories and reports bad files") {
  const auto folder = kooplab::testing::temporary_folder("csv");
  {
    std::ofstream out(folder / "good.csv");
    out << "t0,t1,t2,t3,t4\n1,2,3,4,5\n6,7,8,9,10\n";
    std::ofstream bad(folder / "bad.csv");
    bad << "1,2,3\n4,x,6\n";
    std::ofstream ragged(folder / "ragged.csv");
    ragged << "1,2,3\n4,5\n";
  }
  kooplab::Rng rng(0);
  const std::string config = "name: csv\npath: " + (folder / "good.csv").string() + "\nheader: true\ntrajectory_starts: [0, 3]\ndt: 0.5\n";
  const auto data = make<kooplab::Dataset>(config)->trajectories(rng);
  REQUIRE(data.runs.size() == 2);
  CHECK(arma::approx_equal(data.runs[0], arma::mat{{1, 2, 3}, {6, 7, 8}}, "absdiff", 0));
  CHECK(arma::approx_equal(data.runs[1], arma::mat{{4, 5}, {9, 10}}, "absdiff", 0));
  CHECK(*data.dt == 0.5);

  const auto rows = make<kooplab::Dataset>("name: csv\nlayout: rows\npath: " + (folder / "good.csv").string() + "\nheader: true\n")->trajectories(rng);
  CHECK(rows.runs[0].n_rows == 5);
  CHECK(rows.runs[0].n_cols == 2);

  CHECK_THROWS_WITH_AS(make<kooplab::Dataset>("name: csv\npath: " + (folder / "bad.csv").string() + "\n")->trajectories(rng),
                       std::string((folder / "bad.csv").string() + ":2: field 2 is not a number: 'x'").c_str(), kooplab::DataError);
  CHECK_THROWS_WITH_AS(make<kooplab::Dataset>("name: csv\npath: " + (folder / "ragged.csv").string() + "\n")->trajectories(rng),
                       std::string((folder / "ragged.csv").string() + ":2: 2 fields, earlier lines have 3").c_str(), kooplab::DataError);
  CHECK_THROWS_WITH_AS(make<kooplab::Dataset>("name: csv\npath: " + (folder / "missing.csv").string() + "\n")->trajectories(rng),
                       std::string((folder / "missing.csv").string() + ": cannot open CSV file").c_str(), kooplab::DataError);
  std::filesystem::remove_all(folder);
}
