#pragma once
// A trained network's forward pass as a dynamical system in depth: the state
// is a hidden activation vector, a layer with parameters is one time step.
// Hidden state 0 is the input; state k is the output of the k-th layer with
// parameters, read before its activation (pre) or after it (post; the same
// when no activation follows, as for the logits).
//
// A LayerBlock is the run of layers between hidden states `from` and `to`,
// recorded every `stride` states: its trajectories (one per sample) are what
// an estimator fits, and its stages are what a fitted model replaces.
#include <armadillo>
#include <string>
#include <vector>

#include "kooplab/network.hpp"
#include "kooplab/options.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

enum class ActivationSite { pre, post };
const Words<ActivationSite>& activation_site_words();  // pre_activation, post_activation

// For each hidden state k, the number of stages that produce it (0 for the input).
std::vector<arma::uword> hidden_state_stages(const Network& network, ActivationSite site);

struct BlockSpan {
  arma::uword from = 1, to = 2;  // hidden states: the layers between them are replaced
  arma::uword stride = 0;        // hidden states per step; 0: one step from `from` to `to`
  ActivationSite site = ActivationSite::post;
};

struct LayerBlock {
  arma::uword first_stage = 0, last_stage = 0;  // the stages [first, last) replaced
  std::vector<arma::uword> recorded_stages;     // producing each recorded state (steps + 1)
  arma::uword width = 0;                        // of every recorded state
  arma::uword parameters = 0;                   // of the replaced stages

  arma::uword steps() const { return recorded_stages.size() - 1; }
};

// Checks the span against the network and resolves it. Throws ConfigError
// naming `where`.from / .to / .stride: states out of range, from ≥ to, a
// stride that does not divide to − from, recorded states of unequal widths.
LayerBlock layer_block(const Network& network, const BlockSpan& span, const std::string& where);

// One trajectory per input column: its recorded hidden states, steps + 1
// columns. The network runs `chunk` samples at a time and only the recorded
// states are kept, so memory is the result (samples × (steps + 1) × width
// doubles) plus one chunk's activations.
Trajectories activation_trajectories(Network& network, const arma::mat& inputs, const LayerBlock& block,
                                     arma::uword chunk = 2048);

// Network outputs with the block's stages replaced by `surrogate` (a map of
// states, one per column, width → width).
template <class Map>
arma::mat forward_spliced(Network& network, const arma::mat& inputs, const LayerBlock& block, const Map& surrogate) {
  return network.forward_range(surrogate(network.forward_range(inputs, 0, block.first_stage)), block.last_stage,
                               network.layer_count());
}

}  // namespace kooplab
