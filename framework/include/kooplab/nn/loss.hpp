#pragma once
// Losses on a batch of network outputs (one sample per column), averaged as
// PyTorch does, as configurable objects. A network's `loss` key takes a word
// (`loss: mse`) or a section with parameters:
//
//   loss: {name: sobolev_layers, scale: linear, index: -0.5, output_weight: 1}
//
// A loss may ask for auxiliary linear heads f_ℓ = C_ℓ z_ℓ on the hidden layers
// (koopman-mode-analysis.md, Sec. 6, Sobolev loss 1); the network owns their
// parameters and passes their outputs to the loss.
#include <armadillo>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kooplab/config.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

// cross_entropy: softmax of the outputs (logits) against target distributions
// (one-hot for classes), mean over samples. mse: mean over all k·m entries.
// huber: torch.nn.HuberLoss(delta), mean over all k·m entries of ½r² where
// |r| ≤ δ and δ(|r| − ½δ) beyond (r = output − target).
// sobolev_layers, sobolev_output: Eqs. (7) and (8) (kooplab/nn/sobolev_loss.hpp).
enum class LossKind { cross_entropy, mse, huber, sobolev_layers, sobolev_output };
const Words<LossKind>& loss_words();

// DataError unless outputs and targets have the same shape.
void check_loss_shapes(const arma::mat& outputs, const arma::mat& targets);

// The pointwise losses (cross_entropy, mse); DataError for the others.
double loss_value(LossKind kind, const arma::mat& outputs, const arma::mat& targets);
// Returns the loss and writes dL/d(outputs) into `delta` (resized only when needed).
double loss_and_delta(LossKind kind, const arma::mat& outputs, const arma::mat& targets, arma::mat& delta);

// The Huber loss with threshold δ > 0; with `delta` given, writes dL/d(outputs)
// into it: r/(k·m) where |r| ≤ δ, δ·sign(r)/(k·m) beyond.
double huber_loss(const arma::mat& outputs, const arma::mat& targets, double delta, arma::mat* gradient = nullptr);

// The scale s(ℓ) of layer ℓ: ℓ or 2^ℓ.
enum class SobolevScale { linear, exponential };

struct LossOptions {
  LossKind kind = LossKind::cross_entropy;
  SobolevScale scale = SobolevScale::linear;
  double index = -0.5;         // Sobolev index: weights (1 + (2π‖k‖₂)²)^index
  double output_weight = 1.0;  // sobolev_layers: weight of the MSE of the network's output
  arma::uword scales = 0;      // sobolev_output: scales ℓ = 0..scales−1 (0: one per dense layer)
  double delta = 1.0;          // huber: where the quadratic part ends

  LossOptions() = default;
  LossOptions(LossKind kind_) : kind(kind_) {}  // NOLINT(google-explicit-constructor): a loss without parameters

  // The keys of the section form (`name` and the parameters).
  static const Options<LossOptions>& options();
  // Reads `key` of `section`: a word, or a section with `name` and parameters.
  static LossOptions read(const Config& section, std::string_view key, LossOptions fallback);
  // The documentation row of `key` in a plugin's listing, naming the parameters.
  static OptionDoc doc(const std::string& key, LossKind fallback, const std::string& doc);
};

class Loss {
 public:
  virtual ~Loss();
  // One line naming the loss and its parameters (part of a network's description).
  virtual std::string describe() const = 0;
  // Loss of the outputs alone: what evaluation reports (for a loss with heads,
  // its output term).
  virtual double value(const arma::mat& outputs, const arma::mat& targets) const = 0;
  // The training loss of a batch: outputs, and `heads` (f_ℓ for each hidden
  // layer, when uses_heads()) of the same shape. Writes dL/d(outputs) into
  // `delta` and dL/d(f_ℓ) into `head_deltas`.
  virtual double value_and_delta(const arma::mat& outputs, const std::vector<arma::mat>& heads,
                                 const arma::mat& targets, arma::mat& delta,
                                 std::vector<arma::mat>& head_deltas) const = 0;
  virtual bool uses_heads() const { return false; }
};

// The loss `options` describes, for a network of `hidden_layers` hidden layers.
std::unique_ptr<Loss> make_loss(const LossOptions& options, arma::uword hidden_layers);

}  // namespace kooplab
