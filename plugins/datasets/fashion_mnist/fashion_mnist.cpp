// Dataset `fashion_mnist`: Zalando's Fashion-MNIST (Xiao, Rasul, Vollgraf),
// 60 000 training and 10 000 test images of 28×28 pixels in 10 clothing
// classes, read from the gzip-compressed IDX files of the Debian package
// dataset-fashion-mnist. Inputs are 784 × m (one image per column, row-major
// pixels), targets one-hot 10 × m, labels the class indices.
//
// dataset:
//   name: fashion_mnist
//   path: /usr/share/datasets/fashion-mnist  # folder with the *.gz IDX files (relative to the config file)
//   train_size: 60000            # training samples kept (seeded random subset, in file order)
//   validation_size: 0           # samples moved from the training file into validation
//   test_size: 10000             # test samples kept (seeded random subset, in file order)
//   split_seed: <run seed>       # draws the subsets; set it to keep them fixed across run seeds
//   normalize: unit              # none (pixels 0…255) | unit (÷255) | standardize (one mean and
//                                # standard deviation over all training pixels)
#include "kooplab/data/idx_image_dataset.hpp"

namespace {

using kooplab::Config;

kooplab::IdxCollection fashion_files() {
  kooplab::IdxCollection files{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                               "t10k-labels-idx1-ubyte.gz"};
  files.default_folder = "/usr/share/datasets/fashion-mnist";
  files.fetch_command = "apt-get install dataset-fashion-mnist (as root; scripts/fetch-datasets.sh does it)";
  return files;
}

class FashionMnist : public kooplab::IdxImageDataset {
 public:
  explicit FashionMnist(const Config& section) : IdxImageDataset(section, fashion_files()) {}
};

}  // namespace

KOOPLAB_PLUGIN(FashionMnist, kooplab::Dataset, "fashion_mnist",
               "Fashion-MNIST clothing images (60 000 + 10 000, 10 classes) from the Debian package's gzip IDX files")
