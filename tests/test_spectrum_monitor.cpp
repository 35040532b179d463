// The `spectrum_monitor` application on a training process with a closed-form
// spectrum: full-batch gradient descent on a linear least-squares model.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/network.hpp"
#include "kooplab/run_context.hpp"
#include "support.hpp"

using kooplab::testing::metric;

namespace {

arma::cx_vec eigenvalues(const kooplab::RunContext& context, const std::string& name) {
  return arma::vectorise(kooplab::testing::array<arma::cx_mat>(context, name));
}

}  // namespace

TEST_CASE("gradient descent on least squares: the weight spectrum is 1 and 1 − η·2λ_i(ZZᵀ)/(k m)") {
  // A 4 → 3 linear layer with MSE loss L = Σ(Wx + b − y)²/(k m): each output's
  // (w, b) follows w ← w − η (2/(k m)) Z (Zᵀ w − y), Z = [X; 1], an affine map with
  // fixed point w* (eigenvalue 1) and deviations decaying with 1 − η·2λ_i/(k m)
  // for the nonzero eigenvalues λ_i of Z Zᵀ. (Yin-Yang's features (x, y, 1 − x,
  // 1 − y) make Z of rank 3; the null directions never move and join the 1.)
  const double lr = 0.3;
  const kooplab::Config config = kooplab::Config::parse(
      fmt::format("dataset: {{name: yinyang, train_size: 200, validation_size: 0, test_size: 100}}\n"
                  "network: {{name: mlp, layers: [4, 3], loss: mse}}\n"
                  "estimator: {{name: dmd}}\n"
                  "application: {{name: spectrum_monitor, epochs: 12, batch_size: 0, optimizer: {{name: sgd, lr: {}}}, "
                  "checkpoints: [6, 12], near_one: 0.05}}\n",
                  lr),
      "test.yaml");
  const kooplab::RunContext context = kooplab::testing::run_application(config, 3);

  kooplab::Rng rng(0);
  const kooplab::LabeledData data =
      kooplab::testing::make<kooplab::Dataset>("name: yinyang\ntrain_size: 200\nvalidation_size: 0\ntest_size: 100")
          ->labeled(rng);
  const arma::mat z = arma::join_cols(data.train.inputs, arma::ones<arma::rowvec>(200));
  const arma::vec lambda = arma::eig_sym(arma::mat(z * z.t()));
  const arma::vec nonzero = lambda.elem(arma::find(lambda > 1e-8 * lambda.max()));
  REQUIRE(nonzero.n_elem == 3);
  arma::vec truth = arma::join_cols(arma::vec{1.0}, 1.0 - lr * 2.0 * nonzero / (3.0 * 200.0));

  const arma::cx_vec found = eigenvalues(context, "eigenvalues_at_12");
  REQUIRE(found.n_elem == 4);  // the weights span 1 + 3 directions
  for (const double value : truth) {
    CAPTURE(value);
    CHECK(arma::abs(found - value).min() < 1e-8);
  }
  CHECK(metric(context, "rank_at_12") == 4);
  CHECK(metric(context, "spectral_radius_at_12") == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(metric(context, "near_one_at_12") == double(arma::accu(arma::abs(truth - 1.0) < 0.05)));
  const double share = metric(context, "near_one_share_at_12");
  CHECK(share > 0);
  CHECK(share <= 1);
  // Six epochs already hold the four directions.
  CHECK(eigenvalues(context, "eigenvalues_at_6").n_elem == 4);
}

TEST_CASE("spectrum_monitor rejects checkpoints outside the training and unknown observables") {
  using kooplab::testing::contains;
  using kooplab::testing::error_of;
  const auto make = [](const std::string& options) {
    kooplab::testing::make<kooplab::Application>(
        "name: spectrum_monitor\noptimizer: {name: sgd, lr: 0.1}\nepochs: 20\n" + options);
  };
  CHECK(contains(error_of<kooplab::ConfigError>([&] { make("checkpoints: [5, 30]"); }), "30 is outside 2..20"));
  CHECK(contains(error_of<kooplab::ConfigError>([&] { make("observe: gradients"); }),
                 "observe: expected one of weights, loss, got 'gradients'"));
}
