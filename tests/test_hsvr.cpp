// The hierarchical SVR and its depth from a spectrum (koopman-mode-analysis.md,
// Sec. 5): frequencies of known signals, the scale rule, libsvm's ε-SVR, and the
// `hsvr_depth` application on the paper's worked example.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/regression/hsvr.hpp"
#include "support.hpp"

using kooplab::testing::contains;
using kooplab::testing::error_of;

namespace {

using std::numbers::pi;

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
  const kooplab::KoopmanModel model =
      kooplab::testing::make<kooplab::Estimator>("name: delay_dmd\ndelays: 10")->fit(data, nullptr, rng);
  const arma::vec found = kooplab::koopman_frequencies(model, 0.005, 0.1);
  REQUIRE(found.n_elem == 2);
  CHECK(std::abs(found(0) - 3.0) < 1e-8);
  CHECK(std::abs(found(1) - 7.0) < 1e-8);
  CHECK(contains(
      error_of<kooplab::DataError>([] { kooplab::fourier_frequencies(arma::vec(8, arma::fill::ones), 0.1, 0.1); }),
      "constant"));
}

TEST_CASE("HSVR scales: γ = 36 f², depth from the decay on the frequency or on γ") {
  using kooplab::DecayOn;
  const kooplab::HsvrScales by_frequency = kooplab::hsvr_scales({1.0, 10.0}, 2.0, DecayOn::frequency);
  CHECK(by_frequency.gamma0() == doctest::Approx(36.0));
  CHECK(by_frequency.gamma_max() == doctest::Approx(36.0 * 256));
  CHECK(by_frequency.layers() == 5);  // 2⁴ ≥ 10 > 2³
  const std::vector<double>& gammas = by_frequency.gammas;
  REQUIRE(gammas.size() == 5);
  CHECK(gammas[4] == doctest::Approx(36.0 * 256));
  CHECK(kooplab::hsvr_scales({1.0, 10.0}, 2.0, DecayOn::gamma).layers() == 8);     // 2⁷ ≥ 100 > 2⁶
  CHECK(kooplab::hsvr_scales({1.0, 4.0}, 2.0, DecayOn::frequency).layers() == 3);  // exactly 2²: no extra layer
  CHECK(kooplab::hsvr_scales({3.0}, 2.0, DecayOn::gamma).layers() == 1);
  CHECK(contains(error_of<kooplab::DataError>([] { kooplab::hsvr_scales(arma::vec(), 2.0, DecayOn::gamma); }),
                 "no frequency"));
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
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::GaussianSvr(x, arma::vec(3), {}); }),
                 "samples but 3 targets"));
  CHECK(contains(error_of<kooplab::ConfigError>([&] { kooplab::GaussianSvr(x, y, {-1.0, 0.1, 1.0}); }), "γ > 0"));
}

TEST_CASE("hsvr_depth on the paper's example x + sin(2πx⁴) on [0, 2]: 7 layers (ρ = 2)") {
  const kooplab::Config config = kooplab::Config::parse(
      "dataset: {name: multiscale_signal, function: x + sin(2*pi*x^4), points: 1000}\n"
      "application: {name: hsvr_depth, rule: span}\n",
      "test.yaml");
  const kooplab::RunContext context = kooplab::testing::run_application(config, 0);
  using kooplab::testing::metric;
  CHECK(metric(context, "fft_layers") == 7);
  // ε = 0.01 (max y − min y) of the train targets; the paper's Table 1 has 0.03.
  CHECK(metric(context, "epsilon") == doctest::Approx(0.0305).epsilon(0.01));
  CHECK(metric(context, "fft_train_max_error") < 1.1 * metric(context, "epsilon"));
}

TEST_CASE("keep by ratio: σ = 1/(6f) largest first, kept when the last kept σ is ≥ ρ σ") {
  // f = 1 kept; 1.5 (ratio 1.5) dropped; 2 (ratio 2, exactly ρ) kept; 3 dropped; 4.5 (2.25) kept; 10 (2.2) kept.
  const kooplab::HsvrScales scales = kooplab::hsvr_kept_scales({10.0, 1.5, 1.0, 3.0, 2.0, 4.5}, 2.0);
  REQUIRE(scales.layers() == 4);
  CHECK(scales.gammas[0] == doctest::Approx(36.0));
  CHECK(scales.gammas[1] == doctest::Approx(36.0 * 4));
  CHECK(scales.gammas[2] == doctest::Approx(36.0 * 4.5 * 4.5));
  CHECK(scales.gammas[3] == doctest::Approx(3600.0));
  CHECK(kooplab::hsvr_kept_scales({7.0}, 2.0).layers() == 1);
  CHECK(contains(error_of<kooplab::DataError>([] { kooplab::hsvr_kept_scales(arma::vec(), 2.0); }), "no frequency"));
}

TEST_CASE("Fourier support: bins above 1 % of the largest |C|, the mean's bin in the maximum") {
  const arma::vec signal = two_tones();  // tones at bins 6 and 14 of 400 (f = 3, 7), amplitudes 200 and 60
  CHECK(arma::approx_equal(kooplab::fourier_support(signal, 0.005, 0.01), arma::vec{3.0, 7.0}, "absdiff", 1e-12));
  // A mean of 10 puts 4000 in bin 0: the tone at 60 falls under 1 % of it, the one at 200 stays.
  CHECK(arma::approx_equal(kooplab::fourier_support(signal + 10.0, 0.005, 0.02), arma::vec{3.0}, "absdiff", 1e-12));
}

// Table S1 (koopman-mode-analysis.md, supplement) by hand, on the 1000-point
// grid of [0, 2] (DFT period 1000 Δx = 2.002, so a tone of frequency f sits at
// bin 2.002 f and leaks about sin(π δ)/(π d) of its peak into a bin d away, δ
// its distance from the nearest bin):
//  - cos(2πx) + sin(20πx): bins 2 and 20 (δ = 0.002, 0.02; leakage < 1 % one
//    bin away), σ = 1/6 and 1/60, ratio 10 ≥ 2: 2 layers (the paper: 2);
//  - cos(20πx) sin(15πx) = (sin 35πx − sin 5πx)/2: f = 2.5 at bin 5 and f = 17.5
//    at bin 35.035, whose leakage (0.11/(π d)) passes 1 % in bins 32..38; the
//    slowest, bin 5, is kept, then bin 32 (ratio 6.4), and 33..38 are within 2×
//    of it: 2 layers (the paper: 2);
//  - 100 cos(20πx): f = 10 at bin 20.02 (δ = 0.02), leaking above 1 % only into
//    bins 18..22 (0.063/(π d) > 0.01 for d < 2), all within 2× of bin 18:
//    1 layer (the paper: 1).
TEST_CASE("hsvr_depth keep_by_ratio: three rows of Table S1 derived by hand") {
  using kooplab::testing::metric;
  const auto fft_layers = [](const std::string& function) {
    const kooplab::Config config = kooplab::Config::parse("dataset: {name: multiscale_signal, function: " + function +
                                                              ", points: 1000}\n"
                                                              "application: {name: hsvr_depth}\n",
                                                          "test.yaml");
    return metric(kooplab::testing::run_application(config, 0), "fft_layers");
  };
  CHECK(fft_layers("cos(2*pi*x) + sin(20*pi*x)") == 2);
  CHECK(fft_layers("cos(20*pi*x)*sin(15*pi*x)") == 2);
  CHECK(fft_layers("100*cos(20*pi*x)") == 1);
}
