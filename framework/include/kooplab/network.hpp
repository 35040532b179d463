#pragma once
// Network plugins: trainable models whose parameters form one flat vector, so
// optimizers, recorders and Koopman methods treat every network alike.
//
// The flat vector can also be seen in blocks (koopman-training.md, Fig. 1):
// per layer, per node (the weights and bias going into one node, Algorithm 1)
// and per single weight.
#include <armadillo>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kooplab/plugin.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

enum class BlockKind { layer, node, weight };

struct ParameterBlock {
  std::string name;    // e.g. "0:dense 784->100 node 3"
  arma::uvec indices;  // into the flat parameter vector
};

// One parameter tensor of a network, as PyTorch names and shapes it: a dense
// layer's weight is (outputs, inputs) like nn.Linear's, a convolution's
// (filters, channels, k, k) like nn.Conv2d's, a bias (outputs). Its slice of
// the flat vector holds it in C order (row-major), or column-major when
// `column_major` (a dense weight: W is outputs × inputs, column-major).
struct ParameterTensor {
  std::string name;                  // e.g. "fc1.weight"
  std::vector<arma::uword> shape;    // e.g. (100, 784): outputs first
  arma::uword offset = 0, size = 0;  // its slice of the flat vector
  bool column_major = false;
};

// One stage of a network as the layer-splicing code sees it.
struct LayerInfo {
  arma::uword inputs = 0, outputs = 0;
  arma::uword offset = 0, parameters = 0;  // its slice [offset, offset + parameters) of parameters()
  bool dense = false;                      // the slice is W (outputs × inputs, column-major), then b
  bool elementwise = false;                // an activation: no parameters, outputs = inputs
};

// A fixed map x ↦ A x + b standing in for some layers (b empty: linear map).
struct AffineMap {
  arma::mat matrix;
  arma::vec offset;
  arma::mat apply(const arma::mat& inputs) const;
};

class KOOPLAB_API Network : public Plugin {
 public:
  static constexpr const char* kind = "network";
  ~Network() override;

  virtual arma::uword input_size() const = 0;
  virtual arma::uword output_size() const = 0;
  // Draws fresh initial parameters from the run's stream.
  virtual void initialise(Rng& rng) = 0;

  // Outputs for a batch, one sample per column (d × m → k × m).
  virtual arma::mat forward(const arma::mat& inputs) = 0;
  // Mean loss of the outputs over the batch.
  virtual double loss(const arma::mat& outputs, const arma::mat& targets) const = 0;
  // Mean loss over the batch; afterwards gradient() holds its gradient with
  // respect to parameters(). Allocates nothing once the batch size repeats.
  virtual double loss_and_gradient(const arma::mat& inputs, const arma::mat& targets) = 0;
  virtual const arma::vec& gradient() const = 0;

  // The flat parameter vector; optimizers update it in place. Its length never changes.
  virtual arma::vec& parameters() = 0;
  virtual const arma::vec& parameters() const = 0;
  void set_parameters(const arma::vec& values);
  virtual std::vector<ParameterBlock> blocks(BlockKind kind) const = 0;
  // The flat vector as tensors, in order; by default one tensor "parameters".
  virtual std::vector<ParameterTensor> parameter_tensors() const;
  // A file of parameters trained elsewhere (the `weights` key of mlp and cnn),
  // which initialise() loads after drawing; none for a network drawn at random.
  virtual std::optional<std::filesystem::path> weights_file() const { return std::nullopt; }

  // Stages of the network in order (activations count as stages of their own).
  virtual arma::uword layer_count() const = 0;
  virtual std::string layer_name(arma::uword layer) const = 0;
  virtual LayerInfo layer_info(arma::uword layer) const = 0;
  // Outputs of layers [first, last) for inputs of layer `first` (first == last: the inputs).
  virtual arma::mat forward_range(const arma::mat& inputs, arma::uword first, arma::uword last) = 0;
  // [0] = inputs, [l + 1] = output of layer l, for every layer.
  virtual std::vector<arma::mat> activations(const arma::mat& inputs) = 0;
  // Outputs with layers [first, last) replaced by `map`.
  virtual arma::mat forward_replaced(const arma::mat& inputs, arma::uword first, arma::uword last,
                                     const AffineMap& map) = 0;

  // The architecture, one line; load() refuses parameters saved by another one.
  virtual std::string description() const = 0;
  void save(const std::filesystem::path& file) const;
  void load(const std::filesystem::path& file);
};

// Quasi-Node blocks (koopman-training.md, Sec. 3): each node block of the
// network's k-th layer with parameters is cut, in order (weights, then bias),
// into groups of group_sizes[k] entries; the last group of a node keeps what
// is left. A size of 0 keeps the whole node. Needs one size per layer with
// parameters; throws ConfigError otherwise.
std::vector<ParameterBlock> quasi_node_blocks(const Network& network, const std::vector<arma::uword>& group_sizes);

// Fraction of columns whose largest output is the label.
double accuracy(const arma::mat& outputs, const arma::uvec& labels);

}  // namespace kooplab
