// The scaled network of layers-as-linear-operations.md (inserted layers after
// a hidden layer, the next layer frozen) and the application that replaces
// that layer by a delay-coordinate linear simulation.
#include <doctest/doctest.h>

#include "kooplab/application.hpp"
#include "kooplab/error.hpp"
#include "kooplab/network.hpp"
#include "kooplab/nn/inserted_layers.hpp"
#include "support.hpp"

using namespace kooplab;

namespace {

std::shared_ptr<Network> yinyang_mlp() {
  return testing::make<Network>("name: mlp\nlayers: [4, 12, 8, 8, 3]\nactivation: relu\ninit: he");
}

InsertionOptions three_blocks() {
  InsertionOptions options;
  options.blocks = 3;
  options.epochs = 2;
  options.training.batch_size = 16;
  return options;
}

Config linearization_config(const std::string& options) {
  return Config::parse(
      "dataset: {name: yinyang, train_size: 300, validation_size: 0, test_size: 200}\n"
      "network: {name: mlp, layers: [4, 12, 8, 8, 3], activation: relu, init: he}\n"
      "application:\n"
      "  name: layer_linearization\n"
      "  train: {name: train, epochs: 5, batch_size: 30, optimizer: {name: adam, lr: 0.01}}\n"
      "  insert: {blocks: 4, epochs: 3, batch_size: 50, optimizer: {name: adamw, lr: 0.003, beta2: 0.99}}\n"
      "  trajectories: 100\n" +
          options,
      "test.yaml");
}

}  // namespace

TEST_CASE("inserted layers: the next layer is copied and stays frozen, the inserted ones train") {
  const auto network = yinyang_mlp();
  Rng rng(1);
  network->initialise(rng);
  InsertedLayers inserted(*network, 1, three_blocks(), rng, "app.after");
  CHECK(inserted.width() == 12);
  CHECK(inserted.out_width() == 8);
  CHECK(inserted.first_stage() == 2);
  CHECK(inserted.last_stage() == 4);
  CHECK(inserted.states() == 5);

  const LayerInfo next = network->layer_info(2);
  const LayerInfo frozen = inserted.chain().layer_info(6);
  const arma::vec original = network->parameters().subvec(next.offset, next.offset + next.parameters - 1);
  const auto frozen_slice = [&] {
    return arma::vec(inserted.chain().parameters().subvec(frozen.offset, frozen.offset + frozen.parameters - 1));
  };
  CHECK(arma::all(frozen_slice() == original));
  const LayerInfo first = inserted.chain().layer_info(0);
  CHECK(arma::all(inserted.chain().parameters().subvec(first.offset + 144, first.offset + 155) == 0.01));
  const arma::vec before = inserted.chain().parameters().subvec(0, first.parameters - 1);

  const arma::mat entering = arma::abs(rng.normal(12, 64));
  inserted.train(entering, network->forward_range(entering, 2, 4), rng);
  CHECK(arma::all(frozen_slice() == original));
  CHECK(arma::any(arma::vec(inserted.chain().parameters().subvec(0, first.parameters - 1)) != before));

  // Trajectories: the input, one state per inserted layer, the frozen layer's
  // output padded with −1 from row 8 on; stacked states are their first columns.
  const auto runs = inserted.trajectories(entering.cols(0, 2), -1.0);
  REQUIRE(runs.size() == 3);
  CHECK(runs[1].n_rows == 12);
  CHECK(runs[1].n_cols == 5);
  CHECK(arma::all(runs[1].col(0) == entering.col(1)));
  CHECK(arma::all(arma::vec(runs[1].col(4).tail(4)) == -1.0));
  CHECK(arma::approx_equal(arma::vec(runs[1].col(4).head(8)), arma::vec(inserted.forward(entering.col(1))), "absdiff",
                           1e-14));
  const arma::mat stacked = inserted.stacked_states(entering.cols(0, 2), 3, -1.0);
  CHECK(arma::approx_equal(stacked.col(2), arma::vectorise(runs[2].head_cols(3)), "absdiff", 1e-14));
}

TEST_CASE("inserted layers: a hidden state without a dense + relu layer after it is named") {
  using testing::contains, testing::error_of;
  const auto network = yinyang_mlp();
  Rng rng(1);
  const auto error = [&](arma::uword after) {
    return error_of<ConfigError>([&] { InsertedLayers(*network, after, three_blocks(), rng, "app.after"); });
  };
  CHECK(contains(error(0), "app.after: hidden state 0 has no hidden layer after it"));
  CHECK(contains(error(4), "app.after: hidden state 4 has no hidden layer after it"));
  CHECK(contains(error(3), "app.after: the layer after hidden state 3 must be dense followed by relu"));
}

TEST_CASE("layer_linearization: the scaled network, its trajectories and the spliced one on Yin-Yang") {
  using testing::metric;
  const RunContext run = testing::run_application(linearization_config("  delays: 4\n  rank: 40\n"), 2);
  CHECK(metric(run, "width") == 12);
  CHECK(metric(run, "out_width") == 8);
  // 100 trajectories of 6 states end to end: 600 states, 596 windows of 5, 595 pairs.
  CHECK(metric(run, "pairs") == 595);
  CHECK(metric(run, "rank") == 40);
  for (const char* name : {"original_test_accuracy", "scaled_test_accuracy", "koopman_test_accuracy"}) {
    CAPTURE(name);
    CHECK(metric(run, name) >= 0.0);
    CHECK(metric(run, name) <= 1.0);
  }
  CHECK(std::isfinite(metric(run, "koopman_state_error")));
  CHECK(std::isfinite(metric(run, "insert_loss")));

  const RunContext apart =
      testing::run_application(linearization_config("  delays: 4\n  rank: 40\n  pairing: per_trajectory\n"), 2);
  CHECK(metric(apart, "pairs") == 100);
}

TEST_CASE("layer_linearization: delays that leave nothing to simulate, and a missing train section, are named") {
  using testing::contains, testing::error_of, testing::make;
  const std::string start =
      "name: layer_linearization\ntrain: {name: train, optimizer: {name: adam}}\n"
      "insert: {blocks: 3, optimizer: {name: adamw}}\n";
  CHECK(contains(error_of<ConfigError>([&] { make<Application>(start + "delays: 4"); }),
                 "delays: needs delays + 1 < blocks + 2 = 5"));
  // Without a train section the network must be loaded from its weights: checked when the run has the network.
  CHECK(error_of<ConfigError>([&] { make<Application>("name: layer_linearization\n"); }).empty());
  CHECK(contains(error_of<ConfigError>([&] { make<Application>(start + "pairing: joined"); }), "pairing"));
}
