#pragma once
// Drawing a random subset of indices.
#include <armadillo>

#include "kooplab/rng.hpp"

namespace kooplab {

// `count` distinct indices of 0..size−1 drawn uniformly without replacement
// from `rng` (the first `count` steps of a Fisher–Yates shuffle), in
// increasing order. Requires count ≤ size.
arma::uvec random_subset(arma::uword size, arma::uword count, Rng& rng);

}  // namespace kooplab
