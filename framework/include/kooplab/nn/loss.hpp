#pragma once
// Losses on a batch of network outputs (one sample per column), averaged as PyTorch does.
#include <armadillo>

#include "kooplab/options.hpp"

namespace kooplab {

// cross_entropy: softmax of the outputs (logits) against target distributions
// (one-hot for classes), mean over samples. mse: mean over all k·m entries.
enum class LossKind { cross_entropy, mse };
const Words<LossKind>& loss_words();

double loss_value(LossKind kind, const arma::mat& outputs, const arma::mat& targets);
// Returns the loss and writes dL/d(outputs) into `delta` (resized only when needed).
double loss_and_delta(LossKind kind, const arma::mat& outputs, const arma::mat& targets, arma::mat& delta);

}  // namespace kooplab
