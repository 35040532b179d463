#pragma once
// A labelled image collection stored as four IDX files — training and test
// images and labels — the layout of MNIST and Fashion-MNIST. Images become
// columns of pixel values (row-major within an image), labels class indices.
// The plugins mnist and fashion_mnist name the files and the folder; the keys
// are the same for both (`kooplab plugins mnist`).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "kooplab/data/idx.hpp"
#include "kooplab/data/labeled_data.hpp"
#include "kooplab/dataset.hpp"

namespace kooplab {

// What tells one collection from another.
struct IdxCollection {
  std::string train_images, train_labels, test_images, test_labels;  // file names
  std::filesystem::path default_folder;                              // used when `path` is not given
  std::string fetch_command;                                         // named in the error for a missing file
  arma::uword classes = 10;
};

class IdxImageDataset : public Dataset {
 public:
  struct Settings {
    std::optional<std::filesystem::path> path;  // absent: the collection's default folder
    std::optional<arma::uword> train_size;      // absent: all but the validation samples
    arma::uword validation_size = 0;
    std::optional<arma::uword> test_size;  // absent: all
    std::optional<std::uint64_t> split_seed;
    InputNormalization normalize{InputScaling::unit};
  };
  // The keys; `default_folder` is how the docs show the folder used without `path`.
  static Options<Settings> options(const std::string& default_folder);

  IdxImageDataset(const Settings& settings, IdxCollection collection);
  LabeledData labeled(Rng& rng) const override;

 private:
  // The samples `which` (all when empty) of one pair of image and label files.
  struct Pair;
  Pair read_pair(const std::string& images, const std::string& labels) const;
  LabeledSet samples(const Pair& pair, const arma::uvec& which) const;

  IdxCollection collection_;
  std::filesystem::path folder_;
  std::optional<arma::uword> train_size_, test_size_;
  arma::uword validation_size_;
  std::optional<std::uint64_t> split_seed_;
  InputScaling scaling_;
};

}  // namespace kooplab
