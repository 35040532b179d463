// Sobolev losses (koopman-mode-analysis.md, Sec. 6): shells of the discrete
// Fourier transform against closed forms, the L² limit by Parseval, exact
// gradients of both losses (heads included) against central differences, and
// the loss read from a word or a section.
#include <doctest/doctest.h>

#include <cmath>

#include "gradient_check.hpp"
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
  testing::check_gradient(network, x, y, 7);
  loss.scale = SobolevScale::exponential;  // shells 2, 4, 8 need 16 samples
  Sequential exponential(mlp(3, 4), loss, Init::xavier);
  CHECK_THROWS_AS(exponential.loss_and_gradient(x, y), DataError);
  const arma::mat wide = arma::linspace<arma::rowvec>(0, 2, 16);
  testing::check_gradient(exponential, wide, wide + arma::cos(3 * wide), 7);
}

TEST_CASE("Sobolev loss 2 (all scales at the output) has exact gradients") {
  LossOptions loss(LossKind::sobolev_output);
  Sequential network(mlp(2, 5), loss, Init::xavier);
  CHECK(network.parameters().n_elem == 10 + 30 + 6);  // no heads
  const arma::mat x = arma::linspace<arma::rowvec>(0, 2, 11);
  testing::check_gradient(network, x, arma::sin(3 * x) + x, 7);
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

// The paper's claim at ε = 0.5 (Sec. 6, Fig. 5: Sobolev 1 reconstructs the
// clean h better than L²) on a reduced protocol that runs in seconds:
// x + sin(2πx⁴) on 200 points, the 1-20×9-1 tanh network, 300 full-batch Adam
// epochs, seeds 0..2; the relative L² error against the clean h on the
// held-out quarter. kooplab does not reproduce the claim: in runs of this
// protocol over seeds 0..5 the two errors differ by at most 0.011 either way
// (L² 0.435–0.676; Sobolev 1 below L² in 2 of 6 seeds), as in the full
// protocol (experiments/sobolev-loss). The test guards that finding: the heads
// leave the output's reconstruction within 0.02 of L²'s, both in [0.4, 0.7].
TEST_CASE("Sobolev loss 1 against L² at ε = 0.5 (reduced protocol): no gain") {
  const auto clean_error = [](const std::string& loss, std::uint64_t seed) {
    const Config config = Config::parse(
        "dataset: {name: multiscale_signal, function: x + sin(2*pi*x^4), points: 200, noise: 0.5, noise_on: train}\n"
        "network: {name: mlp, layers: [1, 20, 20, 20, 20, 20, 20, 20, 20, 20, 1], activation: tanh, init: xavier, "
        "loss: " +
            loss +
            "}\n"
            "application: {name: train, epochs: 300, batch_size: 0, predictions: true, optimizer: {name: adam, lr: "
            "0.001}}\n",
        "test.yaml");
    return testing::metric(testing::run_application(config, seed), "test_relative_error");
  };
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    const double l2 = clean_error("mse", seed), sobolev = clean_error("{name: sobolev_layers}", seed);
    CAPTURE(seed);
    CHECK(l2 > 0.4);
    CHECK(l2 < 0.7);
    CHECK(std::abs(sobolev - l2) < 0.02);
  }
}
