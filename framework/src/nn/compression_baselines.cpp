#include "kooplab/nn/compression_baselines.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/koopman_block.hpp"

namespace kooplab {

namespace {

arma::uvec block_indices(const Network& network, arma::uword first, arma::uword last) {
  std::vector<arma::uword> indices;
  for (arma::uword l = first; l < last; ++l) {
    const LayerInfo info = network.layer_info(l);
    for (arma::uword i = 0; i < info.parameters; ++i) indices.push_back(info.offset + i);
  }
  return arma::uvec(indices);
}

}  // namespace

arma::uvec prune_by_magnitude(Network& network, arma::uword first, arma::uword last, arma::uword keep) {
  const arma::uvec candidates = block_indices(network, first, last);
  if (keep >= candidates.n_elem) return {};
  arma::vec& parameters = network.parameters();
  const arma::uvec order = arma::stable_sort_index(arma::abs(parameters(candidates)), "descend");
  const arma::uvec pruned = arma::sort(candidates(order.tail(candidates.n_elem - keep)));
  parameters(pruned).zeros();
  return pruned;
}

arma::uword low_rank_parameter_count(const Network& network, arma::uword first, arma::uword last, arma::uword rank) {
  arma::uword count = 0;
  for (arma::uword l = first; l < last; ++l) {
    const LayerInfo info = network.layer_info(l);
    if (!info.dense) {
      count += info.parameters;
      continue;
    }
    const arma::uword full = info.outputs * info.inputs;
    count += std::min(full, rank * (info.outputs + info.inputs)) + info.outputs;
  }
  return count;
}

arma::uword truncate_dense_weights(Network& network, arma::uword first, arma::uword last, arma::uword rank) {
  arma::vec& parameters = network.parameters();
  for (arma::uword l = first; l < last; ++l) {
    const LayerInfo info = network.layer_info(l);
    if (!info.dense || rank >= std::min(info.outputs, info.inputs)) continue;
    const arma::span weights(info.offset, info.offset + info.outputs * info.inputs - 1);
    const arma::mat matrix = arma::reshape(parameters(weights), info.outputs, info.inputs);
    parameters(weights) =
        arma::vectorise(truncate_svd(matrix, rank, fmt::format("low-rank weights of layer {}", l)).product());
  }
  return low_rank_parameter_count(network, first, last, rank);
}

}  // namespace kooplab
