#pragma once
// Images for timing a network: uniform pixels in [0, 1] and random classes
// with their one-hot targets. Training cost does not depend on the content.
#include "kooplab/nn/training.hpp"
#include "kooplab/rng.hpp"

namespace kooplab::bench {

inline LabeledSet random_images(Rng& rng, arma::uword pixels, arma::uword classes, arma::uword samples) {
  LabeledSet set;
  set.inputs = rng.uniform(pixels, samples);
  set.labels.set_size(samples);
  set.targets.zeros(classes, samples);
  for (arma::uword s = 0; s < samples; ++s) {
    set.labels(s) = rng.below(classes);
    set.targets(set.labels(s), s) = 1.0;
  }
  return set;
}

}  // namespace kooplab::bench
