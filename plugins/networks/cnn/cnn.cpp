// Network `cnn`: the convolutional classifier of koopman-mode-analysis.md §3:
// conv 5×5 ×16 → relu → max-pool 2 → conv 5×5 ×32 → relu → max-pool 2 →
// dense 100 → relu → dense 10, softmax cross-entropy. With 28×28 inputs and no
// padding the feature maps are 16×24×24 → 16×12×12 → 32×8×8 → 32×4×4.
//
// network:
//   name: cnn
//   input: [1, 28, 28]      # channels, height, width
//   filters: [16, 32]       # one convolution (+ relu + pool) per entry
//   kernel: 5
//   padding: 0
//   pool: 2
//   hidden: [100]           # dense layers before the output, each followed by relu
//   classes: 10
//   init: he                # he | xavier | normal
#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/nn/sequential.hpp"

namespace {

std::vector<std::unique_ptr<kooplab::Layer>> build(const kooplab::Config& section) {
  const auto positive = [&](const char* key, int value) {
    if (value <= 0) section.fail(key, "must be positive");
    return arma::uword(value);
  };
  const std::vector<int> input = section.get_or<std::vector<int>>("input", {1, 28, 28});
  if (input.size() != 3) section.fail("input", "needs [channels, height, width]");
  kooplab::ImageShape shape{positive("input", input[0]), positive("input", input[1]), positive("input", input[2])};
  const std::vector<int> filters = section.get_or<std::vector<int>>("filters", {16, 32});
  const arma::uword kernel = positive("kernel", section.get_or<int>("kernel", 5));
  const int padding = section.get_or<int>("padding", 0);
  if (padding < 0) section.fail("padding", "must not be negative");
  const arma::uword pool = positive("pool", section.get_or<int>("pool", 2));
  const std::vector<int> hidden = section.get_or<std::vector<int>>("hidden", {100});
  const arma::uword classes = positive("classes", section.get_or<int>("classes", 10));

  std::vector<std::unique_ptr<kooplab::Layer>> layers;
  try {
    for (const int count : filters) {
      auto conv = std::make_unique<kooplab::Conv2d>(shape, positive("filters", count), kernel, arma::uword(padding));
      shape = conv->output_shape();
      layers.push_back(std::move(conv));
      layers.push_back(std::make_unique<kooplab::Activation>(kooplab::ActivationKind::relu, shape.size()));
      auto pooling = std::make_unique<kooplab::MaxPool2d>(shape, pool);
      shape = pooling->output_shape();
      layers.push_back(std::move(pooling));
    }
  } catch (const kooplab::ConfigError& error) {
    section.fail("filters", error.what());
  }
  arma::uword width = shape.size();
  for (const int size : hidden) {
    layers.push_back(std::make_unique<kooplab::Dense>(width, positive("hidden", size)));
    width = arma::uword(size);
    layers.push_back(std::make_unique<kooplab::Activation>(kooplab::ActivationKind::relu, width));
  }
  layers.push_back(std::make_unique<kooplab::Dense>(width, classes));
  return layers;
}

class Cnn : public kooplab::Sequential {
 public:
  explicit Cnn(const kooplab::Config& section)
      : Sequential(build(section), kooplab::LossKind::cross_entropy,
                   kooplab::parse_init(section.get_or<std::string>("init", "he"), section.location_of("init"))) {}
};

}  // namespace

KOOPLAB_PLUGIN(Cnn, kooplab::Network, "cnn",
               "Convolutional classifier: conv5x5x16, pool, conv5x5x32, pool, dense 100, dense 10, softmax")
