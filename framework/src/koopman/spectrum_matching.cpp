#include "kooplab/koopman/spectrum_matching.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "kooplab/error.hpp"

namespace kooplab {

SpectrumMatch match_spectrum(const arma::cx_vec& truth, const arma::cx_vec& estimate) {
  const arma::uword count = truth.n_elem, offered = estimate.n_elem;
  SpectrumMatch match{arma::uvec(count), arma::vec(count)};
  if (count == 0) return match;
  if (offered == 0) throw DataError("spectrum matching: no estimated eigenvalues to match the true ones with");
  struct Pair {
    double order;  // the distance, +∞ for NaN so that sorting stays well defined
    double distance;
    arma::uword truth, estimate;
  };
  std::vector<Pair> pairs;
  pairs.reserve(count * offered);
  for (arma::uword i = 0; i < count; ++i)
    for (arma::uword j = 0; j < offered; ++j) {
      const double distance = std::abs(estimate(j) - truth(i));
      pairs.push_back({std::isnan(distance) ? arma::datum::inf : distance, distance, i, j});
    }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return std::tie(a.order, a.truth, a.estimate) < std::tie(b.order, b.truth, b.estimate);
  });
  std::vector<bool> matched(count, false);
  arma::uword left = count;
  // One sweep per round: every estimate at most once in a round.
  while (left > 0) {
    std::vector<bool> taken(offered, false);
    arma::uword used = 0;
    for (const Pair& pair : pairs) {
      if (matched[pair.truth] || taken[pair.estimate]) continue;
      matched[pair.truth] = taken[pair.estimate] = true;
      match.partner(pair.truth) = pair.estimate;
      match.distance(pair.truth) = pair.distance;
      --left;
      if (++used == offered || left == 0) break;
    }
  }
  return match;
}

double SpectrumMatch::worst() const {
  double worst = 0.0;
  for (const double d : distance)
    if (!(d <= worst)) worst = d;  // NaN propagates
  return worst;
}

double spectrum_distance(const arma::cx_vec& truth, const arma::cx_vec& estimate) {
  return match_spectrum(truth, estimate).worst();
}

}  // namespace kooplab
