// Network `cnn`: the convolutional classifier of koopman-mode-analysis.md §3:
// conv 5×5 ×16 → relu → max-pool 2 → conv 5×5 ×32 → relu → max-pool 2 →
// dense 100 → relu → dense 10, softmax cross-entropy. With 28×28 inputs and no
// padding the feature maps are 16×24×24 → 16×12×12 → 32×8×8 → 32×4×4. Each
// entry of `filters` is one convolution (+ relu + pool), each entry of `hidden`
// one dense layer + relu before the output; `kooplab plugins cnn` lists the keys.
// `weights` loads parameters trained elsewhere (kooplab/nn/parameter_file.hpp):
// stage l's are "l.weight" and "l.bias" in PyTorch's shapes; images and
// feature maps are flattened as torch.flatten does (channel, row, column).
#include <algorithm>
#include <optional>

#include "kooplab/error.hpp"
#include "kooplab/nn/parameter_file.hpp"
#include "kooplab/nn/sequential.hpp"

namespace {

struct CnnOptions {
  std::vector<int> input{1, 28, 28};
  std::vector<int> filters{16, 32};
  arma::uword kernel = 5;
  arma::uword padding = 0;
  arma::uword pool = 2;
  std::vector<int> hidden{100};
  arma::uword classes = 10;
  kooplab::Init init = kooplab::Init::he;
  std::optional<std::filesystem::path> weights;
  kooplab::Precision precision = kooplab::Precision::float64;
};

std::vector<std::unique_ptr<kooplab::Layer>> build(const kooplab::Config& section, const CnnOptions& options) {
  kooplab::ImageShape shape{arma::uword(options.input[0]), arma::uword(options.input[1]),
                            arma::uword(options.input[2])};
  std::vector<std::unique_ptr<kooplab::Layer>> layers;
  try {
    for (const int count : options.filters) {
      auto conv = std::make_unique<kooplab::Conv2d>(shape, arma::uword(count), options.kernel, options.padding);
      shape = conv->output_shape();
      layers.push_back(std::move(conv));
      layers.push_back(std::make_unique<kooplab::Activation>(kooplab::ActivationKind::relu, shape.size()));
      auto pooling = std::make_unique<kooplab::MaxPool2d>(shape, options.pool);
      shape = pooling->output_shape();
      layers.push_back(std::move(pooling));
    }
  } catch (const kooplab::ConfigError& error) {
    section.fail("filters", error.what());
  }
  arma::uword width = shape.size();
  for (const int size : options.hidden) {
    layers.push_back(std::make_unique<kooplab::Dense>(width, arma::uword(size)));
    width = arma::uword(size);
    layers.push_back(std::make_unique<kooplab::Activation>(kooplab::ActivationKind::relu, width));
  }
  layers.push_back(std::make_unique<kooplab::Dense>(width, options.classes));
  return layers;
}

class Cnn : public kooplab::Sequential {
 public:
  static const kooplab::Options<CnnOptions>& options() {
    static const auto options =
        kooplab::Options<CnnOptions>()
            .add("input", &CnnOptions::input, "channels, height, width of an image",
                 kooplab::Check<std::vector<int>>(
                     [](const std::vector<int>& shape) {
                       return shape.size() == 3 && std::ranges::all_of(shape, [](int size) { return size >= 1; });
                     },
                     "of three sizes ≥ 1"))
            .add("filters", &CnnOptions::filters, "kernels of each convolution (+ relu + pool)",
                 kooplab::each_at_least(1))
            .add("kernel", &CnnOptions::kernel, "kernel size k (k × k)", kooplab::at_least(1))
            .add("padding", &CnnOptions::padding, "zero padding of each convolution", kooplab::at_least(0))
            .add("pool", &CnnOptions::pool, "max-pooling size", kooplab::at_least(1))
            .add("hidden", &CnnOptions::hidden, "dense layers before the output, each followed by relu",
                 kooplab::each_at_least(1))
            .add("classes", &CnnOptions::classes, "outputs (softmax cross-entropy)", kooplab::at_least(1))
            .choice("init", &CnnOptions::init, kooplab::init_words(), kooplab::init_doc())
            .add("weights", &CnnOptions::weights, kooplab::weights_doc)
            .choice("precision", &CnnOptions::precision, kooplab::precision_words(), kooplab::precision_doc());
    return options;
  }

  explicit Cnn(const kooplab::Config& section) : Cnn(section, options().read(section)) {}

 private:
  Cnn(const kooplab::Config& section, const CnnOptions& options)
      : Sequential(build(section, options), kooplab::LossKind::cross_entropy, options.init, options.weights,
                   options.precision) {}
};

}  // namespace

KOOPLAB_PLUGIN(Cnn, kooplab::Network, "cnn",
               "Convolutional classifier: conv5x5x16, pool, conv5x5x32, pool, dense 100, dense 10, softmax")
