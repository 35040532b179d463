// Splicing a fitted Koopman model into a network in place of a block of
// layers: activation trajectories, the Koopman block (full and SVD-truncated),
// and the compression baselines, against closed forms.
#include <doctest/doctest.h>

#include <cmath>

#include "kooplab/application.hpp"
#include "kooplab/error.hpp"
#include "kooplab/koopman/koopman_block.hpp"
#include "kooplab/nn/compression_baselines.hpp"
#include "kooplab/nn/hidden_states.hpp"
#include "kooplab/nn/sequential.hpp"
#include "square_layer.hpp"
#include "support.hpp"

namespace {

using namespace kooplab;

template <class... Layers>
std::unique_ptr<Sequential> network_of(std::unique_ptr<Layers>... layers) {
  std::vector<std::unique_ptr<Layer>> chain;
  (chain.push_back(std::move(layers)), ...);
  auto network = std::make_unique<Sequential>(std::move(chain), LossKind::mse, Init::normal);
  Rng rng(7);
  network->set_parameters(0.5 * rng.normal(network->parameters().n_elem, 1));
  return network;
}

std::unique_ptr<Sequential> linear_mlp() {
  return network_of(std::make_unique<Dense>(3, 3), std::make_unique<Activation>(ActivationKind::identity, 3),
                    std::make_unique<Dense>(3, 3), std::make_unique<Activation>(ActivationKind::identity, 3),
                    std::make_unique<Dense>(3, 3), std::make_unique<Activation>(ActivationKind::identity, 3),
                    std::make_unique<Dense>(3, 2));
}

arma::mat random_inputs(arma::uword rows, arma::uword count) {
  Rng rng(11);
  return rng.normal(rows, count);
}

// The block fitted on the dictionary ψ: K = ψ(Y)ψ(X)⁺ and the decoder D = Xψ(X)⁺.
KoopmanBlock fitted_block(Network& network, const LayerBlock& block, const std::string& dictionary,
                          const arma::mat& inputs) {
  const auto observable = testing::make<Observable>(dictionary);
  const Trajectories data = activation_trajectories(network, inputs, block, 7);  // chunks of 7 samples
  const SnapshotPairs pairs = data.pairs();
  const arma::mat states = data.all_states();
  return KoopmanBlock(observable, least_squares_map(observable->evaluate(pairs.y), observable->evaluate(pairs.x)),
                      least_squares_map(states, observable->evaluate(states)), block.steps());
}

}  // namespace

TEST_CASE("hidden states are read before or after each activation") {
  const auto network = linear_mlp();  // dense, id, dense, id, dense, id, dense
  CHECK(hidden_state_stages(*network, ActivationSite::post) == std::vector<arma::uword>{0, 2, 4, 6, 7});
  CHECK(hidden_state_stages(*network, ActivationSite::pre) == std::vector<arma::uword>{0, 1, 3, 5, 7});
  const LayerBlock block = layer_block(*network, {.from = 1, .to = 3, .stride = 1}, "replace");
  CHECK(block.first_stage == 2);
  CHECK(block.last_stage == 6);
  CHECK(block.steps() == 2);
  CHECK(block.parameters == 2 * 12);

  // The trajectories hold exactly the network's activations at those stages.
  const arma::mat inputs = random_inputs(3, 20);
  const std::vector<arma::mat> stages = network->activations(inputs);
  const Trajectories data = activation_trajectories(*network, inputs, block, 6);
  REQUIRE(data.runs.size() == 20);
  for (arma::uword s : {0, 13, 19})
    for (arma::uword k = 0; k < 3; ++k)
      CHECK(arma::approx_equal(data.runs[s].col(k), stages[block.recorded_stages[k]].col(s), "absdiff", 0.0));
}

TEST_CASE("a block of identity-activation layers splices exactly, in one step or layer by layer") {
  const auto network = linear_mlp();
  const arma::mat inputs = random_inputs(3, 40), unseen = random_inputs(3, 60).tail_cols(20);
  const std::string affine = "name: polynomial\ndegree: 1\nconstant: true";

  const LayerBlock one_step = layer_block(*network, {.from = 1, .to = 3}, "replace");
  REQUIRE(one_step.steps() == 1);
  const KoopmanBlock whole = fitted_block(*network, one_step, affine, inputs);
  CHECK(arma::approx_equal(forward_spliced(*network, unseen, one_step, whole), network->forward(unseen), "absdiff",
                           1e-10));

  // Layer by layer the fit is exact when the layers are the same map (an autonomous system).
  arma::vec& theta = network->parameters();
  const LayerInfo second = network->layer_info(2), third = network->layer_info(4);
  theta.subvec(third.offset, third.offset + third.parameters - 1) =
      theta.subvec(second.offset, second.offset + second.parameters - 1);
  const LayerBlock stepped = layer_block(*network, {.from = 1, .to = 3, .stride = 1}, "replace");
  const KoopmanBlock layers = fitted_block(*network, stepped, affine, inputs);
  CHECK(arma::approx_equal(forward_spliced(*network, unseen, stepped, layers), network->forward(unseen), "absdiff",
                           1e-10));
}

TEST_CASE("the least-squares Koopman matrix is the edmd estimator's, and stays exact with a dead unit") {
  const auto network = linear_mlp();
  const LayerBlock block = layer_block(*network, {.from = 1, .to = 3}, "replace");
  const arma::mat inputs = random_inputs(3, 40), unseen = random_inputs(3, 60).tail_cols(20);
  const auto affine = testing::make<Observable>("name: polynomial\ndegree: 1\nconstant: true");
  const auto edmd = testing::make<Estimator>("name: edmd");
  Rng rng(1);
  const Trajectories data = activation_trajectories(*network, inputs, block);
  const SnapshotPairs pairs = data.pairs();
  const arma::mat k = least_squares_map(affine->evaluate(pairs.y), affine->evaluate(pairs.x));
  const KoopmanModel model = edmd->fit(data, affine.get(), rng);
  REQUIRE(model.koopman_matrix.n_rows == 4);
  CHECK(arma::approx_equal(k, arma::real(model.koopman_matrix), "absdiff", 1e-9));

  // Unit 0 of hidden state 1 never fires (its weights and bias are 0): ψ(X) has
  // rank 3 < 4, edmd reduces its matrix, the least-squares one still splices exactly.
  const LayerInfo first = network->layer_info(0);
  for (arma::uword i = 0; i < 3; ++i) network->parameters()(first.offset + 3 * i) = 0.0;
  network->parameters()(first.offset + 9) = 0.0;
  const Trajectories dead = activation_trajectories(*network, inputs, block);
  CHECK(edmd->fit(dead, affine.get(), rng).koopman_matrix.n_rows == 3);
  const KoopmanBlock spliced = fitted_block(*network, block, "name: polynomial\ndegree: 1\nconstant: true", inputs);
  CHECK(arma::approx_equal(forward_spliced(*network, unseen, block, spliced), network->forward(unseen), "absdiff",
                           1e-10));
}

TEST_CASE("an exact polynomial hidden map splices exactly with that polynomial dictionary") {
  // Between hidden states 1 and 2 the map is z ↦ W (z ⊙ z) + b, of degree 2.
  const auto network = network_of(std::make_unique<Dense>(2, 2), std::make_unique<testing::SquareLayer>(2),
                                  std::make_unique<Dense>(2, 2), std::make_unique<testing::SquareLayer>(2),
                                  std::make_unique<Dense>(2, 1));
  const LayerBlock block = layer_block(*network, {.from = 1, .to = 2}, "replace");
  const arma::mat inputs = random_inputs(2, 40), unseen = random_inputs(2, 60).tail_cols(20);
  const KoopmanBlock quadratic = fitted_block(*network, block, "name: polynomial\ndegree: 2\nconstant: true", inputs);
  CHECK(arma::approx_equal(forward_spliced(*network, unseen, block, quadratic), network->forward(unseen), "reldiff",
                           1e-9));
  // The affine dictionary cannot: the splice error stays of the order of the outputs.
  const KoopmanBlock affine = fitted_block(*network, block, "name: polynomial\ndegree: 1\nconstant: true", inputs);
  const arma::mat truth = network->forward(unseen);
  CHECK(arma::norm(forward_spliced(*network, unseen, block, affine) - truth) > 1e-3 * arma::norm(truth));
}

TEST_CASE("the SVD-truncated operator keeps 2·N·r parameters and errs by the discarded singular values") {
  Rng rng(3);
  arma::mat u, v, r;
  arma::qr(u, r, rng.normal(6, 6));
  arma::qr(v, r, rng.normal(6, 6));
  const arma::vec sigma{5.0, 4.0, 3.0, 2.0, 1.0, 0.5};
  const arma::mat k = u * arma::diagmat(sigma) * v.t();

  const LowRankMatrix low = truncate_svd(k, 2, "test");
  CHECK(low.parameter_count() == 2 * 6 * 2);
  CHECK(arma::approx_equal(low.discarded, sigma.tail(4), "absdiff", 1e-12));
  CHECK(arma::norm(k - low.product(), "fro") == doctest::Approx(std::sqrt(9.0 + 4.0 + 1.0 + 0.25)).epsilon(1e-12));
  CHECK(arma::norm(k - low.product(), 2) == doctest::Approx(3.0).epsilon(1e-12));

  // In a block of one step the decoder folds into the left factor: n·r + r·N.
  const auto identity = testing::make<Observable>("name: identity");
  const arma::mat decoder = rng.normal(4, 6);
  const KoopmanBlock block(identity, k, decoder, 1);
  CHECK(block.parameter_count() == 4 * 6);
  const KoopmanBlock two = block.truncated(2, "test");
  CHECK(two.parameter_count() == 4 * 2 + 2 * 6);
  CHECK(arma::approx_equal(two.discarded(), sigma.tail(4), "absdiff", 1e-12));
  const arma::mat x = rng.normal(6, 5);
  CHECK(arma::approx_equal(two(x), decoder * low.product() * x, "absdiff", 1e-12));
  // Two steps keep K's factors and the decoder apart: 2·N·r + n·N.
  const KoopmanBlock stepped = KoopmanBlock(identity, k, decoder, 2).truncated(2, "test");
  CHECK(stepped.parameter_count() == 2 * 6 * 2 + 4 * 6);
  CHECK(arma::approx_equal(stepped(x), decoder * low.product() * low.product() * x, "absdiff", 1e-11));
}

TEST_CASE("bad block spans are refused naming the key") {
  const auto network = network_of(std::make_unique<Dense>(4, 3), std::make_unique<Activation>(ActivationKind::relu, 3),
                                  std::make_unique<Dense>(3, 3), std::make_unique<Activation>(ActivationKind::relu, 3),
                                  std::make_unique<Dense>(3, 2));  // states 0..3
  using testing::contains, testing::error_of;
  CHECK(contains(error_of<ConfigError>([&] { layer_block(*network, {.from = 1, .to = 4}, "application.replace"); }),
                 "application.replace.to: hidden state 4 does not exist"));
  CHECK(
      contains(error_of<ConfigError>([&] { layer_block(*network, {.from = 2, .to = 2}, "replace"); }), "replace.from"));
  CHECK(contains(error_of<ConfigError>([&] { layer_block(*network, {.from = 0, .to = 2, .stride = 1}, "replace"); }),
                 "replace.stride: a Koopman operator maps a state to one of the same size"));
  CHECK(contains(error_of<ConfigError>([&] { layer_block(*network, {.from = 0, .to = 3, .stride = 2}, "replace"); }),
                 "replace.stride: 2 does not divide"));
  CHECK_NOTHROW(layer_block(*network, {.from = 1, .to = 2}, "replace"));
}

TEST_CASE("magnitude pruning zeroes exactly the stated count in the block, the rest untouched") {
  const auto network = linear_mlp();
  const arma::vec before = network->parameters();
  const LayerInfo second = network->layer_info(2), third = network->layer_info(4);
  const arma::uvec pruned = prune_by_magnitude(*network, 2, 6, 5);
  CHECK(pruned.n_elem == 2 * 12 - 5);
  const arma::vec& after = network->parameters();
  const arma::span block(second.offset, third.offset + third.parameters - 1);
  CHECK(arma::accu(after(block) != 0.0) == 5);
  // The kept ones are the five largest in magnitude.
  const arma::vec magnitudes = arma::sort(arma::abs(before(block)), "descend");
  CHECK(arma::min(arma::abs(arma::nonzeros(after(block)))) == magnitudes(4));
  CHECK(arma::approx_equal(after.head(second.offset), before.head(second.offset), "absdiff", 0.0));
  CHECK(arma::approx_equal(after.tail(after.n_elem - third.offset - third.parameters),
                           before.tail(before.n_elem - third.offset - third.parameters), "absdiff", 0.0));
}

TEST_CASE("low-rank weights have the stated rank and parameter count") {
  const auto network = network_of(std::make_unique<Dense>(5, 4), std::make_unique<Activation>(ActivationKind::relu, 4),
                                  std::make_unique<Dense>(4, 6), std::make_unique<Activation>(ActivationKind::relu, 6),
                                  std::make_unique<Dense>(6, 2));
  CHECK(low_rank_parameter_count(*network, 2, 4, 1) == 1 * (6 + 4) + 6);
  CHECK(low_rank_parameter_count(*network, 2, 4, 3) == 6 * 4 + 6);  // factors would be larger than W
  CHECK(truncate_dense_weights(*network, 0, 5, 1) == (5 + 4 + 4) + (4 + 6 + 6) + (6 + 2 + 2));
  for (arma::uword l : {0, 2, 4}) {
    const LayerInfo info = network->layer_info(l);
    const arma::mat w =
        arma::reshape(network->parameters().subvec(info.offset, info.offset + info.outputs * info.inputs - 1),
                      info.outputs, info.inputs);
    CHECK(arma::rank(w) == 1);
  }
}

namespace {

// A Yin-Yang mlp whose second hidden layer is affine (identity activation):
// the block from hidden state 1 to 2 is x ↦ W x + b, spliced exactly by [1; x].
Config compression_config(const std::string& options) {
  return Config::parse(
      "dataset: {name: yinyang, train_size: 300, validation_size: 0, test_size: 200}\n"
      "network: {name: mlp, layers: [4, 16, 16, 16, 3], activation: [relu, identity, relu], init: he}\n"
      "observable: {name: polynomial, degree: 1, constant: true}\n"
      "application:\n"
      "  name: koopman_compression\n"
      "  train: {name: train, epochs: 5, batch_size: 30, optimizer: {name: adam, lr: 0.01}}\n"
      "  fine_tune: {epochs: 1, batch_size: 30, optimizer: {name: adam, lr: 0.01}}\n" +
          options,
      "test.yaml");
}

}  // namespace

TEST_CASE("koopman_compression: an affine block splices exactly; baselines keep the Koopman block's count") {
  const RunContext whole = testing::run_application(compression_config("  replace: {from: 1, to: 2}\n"), 3);
  using testing::metric;
  CHECK(metric(whole, "koopman_state_error") < 1e-10);
  CHECK(metric(whole, "koopman_test_accuracy") == metric(whole, "original_test_accuracy"));
  CHECK(metric(whole, "block_parameters") == 16 * 17);
  CHECK(metric(whole, "koopman_parameters") == 16 * 17);  // D K: 16 × 17 for [1; x]
  CHECK(metric(whole, "compression_ratio") == 1.0);

  // Two layers (one ReLU inside) at rank 4: (16 + 17) · 4 parameters.
  const RunContext low = testing::run_application(compression_config("  replace: {from: 1, to: 3}\n  rank: 4\n"), 3);
  CHECK(metric(low, "koopman_parameters") == (16 + 17) * 4);
  CHECK(metric(low, "compression_ratio") == doctest::Approx(2.0 * 16 * 17 / ((16 + 17) * 4.0)));
  CHECK(metric(low, "spliced_network_parameters") ==
        metric(low, "network_parameters") - 2 * 16 * 17 + metric(low, "koopman_parameters"));
  CHECK(metric(low, "pruned_parameters") == metric(low, "koopman_parameters"));
  CHECK(metric(low, "low_rank_parameters") <= metric(low, "koopman_parameters"));
  CHECK(metric(low, "narrow_parameters") <= metric(low, "spliced_network_parameters"));
  CHECK(metric(low, "narrow_width") >= 1);
  CHECK(metric(low, "original_from_cache") == 0);
  for (const char* name : {"koopman_test_accuracy", "pruned_test_accuracy", "pruned_tuned_test_accuracy",
                           "low_rank_test_accuracy", "narrow_test_accuracy"})
    CHECK(std::isfinite(metric(low, name)));
}

TEST_CASE("koopman_compression: the train section is checked when the application is built") {
  using testing::contains, testing::error_of, testing::make;
  const std::string start = "name: koopman_compression\nreplace: {from: 1, to: 2}\n";
  CHECK(error_of<ConfigError>([&] { make<Application>(start); }).empty());  // a loaded network needs none
  CHECK(contains(error_of<ConfigError>(
                     [&] { make<Application>(start + "train: {name: train, epoch: 3, optimizer: {name: adam}}"); }),
                 "did you mean 'epochs'"));
  CHECK(contains(error_of<ConfigError>([&] {
                   make<Application>(start + "train: {name: train, optimizer: {name: adam}}\ndecoder: modes\nrank: 3");
                 }),
                 "rank"));
}
