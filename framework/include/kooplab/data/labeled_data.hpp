#pragma once
// Building blocks shared by the datasets that return labelled samples: one-hot
// targets, seeded permutations and input scaling fitted on the
// training set alone (so validation and test never leak into it).
#include <string>

#include "kooplab/dataset.hpp"
#include "kooplab/options.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

// classes × m, with a 1 in row labels(j) of column j.
arma::mat one_hot(const arma::uvec& labels, arma::uword classes);

// A classification set with one-hot targets. Throws DataError naming `where`
// when the counts differ or a label is not below `classes`.
LabeledSet classification_set(arma::mat inputs, arma::uvec labels, arma::uword classes, const std::string& where);

// A uniformly random permutation of 0, …, n−1 (Fisher–Yates on `rng`).
arma::uvec random_permutation(arma::uword n, Rng& rng);

enum class InputScaling {
  none,         // inputs as stored or generated
  unit,         // training minimum → 0, maximum → 1
  standardize,  // training mean → 0, standard deviation → 1
};

// The key `normalize` of the datasets that scale their inputs; each sets its
// own default by initialising the member.
struct InputNormalization {
  InputScaling scaling = InputScaling::none;
  static const Options<InputNormalization>& options();
};

// Rescales the inputs of all three sets with statistics of the training set.
// pooled: one statistic over all features (the pixels of an image share one
// scale); otherwise one per feature. A feature without spread is only shifted.
void scale_inputs(LabeledData& data, InputScaling scaling, bool pooled);

}  // namespace kooplab
