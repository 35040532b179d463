#include "kooplab/data/idx_image_dataset.hpp"

#include <fmt/format.h>

#include "kooplab/data/idx.hpp"
#include "kooplab/error.hpp"

namespace kooplab {
Options<IdxImageDataset::Settings> IdxImageDataset::options(const std::string& default_folder) {
  return Options<Settings>()
      .add("path", &Settings::path, "folder with the four IDX files (relative to the config file)")
      .shown_default(default_folder)
      .add("train_size", &Settings::train_size, "training samples kept: a seeded random subset, in file order",
           at_least(1))
      .shown_default("all but validation_size")
      .add("validation_size", &Settings::validation_size, "samples moved from the training file into validation")
      .add("test_size", &Settings::test_size, "test samples kept: a seeded random subset, in file order")
      .shown_default("all")
      .add("split_seed", &Settings::split_seed, "draws the subsets; set, they stay fixed across run seeds")
      .shown_default("the run's")
      .include(&Settings::normalize, InputNormalization::options());
}

IdxImageDataset::IdxImageDataset(const Settings& settings, IdxCollection collection)
    : collection_(std::move(collection)),
      folder_(settings.path.value_or(collection_.default_folder)),
      train_size_(settings.train_size),
      test_size_(settings.test_size),
      validation_size_(settings.validation_size),
      split_seed_(settings.split_seed),
      scaling_(settings.normalize.scaling) {}

struct IdxImageDataset::Pair {
  IdxArray images;
  arma::uvec labels;
  std::string where;  // both file names, for errors
};

IdxImageDataset::Pair IdxImageDataset::read_pair(const std::string& images_name, const std::string& labels_name) const {
  for (const std::string& name : {images_name, labels_name})
    if (!std::filesystem::exists(folder_ / name))
      throw DataError(fmt::format("{}: data file {} not found; fetch it with: {}", identity(),
                                  (folder_ / name).string(), collection_.fetch_command));
  Pair pair{
      read_idx(folder_ / images_name), {}, fmt::format("{} and {}", (folder_ / images_name).string(), labels_name)};
  const IdxArray labels = read_idx(folder_ / labels_name);
  if (pair.images.shape.size() != 3)
    throw DataError(fmt::format("{}: expected images of shape count×rows×columns, found {} dimensions",
                                (folder_ / images_name).string(), pair.images.shape.size()));
  if (labels.shape.size() != 1)
    throw DataError(fmt::format("{}: expected a list of labels, found {} dimensions", (folder_ / labels_name).string(),
                                labels.shape.size()));
  pair.labels = arma::conv_to<arma::uvec>::from(labels.columns());
  if (pair.labels.n_elem != pair.images.items())
    throw DataError(fmt::format("{}: {} images but {} labels", pair.where, pair.images.items(), pair.labels.n_elem));
  return pair;
}

LabeledSet IdxImageDataset::samples(const Pair& pair, const arma::uvec& which) const {
  if (which.is_empty()) return classification_set(pair.images.columns(), pair.labels, collection_.classes, pair.where);
  return classification_set(pair.images.columns(which), pair.labels.elem(which), collection_.classes, pair.where);
}

LabeledData IdxImageDataset::labeled(Rng& rng) const {
  LabeledData data;
  data.classes = collection_.classes;
  Rng split_rng(split_seed_ ? *split_seed_ : rng.split());
  {
    const Pair train = read_pair(collection_.train_images, collection_.train_labels);
    const arma::uword pool = train.images.items();
    const arma::uword train_size = train_size_.value_or(pool > validation_size_ ? pool - validation_size_ : 0);
    if (train_size == 0 || train_size + validation_size_ > pool)
      throw DataError(fmt::format("{}: train_size {} + validation_size {} do not fit the {} training samples of {}",
                                  identity(), train_size, validation_size_, pool,
                                  (folder_ / collection_.train_images).string()));
    if (train_size == pool) {
      data.train = samples(train, {});
    } else {
      const arma::uvec order = random_permutation(pool, split_rng);
      if (validation_size_ > 0) data.validation = samples(train, arma::sort(order.head(validation_size_)));
      data.train = samples(train, arma::sort(order.subvec(validation_size_, validation_size_ + train_size - 1)));
    }
  }
  const Pair test = read_pair(collection_.test_images, collection_.test_labels);
  const arma::uword test_pool = test.images.items();
  if (test_size_ && *test_size_ > test_pool)
    throw DataError(fmt::format("{}: test_size {} exceeds the {} test samples of {}", identity(), *test_size_,
                                test_pool, (folder_ / collection_.test_images).string()));
  if (!test_size_ || *test_size_ == test_pool)
    data.test = samples(test, {});
  else if (*test_size_ > 0)
    data.test = samples(test, arma::sort(random_permutation(test_pool, split_rng).head(*test_size_)));
  if (scaling_ == InputScaling::unit) {
    for (LabeledSet* set : {&data.train, &data.validation, &data.test}) set->inputs /= 255.0;  // pixel bytes
  } else {
    scale_inputs(data, scaling_, true);
  }
  return data;
}

}  // namespace kooplab
