// The neural-network DE solver (koopman-training.md, Sec. 4): forward mode
// through the layers against finite differences in t, the ODE loss's weight
// gradient against finite differences in the weights.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "kooplab/error.hpp"
#include "kooplab/nn/de_solver.hpp"
#include "kooplab/nn/optimizers.hpp"
#include "support.hpp"

namespace {

std::shared_ptr<kooplab::DeSolver> solver(const std::string& options, std::uint64_t seed) {
  auto network = std::dynamic_pointer_cast<kooplab::DeSolver>(
      kooplab::testing::make<kooplab::Network>("name: de_solver\n" + options));
  REQUIRE(network);
  kooplab::Rng rng(seed);
  network->initialise(rng);
  return network;
}

const arma::mat times = arma::linspace<arma::rowvec>(0.0, 4.0 * std::numbers::pi, 23);

}  // namespace

TEST_CASE("forward mode gives dN/dt: central differences in t agree to O(h²)") {
  for (const std::string activation : {"sigmoid", "tanh"}) {
    CAPTURE(activation);
    const auto network = solver("hidden: [10, 10]\nactivation: " + activation, 5);
    const arma::mat direction(1, times.n_cols, arma::fill::ones);
    const arma::mat derivative = network->forward_tangent(times, direction).derivative;
    const double h = 1e-5;
    const arma::mat after = network->Sequential::forward(times + h), before = network->Sequential::forward(times - h);
    const arma::mat central = (after - before) / (2 * h);
    CHECK(arma::abs(derivative - central).max() < 1e-8 * (1.0 + arma::abs(derivative).max()));
  }
}

TEST_CASE("the ODE loss and its weight gradient: the residuals of the trial solution, central differences") {
  const auto network = solver("hidden: [10, 10]", 11);
  const arma::mat zeros(2, times.n_cols, arma::fill::zeros);

  // The loss is mean r_x² + mean r_p² with r from the trial solution x̂ = x0 + (1 − e^{−t}) N_x.
  const arma::mat outputs = network->Sequential::forward(times);
  const arma::mat derivative = network->forward_tangent(times, arma::ones(1, times.n_cols)).derivative;
  const arma::rowvec t = times.row(0), factor = 1.0 - arma::exp(-t);
  const arma::rowvec x = 1.3 + factor % outputs.row(0), p = 1.0 + factor % outputs.row(1);
  const arma::rowvec dx = arma::exp(-t) % outputs.row(0) + factor % derivative.row(0);
  const arma::rowvec dp = arma::exp(-t) % outputs.row(1) + factor % derivative.row(1);
  const double expected = arma::mean(arma::square(dx - p)) + arma::mean(arma::square(dp + x + arma::pow(x, 3)));
  const double value = network->loss_and_gradient(times, zeros);
  CHECK(value == doctest::Approx(expected).epsilon(1e-12));
  CHECK(network->loss(network->forward(times), zeros) == doctest::Approx(expected).epsilon(1e-12));
  CHECK(arma::approx_equal(network->solution(times), arma::join_cols(x, p), "absdiff", 1e-12));

  const arma::vec gradient = network->gradient();
  const arma::vec start = network->parameters();
  arma::vec numeric(start.n_elem);
  const double h = 1e-6;
  for (arma::uword i = 0; i < start.n_elem; ++i) {
    arma::vec moved = start;
    moved(i) += h;
    network->set_parameters(moved);
    const double up = network->loss(network->forward(times), zeros);
    moved(i) -= 2 * h;
    network->set_parameters(moved);
    const double down = network->loss(network->forward(times), zeros);
    numeric(i) = (up - down) / (2 * h);
  }
  CHECK(arma::abs(gradient - numeric).max() < 1e-6 * (1.0 + arma::abs(gradient).max()));
}

TEST_CASE("the DE solver takes one time per sample and cannot have layers replaced") {
  using kooplab::testing::contains;
  using kooplab::testing::error_of;
  const auto network = solver("hidden: [4]", 1);
  CHECK(contains(error_of<kooplab::DataError>([&] { network->forward(arma::zeros(2, 3)); }), "forward mode takes 1"));
  CHECK(contains(error_of<kooplab::DataError>([&] { network->forward_replaced(times, 0, 1, {}); }),
                 "cannot be replaced"));
}

// On [0, π] (50 points) the paper's 1:10:10:2 sigmoid network solves the
// oscillator in 10 000 Adam steps: seeds 0–7 gave max |H − H0|/H0 between
// 0.26 % and 1.5 % on a grid five times finer; the bound is 2 %. (On the
// paper's [0, 4π] the fixed grid lets the network settle near x̂ = p̂ = 0
// between the collocation points: experiments/koopman-training/README.md.)
TEST_CASE("a trained DE solver conserves the oscillator's energy along its trial solution") {
  const arma::mat grid = arma::linspace<arma::rowvec>(0.0, std::numbers::pi, 50);
  const arma::mat zeros(2, grid.n_cols, arma::fill::zeros);
  const arma::mat fine = arma::linspace<arma::rowvec>(0.0, std::numbers::pi, 250);
  for (const std::uint64_t seed : {0, 1, 2, 3, 4, 5, 6, 7}) {
    CAPTURE(seed);
    const auto network = solver("hidden: [10, 10]", seed);
    const kooplab::Oscillator& problem = network->problem();
    const double h0 = problem.energy(arma::rowvec{problem.x0}, arma::rowvec{problem.p0})(0);
    const auto drift = [&] {
      const arma::mat solution = network->solution(fine);
      return arma::abs(problem.energy(solution.row(0), solution.row(1)) - h0).max() / h0;
    };
    CHECK(drift() > 0.02);  // untrained: from 3.5 % (seed 6) up
    kooplab::OptimizerOptions options;
    options.policy = kooplab::AdamPolicy{};
    options.lr = 0.008;
    const auto optimizer = kooplab::make_optimizer(options);
    for (int step = 0; step < 10000; ++step) {
      network->loss_and_gradient(grid, zeros);
      optimizer->step(network->parameters(), network->gradient());
    }
    CHECK(drift() < 0.02);
  }
}
