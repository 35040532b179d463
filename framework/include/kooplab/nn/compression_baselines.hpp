#pragma once
// What a compressed block of layers is compared with at an equal parameter
// count (koopman-compression.md): magnitude pruning of the block's parameters
// and a low-rank SVD of its dense weight matrices, both applied in place.
#include <armadillo>

#include "kooplab/network.hpp"

namespace kooplab {

// Zeroes the parameters of stages [first, last) except the `keep` of largest
// magnitude (ties by index) and returns the indices zeroed, exactly
// (block parameters − keep) of them.
arma::uvec prune_by_magnitude(Network& network, arma::uword first, arma::uword last, arma::uword keep);

// Parameters of the dense layers of stages [first, last) stored as rank-r
// factors, r(outputs + inputs) per weight matrix (or the full matrix when
// that is smaller), plus their biases; other parameters counted as they are.
arma::uword low_rank_parameter_count(const Network& network, arma::uword first, arma::uword last, arma::uword rank);

// Replaces each dense weight matrix of stages [first, last) by its best
// rank-r approximation (biases kept); returns low_rank_parameter_count.
arma::uword truncate_dense_weights(Network& network, arma::uword first, arma::uword last, arma::uword rank);

}  // namespace kooplab
