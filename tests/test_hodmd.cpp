// Higher-order DMD (Le Clainche & Vega 2017; estimator `hodmd`): a sum of
// sinusoids gives e^{±iω} to round-off, and the amplitude tolerance ε₂ drops
// a component exactly when its share is below it.
#include <doctest/doctest.h>

#include "kooplab/koopman/hodmd.hpp"
#include "kooplab/koopman/saved_model.hpp"
#include "support.hpp"

using kooplab::HodmdOptions;
using kooplab::KoopmanModel;
using kooplab::Trajectories;
using kooplab::testing::positive_frequencies;

namespace {

// Σ_k c_k cos(ω_k t + k), t = 0..steps.
Trajectories weighted_cosines(const arma::vec& omega, const arma::vec& size, arma::uword steps) {
  const arma::rowvec t = arma::regspace<arma::rowvec>(0, double(steps));
  arma::rowvec values(steps + 1, arma::fill::zeros);
  for (arma::uword k = 0; k < omega.n_elem; ++k) values += size(k) * arma::cos(omega(k) * t + double(k));
  Trajectories data;
  data.runs.push_back(values);
  data.dt = 0.1;
  return data;
}

}  // namespace

TEST_CASE("hodmd on a sum of sinusoids: e^{±iω}, and the amplitudes of the components") {
  const arma::vec omega = {0.2, 0.5, 1.3}, size = {1.0, 0.5, 2.0};
  HodmdOptions options;
  options.delays = 10;
  const KoopmanModel model = kooplab::hodmd(weighted_cosines(omega, size, 150), options, "hodmd");
  REQUIRE(model.rank() == 6);
  CHECK(arma::norm(positive_frequencies(model.eigenvalues) - omega, "inf") < 1e-10);
  CHECK(arma::norm(arma::abs(model.eigenvalues) - 1.0, "inf") < 1e-10);
  CHECK(model.residuals.max() < 1e-10);
  // The signal is Re Σ mode_i a_i λ_i^t: each conjugate pair carries c_k/2 each.
  const arma::vec weight =
      arma::abs(model.amplitudes) % arma::sqrt(arma::sum(arma::square(arma::abs(model.modes)), 0)).t();
  const arma::uvec slow = arma::find(arma::abs(arma::arg(model.eigenvalues) - 0.2) < 1e-6);
  REQUIRE(slow.n_elem == 1);
  CHECK(std::abs(weight(slow(0)) - 0.5) < 1e-9);
}

TEST_CASE("hodmd's amplitude tolerance drops a component below it and keeps one above") {
  // A component of size 1e-3 beside one of size 1: relative share 1e-3.
  const Trajectories data = weighted_cosines({0.3, 0.9}, {1.0, 1e-3}, 120);
  HodmdOptions options;
  options.delays = 8;
  options.amplitude_tolerance = 1e-2;
  const KoopmanModel dropped = kooplab::hodmd(data, options, "hodmd");
  REQUIRE(dropped.rank() == 2);
  CHECK(dropped.diagnostics.at("rank") == 2);
  CHECK(arma::norm(positive_frequencies(dropped.eigenvalues) - arma::vec{0.3}, "inf") < 1e-10);
  CHECK(dropped.koopman_matrix.n_rows == 4);  // the operator they were found from
  options.amplitude_tolerance = 1e-4;
  const KoopmanModel kept = kooplab::hodmd(data, options, "hodmd");
  CHECK(kept.rank() == 4);
  CHECK(arma::norm(positive_frequencies(kept.eigenvalues) - arma::vec{0.3, 0.9}, "inf") < 1e-8);

  // The dropped model predicts the big component alone, and survives a save and a load.
  const auto folder = kooplab::testing::temporary_folder("hodmd-model");
  kooplab::save_model(dropped, folder, YAML::Load("name: hodmd"));
  const KoopmanModel loaded = kooplab::load_model(folder).model;
  const arma::vec window = data.runs.front().cols(0, 7).t();
  CHECK(arma::approx_equal(loaded.predict(window, 5), dropped.predict(window, 5), "absdiff", 0.0));
}

TEST_CASE("the hodmd plugin reads its keys") {
  const KoopmanModel model =
      kooplab::testing::fit("name: hodmd\ndelays: 6\namplitude_tolerance: 0.01", weighted_cosines({0.4}, {1.0}, 40));
  CHECK(model.rank() == 2);
  CHECK(std::abs(positive_frequencies(model.eigenvalues)(0) - 0.4) < 1e-10);
  CHECK_THROWS_AS(kooplab::testing::make<kooplab::Estimator>("name: hodmd\namplitude_tolerance: 2"),
                  kooplab::ConfigError);
}
