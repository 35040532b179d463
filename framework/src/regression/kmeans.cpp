#include "kooplab/regression/kmeans.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"

namespace kooplab {

arma::mat squared_distances(const arma::mat& a, const arma::mat& b) {
  arma::mat d = -2.0 * (a.t() * b);
  d.each_col() += arma::sum(arma::square(a), 0).t();
  d.each_row() += arma::sum(arma::square(b), 0);
  return arma::clamp(d, 0.0, arma::datum::inf);
}

namespace {

// Index of the nearest centre for every point, computed in column blocks so
// the distance matrix never exceeds k × block.
arma::uvec nearest_centres(const arma::mat& points, const arma::mat& centres) {
  constexpr arma::uword block = 4096;
  arma::uvec out(points.n_cols);
  for (arma::uword first = 0; first < points.n_cols; first += block) {
    const arma::uword last = std::min(points.n_cols, first + block) - 1;
    out.subvec(first, last) = arma::index_min(squared_distances(centres, points.cols(first, last)), 0).t();
  }
  return out;
}

}  // namespace

arma::mat kmeans_centres(const arma::mat& points, arma::uword k, arma::uword iterations, Rng& rng) {
  const arma::uword m = points.n_cols;
  if (k < 1) throw DataError("k-means needs at least one centre");
  if (m < k) throw DataError(fmt::format("k-means: {} centres requested from {} points", k, m));
  arma::mat centres(points.n_rows, k);
  centres.col(0) = points.col(rng.below(m));
  // Squared distance of every point to its nearest centre so far.
  arma::vec nearest = squared_distances(points, centres.col(0));
  for (arma::uword c = 1; c < k; ++c) {
    const double total = arma::accu(nearest);
    if (!(total > 0.0))
      throw DataError(
          fmt::format("k-means: the {} points have only {} distinct values, {} centres requested", m, c, k));
    // Draw a point with probability proportional to its squared distance.
    const double target = rng.uniform() * total;
    double running = 0.0;
    arma::uword pick = 0;
    for (; pick + 1 < m; ++pick) {
      running += nearest(pick);
      if (running > target && nearest(pick) > 0.0) break;
    }
    if (!(nearest(pick) > 0.0)) pick = nearest.index_max();  // rounding ran past the end
    centres.col(c) = points.col(pick);
    nearest = arma::min(nearest, arma::vec(squared_distances(points, centres.col(c))));
  }
  for (arma::uword iteration = 0; iteration < iterations; ++iteration) {
    const arma::uvec owner = nearest_centres(points, centres);
    arma::mat sums(arma::size(centres), arma::fill::zeros);
    arma::uvec counts(k, arma::fill::zeros);
    for (arma::uword i = 0; i < m; ++i) {
      sums.col(owner(i)) += points.col(i);
      ++counts(owner(i));
    }
    bool moved = false;
    for (arma::uword c = 0; c < k; ++c) {
      if (counts(c) == 0) continue;  // an empty cluster keeps its centre
      const arma::vec mean = sums.col(c) / double(counts(c));
      moved = moved || arma::any(mean != centres.col(c));
      centres.col(c) = mean;
    }
    if (!moved) break;
  }
  return centres;
}

}  // namespace kooplab
