// Sobolev losses (koopman-mode-analysis.md, Sec. 6): shells of the discrete
// Fourier transform against closed forms, the L² limit by Parseval, exact
// gradients of both losses (heads included) against central differences, and
// the loss read from a word or a section.
#include <doctest/doctest.h>

#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/nn/sequential.hpp"
#include "kooplab/nn/sobolev_loss.hpp"
#include "support.hpp"

namespace {

using namespace kooplab;

std::vector<std::unique_ptr<Layer>> mlp(arma::uword hidden_layers, arma::uword width) {
  std::vector<std::unique_ptr<Layer>> layers;
  arma::uword in = 1;
  for (arma::uword l = 0; l < hidden_layers; ++l) {
    layers.push_back(std::make_unique<Dense>(in, width));
    layers.push_back(std::make_unique<Activation>(ActivationKind::tanh, width));
    in = width;
  }
  layers.push_back(std::make_unique<Dense>(in, 1));
  return layers;
}

// The training loss's gradient against (L(θ + h eᵢ) − L(θ − h eᵢ)) / 2h.
void check_gradient(Sequential& network, const arma::mat& inputs, const arma::mat& targets) {
  Rng rng(7);
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
  REQUIRE(arma::norm(analytic) > 1e-3);
  CHECK(arma::abs(analytic - numeric).max() < 1e-7 * std::max(1.0, arma::abs(analytic).max()));
}

}  // namespace

TEST_CASE("a single Fourier mode lands on its shell with the Sobolev weight") {
  const arma::uword n = 40;
  const arma::rowvec j = arma::regspace<arma::rowvec>(0, n - 1);
  const arma::mat residual = 3.0 * arma::cos(2 * arma::datum::pi * 5 * j / double(n));
  // r̂(±5) = 3/2: the shell holds 2 · 9/4 · (1 + (10π)²)^(−1/2).
  const double expected = 2 * 2.25 / std::sqrt(1 + std::pow(10 * arma::datum::pi, 2));
  CHECK(fourier_shell_loss(residual, {5}, -0.5, nullptr) == doctest::Approx(expected).epsilon(1e-12));
  CHECK(fourier_shell_loss(residual, {0, 1, 4, 6, 20}, -0.5, nullptr) == doctest::Approx(0).scale(1));
  // Shell 0 is the squared mean.
  CHECK(fourier_shell_loss(residual + 0.5, {0}, -0.5, nullptr) == doctest::Approx(0.25).epsilon(1e-12));
}

TEST_CASE("with index 0 and every shell the loss is the mean square (Parseval)") {
  Rng rng(3);
  for (const arma::uword n : {16u, 17u}) {
    const arma::mat residual = rng.normal(2, n);
    std::vector<arma::uword> every;
    for (arma::uword s = 0; 2 * s <= n; ++s) every.push_back(s);
    // Σ_rows (1/N) Σ_j r_j²: two rows, each its own mean square.
    const double mean_square = arma::accu(arma::square(residual)) / double(n);
    CHECK(fourier_shell_loss(residual, every, 0.0, nullptr) == doctest::Approx(mean_square).epsilon(1e-12));
  }
  CHECK_THROWS_AS(fourier_shell_loss(arma::mat(1, 8, arma::fill::ones), {5}, -0.5, nullptr), DataError);
}

TEST_CASE("scales are ℓ or 2^ℓ") {
  CHECK(sobolev_scale(SobolevScale::linear, 7) == 7);
  CHECK(sobolev_scale(SobolevScale::exponential, 0) == 1);
  CHECK(sobolev_scale(SobolevScale::exponential, 5) == 32);
}

TEST_CASE("Sobolev loss 1 (heads on the hidden layers) has exact gradients") {
  LossOptions loss(LossKind::sobolev_layers);
  loss.output_weight = 0.7;
  Sequential network(mlp(3, 4), loss, Init::xavier);
  // 3 hidden layers of 4: the network's 8 + 20 + 20 + 5 parameters and three heads of 5.
  CHECK(network.parameters().n_elem == 53 + 15);
  CHECK(network.blocks(BlockKind::layer).size() == 7);
  const arma::mat x = arma::linspace<arma::rowvec>(0, 2, 12);
  const arma::mat y = x + arma::sin(2 * arma::datum::pi * arma::pow(x, 4));
  check_gradient(network, x, y);
  loss.scale = SobolevScale::exponential;  // shells 2, 4, 8 need 16 samples
  Sequential exponential(mlp(3, 4), loss, Init::xavier);
  CHECK_THROWS_AS(exponential.loss_and_gradient(x, y), DataError);
  const arma::mat wide = arma::linspace<arma::rowvec>(0, 2, 16);
  check_gradient(exponential, wide, wide + arma::cos(3 * wide));
}

TEST_CASE("Sobolev loss 2 (all scales at the output) has exact gradients") {
  LossOptions loss(LossKind::sobolev_output);
  Sequential network(mlp(2, 5), loss, Init::xavier);
  CHECK(network.parameters().n_elem == 10 + 30 + 6);  // no heads
  const arma::mat x = arma::linspace<arma::rowvec>(0, 2, 11);
  check_gradient(network, x, arma::sin(3 * x) + x);
  // Evaluation reports the same shells as training.
  const arma::mat y = arma::sin(3 * x) + x;
  const double trained = network.loss_and_gradient(x, y);
  CHECK(network.loss(network.forward(x), y) == doctest::Approx(trained).epsilon(1e-14));
}

TEST_CASE("the loss key takes a word or a section") {
  const Config words = Config::parse("loss: mse\n", "test");
  CHECK(LossOptions::read(words, "loss", LossKind::cross_entropy).kind == LossKind::mse);
  const Config section =
      Config::parse("loss: {name: sobolev_output, scale: exponential, index: -1, scales: 4}\n", "test");
  const LossOptions read = LossOptions::read(section, "loss", LossKind::cross_entropy);
  CHECK(read.kind == LossKind::sobolev_output);
  CHECK(read.scale == SobolevScale::exponential);
  CHECK(read.index == -1);
  CHECK(read.scales == 4);
  CHECK_THROWS_AS(
      LossOptions::read(Config::parse("loss: {name: mse, scale: linear}\n", "test"), "loss", LossKind::cross_entropy),
      ConfigError);
  CHECK_THROWS_AS(LossOptions::read(Config::parse("loss: {scale: linear}\n", "test"), "loss", LossKind::mse),
                  ConfigError);
  CHECK_THROWS_AS(LossOptions::read(Config::parse("loss: sobolev\n", "test"), "loss", LossKind::mse), ConfigError);
}
