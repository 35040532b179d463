#pragma once
// k-means clustering for choosing dictionary centres: k-means++ seeding
// (Arthur & Vassilvitskii 2007) followed by Lloyd iterations.
#include <armadillo>

#include "kooplab/rng.hpp"

namespace kooplab {

// ‖a_i − b_j‖² for the columns of a (n × p) and b (n × q), as p × q, by one
// matrix product (clamped at 0 against cancellation).
arma::mat squared_distances(const arma::mat& a, const arma::mat& b);

// k centres (n × k) for the points (n × m, one per column). Throws DataError
// when the points have fewer than k distinct values. Memory: n·k plus a
// k × 4096 block of distances.
arma::mat kmeans_centres(const arma::mat& points, arma::uword k, arma::uword iterations, Rng& rng);

}  // namespace kooplab
