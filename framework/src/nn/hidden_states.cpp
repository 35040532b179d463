#include "kooplab/nn/hidden_states.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"

namespace kooplab {

const Words<ActivationSite>& activation_site_words() {
  static const Words<ActivationSite> words{{"pre_activation", ActivationSite::pre},
                                           {"post_activation", ActivationSite::post}};
  return words;
}

std::vector<arma::uword> hidden_state_stages(const Network& network, ActivationSite site) {
  std::vector<arma::uword> stages{0};
  const arma::uword count = network.layer_count();
  for (arma::uword l = 0; l < count; ++l) {
    if (network.layer_info(l).parameters == 0) continue;
    const bool activated = l + 1 < count && network.layer_info(l + 1).elementwise;
    stages.push_back(site == ActivationSite::post && activated ? l + 2 : l + 1);
  }
  return stages;
}

namespace {

// Width of the state produced by the first `stage` stages.
arma::uword width_after(const Network& network, arma::uword stage) {
  return stage == 0 ? network.input_size() : network.layer_info(stage - 1).outputs;
}

}  // namespace

LayerBlock layer_block(const Network& network, const BlockSpan& span, const std::string& where) {
  const std::vector<arma::uword> stages = hidden_state_stages(network, span.site);
  const arma::uword last = stages.size() - 1;
  if (span.to > last)
    throw ConfigError(fmt::format("{}.to: hidden state {} does not exist; {} has states 0 (input) to {} (output)",
                                  where, span.to, network.identity(), last));
  if (span.from >= span.to)
    throw ConfigError(fmt::format("{}.from: {} must come before to ({})", where, span.from, span.to));
  const arma::uword stride = span.stride == 0 ? span.to - span.from : span.stride;
  if ((span.to - span.from) % stride != 0)
    throw ConfigError(fmt::format("{}.stride: {} does not divide to − from = {}", where, stride, span.to - span.from));

  LayerBlock block;
  block.first_stage = stages[span.from];
  block.last_stage = stages[span.to];
  for (arma::uword k = span.from; k <= span.to; k += stride) block.recorded_stages.push_back(stages[k]);
  block.width = width_after(network, block.first_stage);
  for (std::size_t i = 1; i < block.recorded_stages.size(); ++i) {
    const arma::uword width = width_after(network, block.recorded_stages[i]);
    if (width != block.width)
      throw ConfigError(
          fmt::format("{}.stride: a Koopman operator maps a state to one of the same size, but hidden "
                      "state {} has {} values and state {} has {}; choose from/to/stride over equal widths",
                      where, span.from, block.width, span.from + i * stride, width));
  }
  for (arma::uword l = block.first_stage; l < block.last_stage; ++l)
    block.parameters += network.layer_info(l).parameters;
  return block;
}

Trajectories activation_trajectories(Network& network, const arma::mat& inputs, const LayerBlock& block,
                                     arma::uword chunk) {
  if (inputs.n_rows != network.input_size())
    throw DataError(
        fmt::format("{}: takes {} inputs per sample, got {}", network.identity(), network.input_size(), inputs.n_rows));
  const arma::uword states = block.recorded_stages.size();
  Trajectories data;
  data.runs.assign(inputs.n_cols, arma::mat(block.width, states));
  for (arma::uword start = 0; start < inputs.n_cols; start += chunk) {
    const arma::uword end = std::min(inputs.n_cols, start + chunk) - 1;
    arma::mat state = network.forward_range(inputs.cols(start, end), 0, block.recorded_stages.front());
    for (arma::uword k = 0; k < states; ++k) {
      if (k > 0) state = network.forward_range(state, block.recorded_stages[k - 1], block.recorded_stages[k]);
      for (arma::uword j = 0; j < state.n_cols; ++j) data.runs[start + j].col(k) = state.col(j);
    }
  }
  return data;
}

}  // namespace kooplab
