#pragma once
// The "scaled" network of layers-as-linear-operations.md (its authors' code,
// niniack/learningdynamics): after hidden state k of a trained network (read
// after its activation, width d), `blocks` layers Dense(d, d) + ReLU are
// inserted in front of the network's next dense layer, which stays frozen
// with its activation. Only the inserted layers train, so that the frozen
// layer's output reproduces the original network's hidden state k + 1, under
// a Huber loss. The chain's states — its input x_k, the output of every
// inserted layer and the frozen layer's output — are a trajectory in depth of
// blocks + 2 states, the depth a Koopman model then simulates.
//
// The chain is trained on the states x_k of the original network: the frozen
// layers before it are deterministic, so this is the authors' training of the
// whole scaled network without running its first layers every epoch.
#include <armadillo>
#include <memory>
#include <string>

#include "kooplab/network.hpp"
#include "kooplab/nn/sequential.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_section.hpp"
#include "kooplab/options.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

struct InsertionOptions {
  arma::uword blocks = 10;
  arma::uword epochs = 100;
  double bias = 0.01;        // initial bias of the inserted layers (weights He-normal, as init_weights)
  double huber_delta = 1.0;  // torch.nn.HuberLoss(delta=1)
  TrainingSection training;  // batch 4096, AdamW lr 3e-3, betas (0.9, 0.99), weight decay 0.01
  InsertionOptions();
  static const Options<InsertionOptions>& options();
};

class InsertedLayers {
 public:
  // The chain after hidden state `after` of `network`. Throws ConfigError
  // naming `where` when that state is the input or the output, or when the
  // next layer is not dense followed by a ReLU.
  InsertedLayers(const Network& network, arma::uword after, const InsertionOptions& options, Rng& rng,
                 const std::string& where);

  // The network's stages the chain stands for: [first_stage, last_stage),
  // the next dense layer and its activation.
  arma::uword first_stage() const { return first_stage_; }
  arma::uword last_stage() const { return last_stage_; }
  arma::uword width() const { return width_; }          // d
  arma::uword out_width() const { return out_width_; }  // of hidden state k + 1
  arma::uword states() const { return options_.blocks + 2; }

  // Trains the inserted layers on states x_k (columns) against the original
  // network's x_{k+1}; the frozen layer is held at the network's values.
  TrainingOutcome train(const arma::mat& inputs, const arma::mat& targets, Rng& rng,
                        const std::vector<TrainingObserver*>& observers = {});

  arma::mat forward(const arma::mat& inputs) { return chain_->forward(inputs); }
  // The first `count` states of each input's trajectory, stacked oldest first
  // (count · d rows; the last state, narrower, padded with `pad`).
  arma::mat stacked_states(const arma::mat& inputs, arma::uword count, double pad);
  // One trajectory (d × states()) per input column.
  std::vector<arma::mat> trajectories(const arma::mat& inputs, double pad);

  Sequential& chain() { return *chain_; }

 private:
  InsertionOptions options_;
  arma::uword first_stage_ = 0, last_stage_ = 0, width_ = 0, out_width_ = 0;
  std::unique_ptr<Sequential> chain_;
  arma::uvec frozen_;  // the frozen layer's slice of the chain's parameters
};

}  // namespace kooplab
