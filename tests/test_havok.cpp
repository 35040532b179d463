// HAVOK (Brunton et al. 2017; estimator `havok`): on a sum of sinusoids the
// delay coordinates evolve linearly, so the linear part has the known
// frequencies and the forcing explains nothing.
#include <doctest/doctest.h>

#include "kooplab/koopman/havok.hpp"
#include "support.hpp"

using kooplab::HavokOptions;
using kooplab::KoopmanModel;
using kooplab::Trajectories;
using kooplab::testing::positive_frequencies;
using kooplab::testing::sinusoids;

namespace {

Trajectories noisy_sinusoids(const arma::vec& omega, arma::uword steps, double noise = 0.0) {
  Trajectories data;
  data.runs.push_back(sinusoids(omega, steps, noise, 3));
  data.dt = 0.05;
  return data;
}

}  // namespace

TEST_CASE("havok on a sum of sinusoids: the eigenvalues e^{±iω} on the unit circle, no forcing") {
  const arma::vec omega = {0.3, 0.7, 1.9};
  HavokOptions options;
  options.delays = 12;
  const KoopmanModel model = kooplab::havok(noisy_sinusoids(omega, 200), options, "havok");
  // Three sinusoids span six delay coordinates: the Hankel matrix has rank 6,
  // and the seventh, the forcing, is round-off.
  REQUIRE(model.rank() == 6);
  CHECK(arma::norm(positive_frequencies(model.eigenvalues) - omega, "inf") < 1e-9);
  CHECK(arma::norm(arma::abs(model.eigenvalues) - 1.0, "inf") < 1e-9);
  CHECK(model.diagnostics.at("forcing_share") < 1e-9);
  CHECK(model.residuals.max() < 1e-9);
  CHECK(model.diagnostics.at("delays") == 12);
  CHECK(model.dt == 0.05);
  // Continuous time: ±iω / Δt.
  const arma::vec rates = arma::imag(model.continuous_eigenvalues());
  CHECK(arma::norm(arma::sort(arma::vec(rates.elem(arma::find(rates > 0)))) - omega / 0.05, "inf") < 1e-7);
}

TEST_CASE("havok truncated below the signal's rank: the next coordinate forces the linear part") {
  // Rank 4 of a three-sinusoid signal keeps the two slowest pairs only if the
  // third is forcing; the linear part then no longer explains the data alone.
  const arma::vec omega = {0.3, 0.7, 1.9};
  HavokOptions options;
  options.delays = 12;
  options.rank.kind = kooplab::RankRule::Kind::fixed;
  options.rank.fixed_rank = 4;
  const KoopmanModel model = kooplab::havok(noisy_sinusoids(omega, 200), options, "havok");
  REQUIRE(model.rank() == 4);
  CHECK(model.diagnostics.at("forcing_share") > 1e-3);
  CHECK(model.residuals.max() > 1e-3);
}

TEST_CASE("the havok plugin reads its keys and fits the same model") {
  const arma::vec omega = {0.25, 0.9};
  const KoopmanModel model = kooplab::testing::fit("name: havok\ndelays: 8", noisy_sinusoids(omega, 120));
  CHECK(model.rank() == 4);
  CHECK(arma::norm(positive_frequencies(model.eigenvalues) - omega, "inf") < 1e-9);
}
