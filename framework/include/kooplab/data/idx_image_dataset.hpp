#pragma once
// A labelled image collection stored as four IDX files — training and test
// images and labels — the layout of MNIST and Fashion-MNIST. Images become
// columns of pixel values (row-major within an image), labels class indices.
//
// Keys read from the plugin's section (each plugin documents them):
//   path: <folder>           # holds the four files; relative to the config file
//   train_size: <all>        # training samples kept: a seeded random subset, in file order
//   validation_size: 0       # samples moved from the training file into validation
//   test_size: <all>         # test samples kept: a seeded random subset, in file order
//   split_seed: <run seed>   # draws the subsets; fixed here, they stay fixed across run seeds
//   normalize: unit          # none (0…255) | unit (÷255) | standardize (one mean/std over all training pixels)
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "kooplab/dataset.hpp"
#include "kooplab/data/idx.hpp"
#include "kooplab/data/labeled_data.hpp"

namespace kooplab {

// What tells one collection from another.
struct IdxCollection {
  std::string train_images, train_labels, test_images, test_labels;  // file names
  std::filesystem::path default_folder;  // used when `path` is not given
  std::string fetch_command;             // named in the error for a missing file
  arma::uword classes = 10;
};

class IdxImageDataset : public Dataset {
 public:
  IdxImageDataset(const Config& section, IdxCollection collection);
  LabeledData labeled(Rng& rng) const override;

 private:
  // The samples `which` (all when empty) of one pair of image and label files.
  struct Pair;
  Pair read_pair(const std::string& images, const std::string& labels) const;
  LabeledSet samples(const Pair& pair, const arma::uvec& which) const;

  IdxCollection collection_;
  std::filesystem::path folder_;
  std::optional<arma::uword> train_size_, test_size_;
  arma::uword validation_size_ = 0;
  std::optional<std::uint64_t> split_seed_;
  InputScaling scaling_;
};

}  // namespace kooplab
