#include "kooplab/nn/inserted_layers.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/nn/hidden_states.hpp"

namespace kooplab {

InsertionOptions::InsertionOptions() {
  training.batch_size = 4096;
  AdamWPolicy adamw;
  adamw.adam.beta2 = 0.99;
  training.optimizer.emplace().policy = adamw;
  training.optimizer->lr = 3e-3;
}

const Options<InsertionOptions>& InsertionOptions::options() {
  static const auto options =
      Options<InsertionOptions>()
          .add("blocks", &InsertionOptions::blocks, "layers Dense(d, d) + ReLU inserted", at_least(1))
          .add("epochs", &InsertionOptions::epochs, "epochs of training the inserted layers", at_least(1))
          .add("bias", &InsertionOptions::bias, "initial bias of the inserted layers (weights He-normal)")
          .add("huber_delta", &InsertionOptions::huber_delta, "δ of the Huber loss on the frozen layer's output",
               greater_than(0))
          .include(&InsertionOptions::training, TrainingSection::options(InsertionOptions{}.training));
  return options;
}

InsertedLayers::InsertedLayers(const Network& network, arma::uword after, const InsertionOptions& options, Rng& rng,
                               const std::string& where)
    : options_(options) {
  const std::vector<arma::uword> stages = hidden_state_stages(network, ActivationSite::post);
  if (after == 0 || after + 1 >= stages.size())
    throw ConfigError(fmt::format("{}: hidden state {} has no hidden layer after it; {} has hidden states 1 to {}",
                                  where, after, network.identity(), stages.size() - 2));
  first_stage_ = stages[after];
  last_stage_ = stages[after + 1];
  const LayerInfo next = network.layer_info(first_stage_);
  if (!next.dense || last_stage_ != first_stage_ + 2 ||
      network.layer_name(first_stage_ + 1).find(":relu") == std::string::npos)
    throw ConfigError(fmt::format("{}: the layer after hidden state {} must be dense followed by relu, not {}", where,
                                  after, network.layer_name(first_stage_)));
  width_ = next.inputs;
  out_width_ = next.outputs;

  std::vector<std::unique_ptr<Layer>> layers;
  for (arma::uword b = 0; b < options_.blocks; ++b) {
    layers.push_back(std::make_unique<Dense>(width_, width_));
    layers.push_back(std::make_unique<Activation>(ActivationKind::relu, width_));
  }
  layers.push_back(std::make_unique<Dense>(width_, out_width_));
  layers.push_back(std::make_unique<Activation>(ActivationKind::relu, out_width_));
  LossOptions huber(LossKind::huber);
  huber.delta = options_.huber_delta;
  chain_ = std::make_unique<Sequential>(std::move(layers), huber, Init::he);
  chain_->initialise(rng);

  arma::vec& theta = chain_->parameters();
  for (arma::uword b = 0; b < options_.blocks; ++b) {
    const LayerInfo inserted = chain_->layer_info(2 * b);
    theta.subvec(inserted.offset + width_ * width_, inserted.offset + inserted.parameters - 1).fill(options_.bias);
  }
  const LayerInfo frozen = chain_->layer_info(2 * options_.blocks);
  theta.subvec(frozen.offset, frozen.offset + frozen.parameters - 1) =
      network.parameters().subvec(next.offset, next.offset + next.parameters - 1);
  frozen_ = arma::regspace<arma::uvec>(frozen.offset, frozen.offset + frozen.parameters - 1);
}

TrainingOutcome InsertedLayers::train(const arma::mat& inputs, const arma::mat& targets, Rng& rng,
                                      const std::vector<TrainingObserver*>& observers) {
  FrozenParameters freeze(*chain_, frozen_);
  std::vector<TrainingObserver*> all{&freeze};
  all.insert(all.end(), observers.begin(), observers.end());
  TrainingOptions loop = options_.training.loop(options_.epochs);
  loop.evaluate = false;
  const LabeledSet set{inputs, targets, {}};
  return kooplab::train(*chain_, *options_.training.make_optimizer("insert"), set, LabeledSet{}, loop, rng, all);
}

arma::mat InsertedLayers::stacked_states(const arma::mat& inputs, arma::uword count, double pad) {
  if (count == 0 || count > states())
    throw DataError(fmt::format("inserted layers: {} states asked for, the chain has {}", count, states()));
  arma::mat stacked(count * width_, inputs.n_cols, arma::fill::value(pad));
  stacked.rows(0, width_ - 1) = inputs;
  arma::mat state = inputs;
  for (arma::uword s = 1; s < count; ++s) {
    // State s is the output of stage 2s − 1 (an activation).
    state = chain_->forward_range(state, 2 * (s - 1), 2 * s);
    stacked.submat(s * width_, 0, s * width_ + state.n_rows - 1, inputs.n_cols - 1) = state;
  }
  return stacked;
}

std::vector<arma::mat> InsertedLayers::trajectories(const arma::mat& inputs, double pad) {
  const arma::mat stacked = stacked_states(inputs, states(), pad);
  std::vector<arma::mat> runs;
  runs.reserve(inputs.n_cols);
  for (arma::uword j = 0; j < inputs.n_cols; ++j) runs.push_back(arma::reshape(stacked.col(j), width_, states()));
  return runs;
}

}  // namespace kooplab
