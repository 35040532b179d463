#pragma once
// The gradient of a network's training loss against central finite differences
// (the layers' and the losses' suites).
#include <doctest/doctest.h>

#include <algorithm>
#include <armadillo>
#include <cstdint>

#include "kooplab/network.hpp"
#include "kooplab/rng.hpp"

namespace kooplab::testing {

// Random parameters (biases too), then the gradient of the training loss
// (loss_and_gradient's value) against (L(θ + h eᵢ) − L(θ − h eᵢ)) / 2h for every parameter.
inline void check_gradient(Network& network, const arma::mat& inputs, const arma::mat& targets, std::uint64_t seed) {
  Rng rng(seed);
  network.set_parameters(0.5 * rng.normal(network.parameters().n_elem, 1));
  network.loss_and_gradient(inputs, targets);
  const arma::vec analytic = network.gradient();
  const arma::vec theta = network.parameters();
  const double h = 1e-6;
  arma::vec numeric(theta.n_elem);
  for (arma::uword i = 0; i < theta.n_elem; ++i) {
    arma::vec shifted = theta;
    shifted(i) += h;
    network.set_parameters(shifted);
    const double up = network.loss_and_gradient(inputs, targets);
    shifted(i) -= 2 * h;
    network.set_parameters(shifted);
    const double down = network.loss_and_gradient(inputs, targets);
    numeric(i) = (up - down) / (2 * h);
  }
  network.set_parameters(theta);
  REQUIRE(arma::norm(analytic) > 1e-3);  // a vanishing gradient would prove nothing
  CHECK(arma::abs(analytic - numeric).max() < 1e-7 * std::max(1.0, arma::abs(analytic).max()));
}

}  // namespace kooplab::testing
