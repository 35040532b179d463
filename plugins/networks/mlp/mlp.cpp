// Network `mlp`: a fully connected feed-forward network. Layer sizes run from
// input to output; each hidden layer is followed by its activation and the
// last one by `output` (identity by default: cross_entropy wants raw logits).
// `kooplab plugins mlp` lists the keys.
//
// Stages (for activations / replacement): dense, activation, dense, ..., dense
// [, output activation unless identity]. `weights` loads parameters trained
// elsewhere (kooplab/nn/parameter_file.hpp): stage l's are "l.weight" (outputs,
// inputs) and "l.bias", the names nn.Sequential(nn.Linear, nn.ReLU, ...) gives.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "kooplab/memory_check.hpp"
#include "kooplab/nn/parameter_file.hpp"
#include "kooplab/nn/sequential.hpp"

namespace {

using kooplab::ActivationKind;

struct MlpOptions {
  std::vector<int> layers;
  std::vector<ActivationKind> activations;  // one per hidden layer
  ActivationKind output = ActivationKind::identity;
  kooplab::LossOptions loss = kooplab::LossKind::cross_entropy;
  kooplab::Init init = kooplab::Init::he;
  std::optional<double> bias;  // every dense layer's initial bias, in place of the init's
  std::optional<std::filesystem::path> weights;
  kooplab::Precision precision = kooplab::Precision::float64;
};

// Refuses layer sizes whose parameters, with their gradient and an optimizer's
// two moments, exceed the memory budget, before any is allocated.
const MlpOptions& within_memory(const kooplab::Config& section, const MlpOptions& options) {
  double parameters = 0;
  for (std::size_t l = 0; l + 1 < options.layers.size(); ++l)
    parameters += (double(options.layers[l]) + 1.0) * double(options.layers[l + 1]);
  kooplab::check_memory(section, "layers", 4.0 * 8.0 * parameters,
                        fmt::format("{:.0f} parameters (with gradient and optimizer state)", parameters));
  return options;
}

// `activation`: one word for every hidden layer (relu when absent), or a list
// with one per hidden layer. Reads after `layers`, which gives their number.
void read_activations(const kooplab::Config& section, MlpOptions& options) {
  const std::size_t hidden = options.layers.size() - 2;
  const auto& words = kooplab::activation_words();
  if (!section.is_list("activation")) {
    options.activations.assign(hidden, kooplab::read_word(section, "activation", words, ActivationKind::relu));
    return;
  }
  const auto listed = section.get<std::vector<std::string>>("activation");
  if (listed.size() != hidden)
    section.fail("activation", fmt::format("lists {} activations for {} hidden layers", listed.size(), hidden));
  options.activations.clear();
  for (std::size_t i = 0; i < hidden; ++i) {
    const std::string key = fmt::format("activation[{}]", i);
    options.activations.push_back(
        kooplab::parse_word(words, listed[i], section.location_of(key) + ": " + section.key_path(key)));
  }
}

std::vector<std::unique_ptr<kooplab::Layer>> build(const MlpOptions& options) {
  const std::vector<int>& sizes = options.layers;
  const std::size_t hidden = sizes.size() - 2;
  std::vector<std::unique_ptr<kooplab::Layer>> layers;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    layers.push_back(std::make_unique<kooplab::Dense>(sizes[i], sizes[i + 1]));
    const ActivationKind kind = i < hidden ? options.activations[i] : options.output;
    if (i < hidden || kind != ActivationKind::identity)
      layers.push_back(std::make_unique<kooplab::Activation>(kind, sizes[i + 1]));
  }
  return layers;
}

class Mlp : public kooplab::Sequential {
 public:
  static const kooplab::Options<MlpOptions>& options() {
    const auto& activations = kooplab::activation_words();
    static const auto options =
        kooplab::Options<MlpOptions>()
            .require("layers", &MlpOptions::layers, "sizes from input to output",
                     kooplab::Check<std::vector<int>>(
                         [](const std::vector<int>& sizes) {
                           return sizes.size() >= 2 && std::ranges::all_of(sizes, [](int size) { return size >= 1; });
                         },
                         "of two or more sizes ≥ 1"))
            .custom({"activation", kooplab::word_list(kooplab::words_of(activations)) + ", or a list of them", "relu",
                     "after each hidden layer: one for all, or one per hidden layer"},
                    read_activations)
            .choice("output", &MlpOptions::output, activations, "after the last layer")
            .custom(kooplab::LossOptions::doc("loss", MlpOptions{}.loss.kind,
                                              "cross_entropy (softmax of the outputs), mse, or a Sobolev loss"),
                    [](const kooplab::Config& section, MlpOptions& options) {
                      options.loss = kooplab::LossOptions::read(section, "loss", options.loss);
                    })
            .choice("init", &MlpOptions::init, kooplab::init_words(), kooplab::init_doc())
            .add("bias", &MlpOptions::bias,
                 "initial bias of every dense layer instead of the init's (0.01 with he: PyTorch's kaiming_normal_ "
                 "and bias.fill_(0.01))")
            .add("weights", &MlpOptions::weights, kooplab::weights_doc)
            .choice("precision", &MlpOptions::precision, kooplab::precision_words(), kooplab::precision_doc());
    return options;
  }

  explicit Mlp(const kooplab::Config& section) : Mlp(within_memory(section, options().read(section))) {}

 protected:
  void draw(kooplab::Rng& rng) override {
    Sequential::draw(rng);
    if (!bias_) return;
    for (arma::uword l = 0; l < layer_count(); ++l)
      if (const kooplab::LayerInfo info = layer_info(l); info.dense)
        parameters().subvec(info.offset + info.inputs * info.outputs, info.offset + info.parameters - 1).fill(*bias_);
  }

 private:
  explicit Mlp(const MlpOptions& options)
      : Sequential(build(options), options.loss, options.init, options.weights, options.precision),
        bias_(options.bias) {}
  std::optional<double> bias_;
};

}  // namespace

KOOPLAB_PLUGIN(Mlp, kooplab::Network, "mlp",
               "Fully connected network: any layer sizes, relu/sigmoid/tanh/identity, cross-entropy or MSE")
