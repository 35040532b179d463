// Randomized DMD (Erichson et al. 2019; estimator `randomized_dmd`): exact on
// tall low-rank data, equal to exact DMD there, and power iterations on data
// whose spectrum does not drop to zero.
#include <doctest/doctest.h>

#include <complex>

#include "kooplab/estimator.hpp"
#include "kooplab/koopman/randomized_dmd.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "support.hpp"

using kooplab::KoopmanModel;
using kooplab::spectrum_distance;
using kooplab::Trajectories;
using kooplab::testing::fit;
using kooplab::testing::LinearSystem;

namespace {

// The trajectories of `system` seen through n sensors: x ↦ P x with P (n × d)
// orthonormal columns, so the data have rank d in dimension n.
Trajectories tall(const Trajectories& data, arma::uword n) {
  kooplab::Rng rng(7);
  arma::mat p, r;
  arma::qr_econ(p, r, rng.normal(n, data.state_dim()));
  Trajectories out = data;
  for (arma::mat& run : out.runs) run = p * run;
  return out;
}

}  // namespace

TEST_CASE("randomized_dmd is exact on tall low-rank data: the eigenvalues, zero residuals, exact DMD's model") {
  const LinearSystem system;  // 0.9 (twice), 0.8 ± 0.3i, 0, 0.5
  const Trajectories data = tall(system.data(4, 12), 300);
  for (const char* passes : {"0", "2"}) {
    CAPTURE(passes);
    const KoopmanModel model =
        fit(std::string("name: randomized_dmd\ntarget_rank: 6\noversampling: 4\npower_iterations: ") + passes, data);
    REQUIRE(model.rank() == 6);
    CHECK(model.diagnostics.at("sketch") == 10);
    CHECK(spectrum_distance(system.eigenvalues, model.eigenvalues) < 1e-10);
    CHECK(model.residuals.max() < 1e-10);
    const KoopmanModel exact = fit("name: dmd", data);
    CHECK(arma::norm(model.advance(data.runs[1]) - exact.advance(data.runs[1]), "inf") < 1e-10);
    CHECK(arma::norm(model.reconstruct(12) - data.runs.front(), "inf") < 1e-9);
  }
  // A target below the data's rank keeps that many, as exact DMD's rank does.
  CHECK(fit("name: randomized_dmd\ntarget_rank: 3", data).rank() == 3);
}

TEST_CASE("randomized_dmd draws its sketch from the run's stream: the same seed gives the same numbers") {
  const LinearSystem system({0.9, {0.8, 0.3}, -0.6}, true);
  const Trajectories data = tall(system.data(4, 12, 0.01), 100);
  const auto once = [&](std::uint64_t seed) {
    kooplab::RandomizedDmdOptions options;
    options.target_rank = 4;
    options.power_iterations = 0;
    kooplab::Rng rng(seed);
    const kooplab::SnapshotPairs pairs = data.pairs();
    return kooplab::randomized_dmd(pairs.x, pairs.y, data.runs.front().col(0), options, rng, "test").eigenvalues;
  };
  CHECK(arma::approx_equal(once(5), once(5), "absdiff", 0.0));
  CHECK(!arma::approx_equal(once(5), once(6), "absdiff", 0.0));
}

TEST_CASE("power iterations bring randomized_dmd to exact DMD at the same rank when the spectrum has a noise floor") {
  // Rank-4 dynamics in 200 sensors with noise σ = 0.05: X has a tail of 196
  // singular values that a sketch of 4 + 2 columns sees at once; each power
  // iteration multiplies the tail's weight by (σ_tail/σ_4)². Exact DMD at rank
  // 4 is the reference; the error is the largest eigenvalue distance.
  const LinearSystem system({{0.95, 0.2}, {0.7, 0.6}}, true);
  Trajectories data = tall(system.data(6, 40), 200);
  kooplab::Rng noise(9);
  for (arma::mat& run : data.runs) run += 0.05 * noise.normal(run.n_rows, run.n_cols);
  const KoopmanModel exact = fit("name: dmd\nrank: 4", data);
  arma::vec error(3);
  for (arma::uword passes = 0; passes < 3; ++passes) {
    const KoopmanModel model =
        fit("name: randomized_dmd\ntarget_rank: 4\noversampling: 2\npower_iterations: " + std::to_string(passes), data);
    error(passes) = spectrum_distance(exact.eigenvalues, model.eigenvalues);
  }
  INFO("error with 0, 1, 2 power iterations: " << error.t());
  // Seen: 0.55, 0.043, 0.0051: each pass about ten times closer.
  CHECK(error(1) < error(0) / 5);
  CHECK(error(2) < error(1) / 5);
}
