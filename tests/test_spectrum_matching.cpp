// The spectrum-matching rule: greedy nearest, each estimate used once.
#include <doctest/doctest.h>

#include <cmath>
#include <complex>

#include "kooplab/error.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"

using kooplab::match_spectrum;
using kooplab::spectrum_distance;

TEST_CASE("spectrum matching: each estimate stands for one true eigenvalue") {
  // A double eigenvalue found once is an error of 0.4, not 0.
  CHECK(spectrum_distance({0.9, 0.9}, {0.5, 0.9}) == doctest::Approx(0.4).epsilon(1e-15));
  const kooplab::SpectrumMatch match = match_spectrum({0.9, 0.9}, {0.5, 0.9});
  CHECK(match.partner(0) == 1);  // the lower index takes the closer estimate
  CHECK(match.partner(1) == 0);
  // Estimates far from every true value are left over.
  using cx = std::complex<double>;
  CHECK(spectrum_distance(arma::cx_vec{cx(0.0, 1.0)}, arma::cx_vec{cx(5.0, 0.0), cx(0.0, 1.001), cx(-3.0, 0.0)}) ==
        doctest::Approx(0.001).epsilon(1e-9));
}

TEST_CASE("spectrum matching is greedy: the closest pair of all first") {
  // 1 ↔ 0.6 (distance 0.4) goes first, so 0 is left with 2: distance 2 (the
  // nearest estimate of each would give 0.6, the min-max assignment 1).
  const kooplab::SpectrumMatch match = match_spectrum({0.0, 1.0}, {0.6, 2.0});
  CHECK(match.partner(0) == 1);
  CHECK(match.partner(1) == 0);
  CHECK(match.worst() == doctest::Approx(2.0));
  // Where every true value's nearest estimate is a different one, the rule is "nearest".
  const arma::cx_vec truth = {{0.95, 0.0}, {0.8, 0.5}, {0.8, -0.5}, {0.3, 0.6}};
  const arma::cx_vec estimate = {{0.31, -0.61}, {0.949, 0.0}, {0.8, -0.49}, {0.3, 0.6}, {0.81, 0.5}};
  const kooplab::SpectrumMatch near = match_spectrum(truth, estimate);
  CHECK(arma::all(near.partner == arma::uvec{1, 4, 2, 3}));
  double nearest = 0.0;
  for (const auto& lambda : truth) nearest = std::max(nearest, arma::abs(estimate - lambda).min());
  CHECK(near.worst() == nearest);
}

TEST_CASE("spectrum matching with fewer estimates offers them again, in rounds") {
  // Round one: 1 ↔ 1.1, 0 ↔ 0.2; round two: 10 takes the nearer, 1.1.
  const kooplab::SpectrumMatch match = match_spectrum({0.0, 1.0, 10.0}, {0.2, 1.1});
  CHECK(arma::all(match.partner == arma::uvec{0, 1, 1}));
  CHECK(match.worst() == doctest::Approx(8.9));
  CHECK(spectrum_distance({0.0, 1.0, 10.0}, {0.5}) == doctest::Approx(9.5));
}

TEST_CASE("spectrum matching: no true values, no estimates, NaN estimates") {
  CHECK(spectrum_distance({}, {0.5}) == 0.0);
  CHECK_THROWS_AS(match_spectrum({0.5}, {}), kooplab::DataError);
  CHECK(std::isnan(spectrum_distance({0.5, 0.7}, {arma::datum::nan, 0.5})));
}
