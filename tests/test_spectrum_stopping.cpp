// The spectrum stopping rule (koopman-mode-analysis.md, Sec. 3) on signals
// with a closed-form settled share, and the validation stopping rule.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/spectrum_stopping.hpp"
#include "kooplab/network.hpp"
#include "kooplab/nn/validation_stopping.hpp"
#include "kooplab/run_context.hpp"
#include "support.hpp"

using kooplab::testing::array;
using kooplab::testing::make;
using kooplab::testing::metric;

TEST_CASE("share_near_one: the importance of the eigenvalues within the tolerance of 1") {
  const arma::cx_vec lambda{{1.0, 0.0}, {0.99, 0.05}, {0.5, 0.0}};
  CHECK(kooplab::share_near_one(lambda, arma::vec{2.0, 1.0, 1.0}, 0.02) == doctest::Approx(0.5));
  CHECK(kooplab::share_near_one(lambda, arma::vec{2.0, 1.0, 1.0}, 0.1) == doctest::Approx(0.75));
  CHECK(std::isnan(kooplab::share_near_one(lambda, arma::vec{0.0, 0.0, 0.0}, 0.1)));
  CHECK(std::isnan(kooplab::share_near_one(lambda, arma::vec{1.0}, 0.1)));
}

TEST_CASE("spectrum stopping on the loss 1 + 5·0.5^t stops where the closed-form share first holds twice") {
  // Delay states z = [L_{T−1}; L_T] = 1·(1, 1) + 5·0.5^{T−1}·(1, 0.5): the modes
  // of eigenvalues 1 and 0.5 carry √2 and 5·0.5^{T−1}·√1.25 of the last state.
  kooplab::SpectrumStoppingRule rule;
  rule.observe = kooplab::SpectrumStoppingRule::Observe::loss;
  rule.every = 1;
  rule.window = 4;
  rule.delays = 2;
  rule.first = 0;
  rule.share = 0.95;
  rule.patience = 2;
  const auto estimator = make<kooplab::Estimator>("name: dmd");
  const auto network = make<kooplab::Network>("name: mlp\nlayers: [1, 1]");
  kooplab::Rng rng(1);
  kooplab::SpectrumStopping stopping(rule, *estimator, nullptr, rng);
  const auto share = [](double t) {
    return std::sqrt(2.0) / (std::sqrt(2.0) + 5.0 * std::pow(0.5, t - 1) * std::sqrt(1.25));
  };
  arma::uword expected = 0;
  for (arma::uword t = rule.window + 1; t < 40 && expected == 0; ++t)
    if (share(double(t)) >= rule.share && share(double(t - 1)) >= rule.share) expected = t;
  REQUIRE(expected > rule.window + 1);  // not at the first chance: the rule has to wait

  stopping.begin(*network, 40, 40);
  arma::uword stopped = 0;
  for (arma::uword t = 0; t < 40 && stopped == 0; ++t) {
    kooplab::EpochStats stats;
    stats.epoch = t;
    stats.train_loss = 1.0 + 5.0 * std::pow(0.5, double(t));
    if (stopping.epoch(*network, stats) == kooplab::TrainingDecision::stop) stopped = t;
  }
  CHECK(stopped == expected);
  const arma::mat history = stopping.history();
  REQUIRE(history.n_rows == expected - rule.window + 1);
  for (arma::uword i = 0; i < history.n_rows; ++i) {
    CAPTURE(history(i, 0));
    CHECK(history(i, 1) == doctest::Approx(share(history(i, 0))).epsilon(1e-9));
    CHECK(history(i, 2) == doctest::Approx(1.0).epsilon(1e-9));
    CHECK(history(i, 3) == 2);
  }
}

TEST_CASE("spectrum stopping on the weights of gradient descent on least squares: closed-form shares and stop") {
  // Per output o, (w_o, b_o) follows w ← w − η (2/(k m)) Z (Zᵀ w − y_o), Z = [X; 1]:
  // w_T = w∞ + Σ_i λ_i^T d_i with λ_i = 1 − η·2μ_i/(k m) for the nonzero
  // eigenvalues μ_i of Z Zᵀ (eigenvectors u_i), d_i = u_i u_iᵀ (w_0 − w*) and
  // w∞ = w_0 − Σ_i d_i. Stacked over the outputs, the modes of the last state
  // carry ‖w∞‖ (λ = 1) and |λ_i|^T ‖d_i‖.
  const double lr = 0.3;
  const std::string dataset_yaml = "{name: yinyang, train_size: 200, validation_size: 0, test_size: 100}";
  const std::string network_yaml = "{name: mlp, layers: [4, 3], loss: mse}";
  const kooplab::Config config = kooplab::Config::parse(
      fmt::format(
          "dataset: {}\nnetwork: {}\nestimator: {{name: dmd}}\n"
          "application: {{name: spectrum_monitor, epochs: 300, batch_size: 0, optimizer: {{name: sgd, lr: {}}}, "
          "stop: spectrum, spectrum_rule: {{observe: weights, every: 3, window: 6, first: 6, tolerance: 0.02, "
          "share: 0.999, patience: 1}}}}\n",
          dataset_yaml, network_yaml, lr),
      "test.yaml");
  const std::uint64_t seed = 3;
  const kooplab::RunContext context = kooplab::testing::run_application(config, seed);

  // The run's data and initial weights, drawn as start_training draws them.
  kooplab::Rng rng(seed);
  const kooplab::LabeledData data = make<kooplab::Dataset>(dataset_yaml)->labeled(rng);
  const auto network = make<kooplab::Network>(network_yaml);
  network->initialise(rng);
  const arma::vec w0 = network->parameters();
  const arma::mat z = arma::join_cols(data.train.inputs, arma::ones<arma::rowvec>(200));
  arma::vec mu;
  arma::mat u;
  arma::eig_sym(mu, u, arma::mat(z * z.t()));
  const arma::uvec nonzero = arma::find(mu > 1e-8 * mu.max());
  REQUIRE(nonzero.n_elem == 3);
  const arma::vec lambda = 1.0 - lr * 2.0 * mu(nonzero) / (3.0 * 200.0);
  const arma::mat solve_for = arma::pinv(arma::mat(z.t()));
  arma::vec direction_norms(3, arma::fill::zeros);
  double fixed_norm = 0.0;
  for (arma::uword o = 0; o < 3; ++o) {
    const arma::vec start{w0(o), w0(o + 3), w0(o + 6), w0(o + 9), w0(12 + o)};  // W (3 × 4, by columns), then b
    const arma::vec optimum = solve_for * arma::vec(data.train.targets.row(o).t());
    arma::vec limit = start;
    for (arma::uword i = 0; i < 3; ++i) {
      const arma::vec part = u.col(nonzero(i)) * arma::dot(u.col(nonzero(i)), start - optimum);
      direction_norms(i) += arma::dot(part, part);
      limit -= part;
    }
    fixed_norm += arma::dot(limit, limit);
  }
  direction_norms = arma::sqrt(direction_norms);
  fixed_norm = std::sqrt(fixed_norm);
  const auto share = [&](double t) {
    const arma::vec parts = direction_norms % arma::pow(arma::abs(lambda), t);
    return (fixed_norm + arma::accu(parts(arma::find(arma::abs(lambda - 1.0) < 0.02)))) /
           (fixed_norm + arma::accu(parts));
  };

  const arma::mat history = array<arma::mat>(context, "stop_history");
  REQUIRE(history.n_rows >= 2);
  for (arma::uword i = 0; i < history.n_rows; ++i) {
    CAPTURE(history(i, 0));
    CHECK(history(i, 1) == doctest::Approx(share(history(i, 0))).epsilon(1e-6));
  }
  CHECK(history(history.n_rows - 1, 1) >= 0.999);
  CHECK(history(history.n_rows - 2, 1) < 0.999);
  CHECK(metric(context, "epochs") == history(history.n_rows - 1, 0));
}

TEST_CASE("validation stopping: the stop comes `patience` epochs after the lowest validation loss") {
  // test_on: validation reports the validation loss of every epoch as test_loss.
  const kooplab::Config config = kooplab::Config::parse(
      "dataset: {name: yinyang, train_size: 200, validation_size: 100, test_size: 100}\n"
      "network: {name: mlp, layers: [4, 30, 3], activation: relu}\n"
      "application: {name: spectrum_monitor, epochs: 400, batch_size: 20, optimizer: {name: adam, lr: 0.03}, "
      "test_on: validation, checkpoints: [2], stop: validation, validation_rule: {patience: 5}}\n"
      "estimator: {name: dmd}\n",
      "test.yaml");
  const kooplab::RunContext context = kooplab::testing::run_application(config, 2);
  const arma::vec validation = arma::vectorise(array<arma::mat>(context, "test_loss"));
  const arma::uword epochs = arma::uword(metric(context, "epochs"));
  REQUIRE(validation.n_elem == epochs + 1);
  CHECK(epochs < 400);  // 200 samples and a large step: the validation loss turns up early
  CHECK(epochs == validation.index_min() + 5);
  const auto network = make<kooplab::Network>("name: mlp\nlayers: [4, 30, 3]");
  CHECK_THROWS_AS(kooplab::ValidationStopping({}, *network, kooplab::LabeledSet{}), kooplab::DataError);
}

TEST_CASE("verdicts: a rule run without stopping names the epoch at which it stops the same run") {
  const std::string base =
      "dataset: {name: yinyang, train_size: 200, validation_size: 100, test_size: 100}\n"
      "network: {name: mlp, layers: [4, 30, 3], activation: relu}\n"
      "estimator: {name: dmd_rrr}\n"
      "application: {name: spectrum_monitor, epochs: 120, batch_size: 20, optimizer: {name: adam, lr: 0.03}, "
      "checkpoints: [2], validation_rule: {patience: 5}, "
      "spectrum_rule: {observe: weights, every: 2, window: 10, first: 10, tolerance: 0.02, share: 0.9, patience: 2}, ";
  const auto run = [&](const std::string& stop) {
    const kooplab::Config config = kooplab::Config::parse(base + stop + "}\n", "test.yaml");
    return kooplab::testing::run_application(config, 4);
  };
  const kooplab::RunContext verdicts = run("stop: none, verdicts: true");
  CHECK(metric(verdicts, "epochs") == 120);
  for (const std::string rule : {"validation", "spectrum"}) {
    CAPTURE(rule);
    const kooplab::RunContext stopped = run("stop: " + rule);
    REQUIRE(metric(verdicts, rule + "_fired") == 1);
    CHECK(metric(verdicts, rule + "_epoch") == metric(stopped, "epochs"));
    CHECK(metric(verdicts, rule + "_test_accuracy") == metric(stopped, "test_accuracy"));
    CHECK(metric(verdicts, rule + "_test_loss") == metric(stopped, "test_loss"));
  }
}
