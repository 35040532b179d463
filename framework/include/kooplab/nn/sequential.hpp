#pragma once
// A network that is a chain of layers with one loss: the base of the mlp and
// cnn plugins. Owns the flat parameter/gradient vectors and the per-layer
// workspace reused across steps. When the loss asks for heads, a dense head
// z_ℓ ↦ C_ℓ z_ℓ + c_ℓ (as many outputs as the network) reads each hidden layer's
// output z_ℓ, the input of every dense layer after the first; the heads'
// parameters follow the layers' in the flat vector.
//
// With a weights file (nn/parameter_file.hpp) initialise() loads the
// parameters trained elsewhere after drawing, so the run's stream advances as
// for a drawn network.
//
// In float32 precision the forward and backward passes run through the
// layers' single-precision twins on a float copy of the parameters, refreshed
// before each pass; the loss, the gradient handed to the optimizer and the
// forward mode (forward_tangent) stay in double.
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "kooplab/network.hpp"
#include "kooplab/nn/layers.hpp"
#include "kooplab/nn/loss.hpp"

namespace kooplab {

// A network's layers (and heads) with the workspace of their passes, in one precision.
template <typename T>
struct LayerChain {
  std::vector<std::unique_ptr<BasicLayer<T>>> layers;
  std::vector<std::unique_ptr<BasicDense<T>>> heads;  // empty unless the loss uses heads
  std::vector<arma::Mat<T>> outputs, deltas;          // per layer
  std::vector<arma::Mat<T>> head_outputs, head_deltas;
  arma::Mat<T> head_grad_in, chunk;
};

class Sequential : public Network {
 public:
  // Consecutive layers must agree in size; throws ConfigError otherwise.
  Sequential(std::vector<std::unique_ptr<Layer>> layers, const LossOptions& loss, Init init,
             std::optional<std::filesystem::path> weights = std::nullopt, Precision precision = Precision::float64);

  arma::uword input_size() const override { return chain_.layers.front()->input_size(); }
  arma::uword output_size() const override { return chain_.layers.back()->output_size(); }
  void initialise(Rng& rng) final;

  arma::mat forward(const arma::mat& inputs) override;
  double loss(const arma::mat& outputs, const arma::mat& targets) const override;
  double loss_and_gradient(const arma::mat& inputs, const arma::mat& targets) override;
  const arma::vec& gradient() const override { return gradient_; }

  arma::vec& parameters() override { return parameters_; }
  const arma::vec& parameters() const override { return parameters_; }
  std::vector<ParameterBlock> blocks(BlockKind kind) const override;
  // Stage l's tensors are "l.weight" and "l.bias" (nn.Sequential's names for
  // the same stages), the heads' "heads.h.weight" and "heads.h.bias".
  std::vector<ParameterTensor> parameter_tensors() const override;
  std::optional<std::filesystem::path> weights_file() const override { return weights_; }

  arma::uword layer_count() const override { return chain_.layers.size(); }
  std::string layer_name(arma::uword layer) const override;
  LayerInfo layer_info(arma::uword layer) const override;
  // Runs in chunks of columns, bounding the workspace.
  arma::mat forward_range(const arma::mat& inputs, arma::uword first, arma::uword last) override;
  std::vector<arma::mat> activations(const arma::mat& inputs) override;
  arma::mat forward_replaced(const arma::mat& inputs, arma::uword first, arma::uword last,
                             const AffineMap& map) override;

  std::string description() const override;

  // Forward mode through every layer: the outputs and their derivative along
  // `direction` (d × m, one per sample), e.g. d/dt of a network of t. Layers
  // without a forward mode throw DataError. The pass is kept for backward_tangent.
  struct Tangent {
    const arma::mat& outputs;
    const arma::mat& derivative;
  };
  Tangent forward_tangent(const arma::mat& inputs, const arma::mat& direction);
  // After forward_tangent on the same inputs and direction: gradient() becomes
  // the gradient of a loss from dL/d(outputs) and dL/d(derivative).
  void backward_tangent(const arma::mat& inputs, const arma::mat& direction, const arma::mat& grad_outputs,
                        const arma::mat& grad_derivative);

 protected:
  // Draws the parameters by the init; a network with its own initial values overrides it.
  virtual void draw(Rng& rng);

 private:
  // The float32 passes: the layers' twins, bound to a float copy of the
  // parameters, and the loss's double side of their outputs.
  struct SinglePrecision {
    LayerChain<float> chain;
    arma::fvec parameters, gradient;
    arma::mat outputs, delta;
    std::vector<arma::mat> heads, head_deltas;
  };
  // Forward over layers [first, last) in chunks of columns, into `result`.
  template <typename T>
  void forward_chunks(LayerChain<T>& chain, const arma::mat& inputs, arma::uword first, arma::uword last,
                      arma::mat& result);
  // Forward and backward of one batch; returns the loss, leaves the gradient in the chain's layers.
  template <typename T>
  double train_pass(LayerChain<T>& chain, const arma::Mat<T>& inputs, const arma::mat& targets);
  // The loss of the chain's outputs (and heads); writes the deltas of the last layer and the heads.
  template <typename T>
  double loss_and_deltas(LayerChain<T>& chain, const arma::mat& targets);
  // Builds single_: the layers' and heads' twins, bound to the float copy.
  void make_single_precision();

  LayerChain<double> chain_;
  std::unique_ptr<SinglePrecision> single_;  // set in float32 precision
  std::vector<arma::uword> offsets_;         // start of each layer's slice
  std::unique_ptr<Loss> loss_;
  Init init_;
  std::optional<std::filesystem::path> weights_;
  std::vector<arma::uword> taps_;  // stage whose output each head reads
  std::vector<arma::uword> head_offsets_;
  arma::vec parameters_, gradient_;
  std::vector<arma::mat> tangents_, tangent_deltas_;  // per layer, forward mode
};

}  // namespace kooplab
