// EDMD on delay windows with a rank-r SVD projection (pykoopman's
// EDMD(svd_rank) on TimeDelay observables, layers-as-linear-operations.md).
#include <doctest/doctest.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/koopman/truncated_delay_edmd.hpp"
#include "kooplab/rng.hpp"
#include "support.hpp"

namespace {

using kooplab::TruncatedDelayEdmd, kooplab::WindowPairing;

// Trajectories of x_{t+1} = A x_t, `states` states each, from random x_0.
std::vector<arma::mat> linear_runs(const arma::mat& a, arma::uword runs, arma::uword states, std::uint64_t seed) {
  kooplab::Rng rng(seed);
  std::vector<arma::mat> out;
  for (arma::uword k = 0; k < runs; ++k) {
    arma::mat run(a.n_rows, states);
    run.col(0) = rng.normal(a.n_rows, 1);
    for (arma::uword t = 1; t < states; ++t) run.col(t) = a * run.col(t - 1);
    out.push_back(run);
  }
  return out;
}

const arma::mat rotation_and_decay{{0.9, -0.3, 0.0}, {0.3, 0.9, 0.0}, {0.0, 0.0, 0.5}};

}  // namespace

TEST_CASE("a linear chain of 12 states is simulated exactly from its first h + 1 states, for every h") {
  // The authors' splice: windows of h + 1 states, 11 − h steps, the newest
  // state is x_11 = A^11 x_0. Linear data: the windows' successors lie in
  // their span, so the projection U_r U_rᵀ loses nothing.
  const auto fit = linear_runs(rotation_and_decay, 20, 12, 1);
  const auto test = linear_runs(rotation_and_decay, 5, 12, 2);
  for (arma::uword h = 1; h <= 10; ++h) {
    CAPTURE(h);
    const TruncatedDelayEdmd model(fit, h, 500, WindowPairing::per_trajectory, "test");
    CHECK(model.rank() == 3);  // the windows M x_0 span a 3-dimensional space
    CHECK(model.pairs() == 20 * (12 - h - 1));
    for (const arma::mat& run : test) {
      const arma::mat window = arma::vectorise(run.head_cols(h + 1));
      CHECK(arma::norm(model.advance(window, 11 - h) - run.col(11)) < 1e-12 * arma::norm(run.col(11)) + 1e-14);
    }
    // Its eigenvalues are A's (0.9 ± 0.3i, 0.5).
    const arma::vec moduli = arma::sort(arma::abs(model.eigenvalues()));
    CHECK(moduli(0) == doctest::Approx(0.5).epsilon(1e-10));
    CHECK(moduli(2) == doctest::Approx(std::abs(std::complex<double>(0.9, 0.3))).epsilon(1e-10));
  }
}

TEST_CASE("pairing: concatenated windows straddle trajectories, per-trajectory ones do not") {
  const auto runs = linear_runs(rotation_and_decay, 5, 12, 3);
  // One series of 60 states: 50 windows of 11, 49 pairs; per trajectory 1 pair each.
  CHECK(TruncatedDelayEdmd(runs, 10, 500, WindowPairing::concatenated, "t").pairs() == 49);
  CHECK(TruncatedDelayEdmd(runs, 10, 500, WindowPairing::per_trajectory, "t").pairs() == 5);
  // A single trajectory is the same series either way.
  const std::vector<arma::mat> one{runs.front()};
  const TruncatedDelayEdmd joined(one, 2, 500, WindowPairing::concatenated, "t");
  const TruncatedDelayEdmd apart(one, 2, 500, WindowPairing::per_trajectory, "t");
  const arma::mat window = arma::vectorise(runs[1].head_cols(3));
  CHECK(arma::approx_equal(joined.advance(window, 4), apart.advance(window, 4), "absdiff", 1e-12));
}

TEST_CASE("the rank truncation keeps r singular values: A = U_rᵀ Y V_r Σ_r⁻¹ by hand") {
  // States (1, 0), (0, 2), (3, 0), (0, 4) with h = 0 (windows are states):
  // X = [[1, 0, 3], [0, 2, 0]], σ = (√10, 2); rank 1 keeps u = (1, 0), v = (1, 0, 3)/√10.
  const std::vector<arma::mat> run{arma::mat{{1.0, 0.0, 3.0, 0.0}, {0.0, 2.0, 0.0, 4.0}}};
  const TruncatedDelayEdmd model(run, 0, 1, WindowPairing::per_trajectory, "t");
  CHECK(model.rank() == 1);
  CHECK(model.singular_values()(0) == doctest::Approx(std::sqrt(10.0)));
  // Y = [[0, 3, 0], [2, 0, 4]]: uᵀ Y v / σ = (0·1 + 3·0 + 0·3)/10 = 0, so everything maps to 0.
  CHECK(arma::norm(model.advance(arma::vec{1.0, 1.0}, 1)) == doctest::Approx(0.0));
  // Rank 2: the whole least-squares map Y X⁺ = [[0, 1.5], [1.4, 0]], exact on (0, 2) ↦ (3, 0).
  const TruncatedDelayEdmd full(run, 0, 2, WindowPairing::per_trajectory, "t");
  CHECK(arma::approx_equal(full.advance(arma::vec{0.0, 2.0}, 1), arma::vec{3.0, 0.0}, "absdiff", 1e-12));
}

TEST_CASE("truncated delay EDMD: bad input is named") {
  using kooplab::testing::contains, kooplab::testing::error_of;
  const auto runs = linear_runs(rotation_and_decay, 2, 5, 4);
  CHECK(contains(error_of<kooplab::ConfigError>(
                     [&] { TruncatedDelayEdmd(runs, 2, 0, WindowPairing::per_trajectory, "app.rank"); }),
                 "app.rank: rank must be at least 1"));
  CHECK(contains(
      error_of<kooplab::DataError>([&] { TruncatedDelayEdmd(runs, 4, 5, WindowPairing::per_trajectory, "app"); }),
      "app: no trajectory has the 6 states"));
  CHECK(
      contains(error_of<kooplab::DataError>([&] { TruncatedDelayEdmd({}, 1, 5, WindowPairing::concatenated, "app"); }),
               "app: no trajectories"));
  const TruncatedDelayEdmd model(runs, 1, 5, WindowPairing::per_trajectory, "app");
  CHECK_THROWS_AS(model.advance(arma::vec(3), 1), kooplab::DataError);
}
