// The hierarchical SVR and its depth from a spectrum (koopman-mode-analysis.md,
// Sec. 5): frequencies of known signals, the scale rule, libsvm's ε-SVR, and the
// `hsvr_depth` application on the paper's worked example.
#include <doctest/doctest.h>

#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/regression/hsvr.hpp"
#include "support.hpp"

using kooplab::testing::contains;
using kooplab::testing::error_of;

namespace {

const double pi = arma::datum::pi;

// sin(2π·3x) + 0.3 cos(2π·7x) on [0, 2) in 400 samples: both on the grid of bins (spacing 0.5).
arma::vec two_tones(arma::uword n = 400) {
  const arma::vec x = arma::regspace(0, double(n) - 1) * (2.0 / double(n));
  return arma::sin(2 * pi * 3 * x) + 0.3 * arma::cos(2 * pi * 7 * x);
}

}  // namespace

TEST_CASE("Fourier and Koopman frequencies of two tones") {
  const arma::vec signal = two_tones();
  CHECK(arma::approx_equal(kooplab::fourier_frequencies(signal, 0.005, 0.1), arma::vec{3.0, 7.0}, "absdiff", 1e-12));
  CHECK(arma::approx_equal(kooplab::fourier_frequencies(signal, 0.005, 0.5), arma::vec{3.0}, "absdiff", 1e-12));

  kooplab::Trajectories data;
  data.dt = 0.005;
  data.runs.push_back(signal.t());
  kooplab::Rng rng(1);
  const kooplab::KoopmanModel model = kooplab::testing::make<kooplab::Estimator>("name: delay_dmd\ndelays: 10")->fit(data, nullptr, rng);
  const arma::vec found = kooplab::koopman_frequencies(model, 0.005, 0.1);
  REQUIRE(found.n_elem == 2);
  CHECK(std::abs(found(0) - 3.0) < 1e-8);
  CHECK(std::abs(found(1) - 7.0) < 1e-8);
  CHECK(contains(error_of<kooplab::DataError>([] { kooplab::fourier_frequencies(arma::vec(8, arma::fill::ones), 0.1, 0.1); }),
                 "constant"));
}

TEST_CASE("HSVR scales: γ = 36 f², depth from the decay on the frequency or on γ") {
  using kooplab::DecayOn;
  const kooplab::HsvrScales by_frequency = kooplab::hsvr_scales({1.0, 10.0}, 2.0, DecayOn::frequency);
  CHECK(by_frequency.gamma0 == doctest::Approx(36.0));
  CHECK(by_frequency.gamma_max == doctest::Approx(3600.0));
  CHECK(by_frequency.layers == 5);  // 2⁴ ≥ 10 > 2³
  const std::vector<double> gammas = by_frequency.gammas();
  REQUIRE(gammas.size() == 5);
  CHECK(gammas[4] == doctest::Approx(36.0 * 256));
  CHECK(kooplab::hsvr_scales({1.0, 10.0}, 2.0, DecayOn::gamma).layers == 8);  // 2⁷ ≥ 100 > 2⁶
  CHECK(kooplab::hsvr_scales({1.0, 4.0}, 2.0, DecayOn::frequency).layers == 3);  // exactly 2²: no extra layer
  CHECK(kooplab::hsvr_scales({3.0}, 2.0, DecayOn::gamma).layers == 1);
  CHECK(contains(error_of<kooplab::DataError>([] { kooplab::hsvr_scales(arma::vec(), 2.0, DecayOn::gamma); }), "no frequency"));
}

TEST_CASE("ε-SVR fits inside its tube; a second, finer layer catches what the first cannot") {
  // Two scales on [0, 2]: f = 1 and f = 10.
  const arma::rowvec x = arma::regspace<arma::rowvec>(0, 0.004, 2.0);
  const arma::vec y = (arma::cos(2 * pi * x) + arma::sin(20 * pi * x)).t();
  const double epsilon = 0.02;
  const kooplab::GaussianSvr coarse(x, y, {36.0, epsilon, 100.0});
  const double coarse_error = arma::abs(coarse.predict(x) - y).max();
  CHECK(coarse_error > 10 * epsilon);  // σ = 1/6 cannot follow a period of 0.1
  const kooplab::HierarchicalSvr two(x, y, {36.0, 3600.0}, epsilon, 100.0);
  CHECK(two.layers() == 2);
  CHECK(arma::abs(two.predict(x) - y).max() < 1.1 * epsilon);
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::GaussianSvr(x, arma::vec(3), {}); }), "samples but 3 targets"));
  CHECK(contains(error_of<kooplab::ConfigError>([&] { kooplab::GaussianSvr(x, y, {-1.0, 0.1, 1.0}); }), "γ > 0"));
}

TEST_CASE("hsvr_depth on the paper's example x + sin(2πx⁴) on [0, 2]: 7 layers (ρ = 2)") {
  const kooplab::Config config = kooplab::Config::parse(
      "dataset: {name: multiscale_signal, function: x + sin(2*pi*x^4), points: 1000}\n"
      "application: {name: hsvr_depth}\n",
      "test.yaml");
  const kooplab::RunContext context = kooplab::testing::run_application(config, 0);
  using kooplab::testing::metric;
  CHECK(metric(context, "fft_layers") == 7);
  // ε = 0.01 (max y − min y) of the train targets; the paper's Table 1 has 0.03.
  CHECK(metric(context, "epsilon") == doctest::Approx(0.0305).epsilon(0.01));
  CHECK(metric(context, "fft_train_max_error") < 1.1 * metric(context, "epsilon"));
}
