// Dataset `fashion_mnist`: Zalando's Fashion-MNIST (Xiao, Rasul, Vollgraf),
// 60 000 training and 10 000 test images of 28×28 pixels in 10 clothing
// classes, read from the gzip-compressed IDX files of the Debian package
// dataset-fashion-mnist. Inputs are 784 × m (one image per column, row-major
// pixels), targets one-hot 10 × m, labels the class indices.
// Keys: `kooplab plugins fashion_mnist`.
#include "kooplab/data/idx_image_dataset.hpp"

namespace {

using kooplab::Config;

const std::filesystem::path package_folder = "/usr/share/datasets/fashion-mnist";

kooplab::IdxCollection fashion_files() {
  kooplab::IdxCollection files{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                               "t10k-labels-idx1-ubyte.gz"};
  files.default_folder = package_folder;
  files.fetch_command = "apt-get install dataset-fashion-mnist (as root; scripts/fetch-datasets.sh does it)";
  return files;
}

class FashionMnist : public kooplab::IdxImageDataset {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options = IdxImageDataset::options(package_folder.string());
    return options;
  }
  explicit FashionMnist(const Config& section) : IdxImageDataset(options().read(section), fashion_files()) {}
};

}  // namespace

KOOPLAB_PLUGIN(FashionMnist, kooplab::Dataset, "fashion_mnist",
               "Fashion-MNIST clothing images (60 000 + 10 000, 10 classes) from the Debian package's gzip IDX files")
