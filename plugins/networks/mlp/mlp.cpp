// Network `mlp`: a fully connected feed-forward network.
//
// network:
//   name: mlp
//   layers: [784, 100, 10]   # sizes from input to output (at least two)
//   activation: relu         # after each hidden layer: relu | sigmoid | tanh | identity,
//                            # or a list with one entry per hidden layer
//   output: identity         # after the last layer (cross_entropy wants raw logits)
//   loss: cross_entropy      # cross_entropy (softmax) | mse
//   init: he                 # he | xavier | normal
//
// Stages (for activations / replacement): dense, activation, dense, ..., dense
// [, output activation unless identity].
#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/nn/sequential.hpp"

namespace {

using kooplab::ActivationKind;

std::vector<std::unique_ptr<kooplab::Layer>> build(const kooplab::Config& section) {
  const std::vector<int> sizes = section.get<std::vector<int>>("layers");
  if (sizes.size() < 2) section.fail("layers", "needs at least an input and an output size");
  for (const int size : sizes)
    if (size <= 0) section.fail("layers", "sizes must be positive");
  const std::size_t hidden = sizes.size() - 2;

  std::vector<ActivationKind> activations(hidden, ActivationKind::relu);
  if (section.has("activation")) {
    const std::string where = section.location_of("activation");
    if (section.node()["activation"].IsSequence()) {
      const auto words = section.get<std::vector<std::string>>("activation");
      if (words.size() != hidden)
        section.fail("activation", fmt::format("lists {} activations for {} hidden layers", words.size(), hidden));
      for (std::size_t i = 0; i < hidden; ++i) activations[i] = kooplab::parse_activation(words[i], where);
    } else {
      activations.assign(hidden, kooplab::parse_activation(section.get<std::string>("activation"), where));
    }
  }
  const ActivationKind output =
      kooplab::parse_activation(section.get_or<std::string>("output", "identity"), section.location_of("output"));

  std::vector<std::unique_ptr<kooplab::Layer>> layers;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    layers.push_back(std::make_unique<kooplab::Dense>(sizes[i], sizes[i + 1]));
    const ActivationKind kind = i < hidden ? activations[i] : output;
    if (i < hidden || kind != ActivationKind::identity)
      layers.push_back(std::make_unique<kooplab::Activation>(kind, sizes[i + 1]));
  }
  return layers;
}

class Mlp : public kooplab::Sequential {
 public:
  explicit Mlp(const kooplab::Config& section)
      : Sequential(build(section),
                   kooplab::parse_loss(section.get_or<std::string>("loss", "cross_entropy"), section.location_of("loss")),
                   kooplab::parse_init(section.get_or<std::string>("init", "he"), section.location_of("init"))) {}
};

}  // namespace

KOOPLAB_PLUGIN(Mlp, kooplab::Network, "mlp",
               "Fully connected network: any layer sizes, relu/sigmoid/tanh/identity, cross-entropy or MSE")
