// DMD_RRR (Drmač, Mezić, Mohr 2018; estimator `dmd_rrr`): closed-form spectra,
// residuals that tell genuine eigenpairs from spurious ones, and its options.
#include <doctest/doctest.h>

#include <cmath>
#include <complex>

#include "kooplab/estimator.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "support.hpp"

using kooplab::KoopmanModel;
using kooplab::spectrum_distance;
using kooplab::Trajectories;
using kooplab::testing::fit;

TEST_CASE("dmd_rrr with complex, repeated and zero eigenvalues: every variant to 1e-10, predictions A^k x_0") {
  const kooplab::testing::LinearSystem system;
  const Trajectories data = system.data(3, 10);
  const arma::vec x0 = {0.3, -1.0, 0.2, 0.5, 1.5, -0.7};
  const arma::mat truth = system.orbit(x0, 5);
  for (const std::string options : {"", "\nrefine: false", "\nscale_columns: false\nrefined_rayleigh: true"}) {
    CAPTURE(options);
    const KoopmanModel model = fit("name: dmd_rrr" + options, data);
    CHECK(spectrum_distance(system.eigenvalues, model.eigenvalues) < 1e-10);
    CHECK(arma::norm(model.predict(x0, 5) - truth, "inf") < 1e-9);
    CHECK(arma::norm(model.reconstruct(10) - data.runs.front(), "inf") < 1e-8);
    CHECK(model.residuals.max() < 1e-10);
  }
}

TEST_CASE("dmd_rrr residuals: round-off for exact pairs, large for spurious ones on noisy data") {
  // A rotation 0.95·e^{±0.3i} seen through a random 40 × 2 map; 24 pairs, so
  // with noise the full rank k = 24 < n leaves room for residuals.
  kooplab::Rng rng(7);
  const arma::mat embed = rng.normal(40, 2);
  const double angle = 0.3, radius = 0.95;
  const arma::mat rotation =
      radius * arma::mat{{std::cos(angle), -std::sin(angle)}, {std::sin(angle), std::cos(angle)}};
  arma::mat latent(2, 25);
  latent.col(0) = rng.normal(2, 1);
  for (arma::uword t = 0; t + 1 < latent.n_cols; ++t) latent.col(t + 1) = rotation * latent.col(t);
  Trajectories clean;
  clean.runs.push_back(embed * latent);
  const arma::cx_vec truth = {std::polar(radius, angle), std::polar(radius, -angle)};

  const KoopmanModel exact = fit("name: dmd_rrr", clean);
  REQUIRE(exact.rank() == 2);
  CHECK(spectrum_distance(truth, exact.eigenvalues) < 1e-12);
  CHECK(exact.residuals.max() < 1e-13);

  Trajectories noisy = clean;
  noisy.runs[0] += 1e-3 * rng.normal(40, 25);
  const KoopmanModel model = fit("name: dmd_rrr", noisy);
  REQUIRE(model.rank() == 24);
  for (arma::uword i = 0; i < model.rank(); ++i) {
    const bool genuine = arma::abs(truth - model.eigenvalues(i)).min() < 1e-2;
    CAPTURE(model.eigenvalues(i));
    CAPTURE(model.residuals(i));
    // Seen: 3.4e-5 for the genuine pair, 0.066 to 0.21 for the spurious ones.
    if (genuine)
      CHECK(model.residuals(i) < 1e-3);
    else
      CHECK(model.residuals(i) > 0.05);
  }
  CHECK(arma::accu(model.residuals < 1e-3) == 2);
}

TEST_CASE("dmd_rrr Ritz values equal exact DMD's at full rank; amplitude options") {
  // Random data, so no eigenpair is exact. Column scaling weights the least
  // squares when pairs outnumber states (8 × 30), so it stays off there.
  kooplab::Rng rng(9);
  for (const auto& [rows, options] :
       std::vector<std::pair<arma::uword, std::string>>{{8, "\nscale_columns: false"},
                                                        {8, "\nscale_columns: false\nrefine: false"},
                                                        {50, ""},
                                                        {50, "\nrefine: false"}}) {
    CAPTURE(options);
    Trajectories data;
    data.runs.push_back(rng.normal(rows, 31));
    const KoopmanModel exact = fit("name: dmd", data), rrr = fit("name: dmd_rrr" + options, data);
    REQUIRE(rrr.rank() == std::min<arma::uword>(rows, 30));
    CHECK(spectrum_distance(exact.eigenvalues, rrr.eigenvalues) < 1e-10);
  }
  Trajectories data;
  data.runs.push_back(rng.normal(50, 31));
  // Refined vectors never have larger residuals than Ritz vectors.
  const KoopmanModel ritz = fit("name: dmd_rrr\nrefine: false", data), refined = fit("name: dmd_rrr", data);
  CHECK(arma::all(arma::sort(refined.residuals) <= arma::sort(ritz.residuals) + 1e-12));

  // Noise-free: trajectory amplitudes reproduce the whole first trajectory;
  // order: amplitude ranks modes by their share of x_0.
  const Trajectories clean = kooplab::testing::LinearSystem().data(2, 12);
  const KoopmanModel whole = fit("name: dmd_rrr\namplitudes: trajectory", clean);
  CHECK(arma::norm(whole.reconstruct(12) - clean.runs.front(), "inf") < 1e-9);
  const KoopmanModel sorted = fit("name: dmd_rrr\norder: amplitude", clean);
  const arma::vec weight =
      arma::abs(sorted.amplitudes) % arma::sqrt(arma::sum(arma::square(arma::abs(sorted.modes)), 0)).t();
  CHECK(arma::all(arma::diff(weight) <= 1e-14));
  CHECK(arma::norm(sorted.reconstruct(12) - clean.runs.front(), "inf") < 1e-9);
  const kooplab::SnapshotPairs pairs = clean.pairs();
  CHECK(arma::norm(sorted.advance(pairs.x) - pairs.y, "inf") < 1e-9);
}
