#pragma once
// Dataset plugins produce the data an application studies.
#include "kooplab/plugin.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

// Samples with targets, one sample per column.
struct LabeledSet {
  arma::mat inputs;   // d × m
  arma::mat targets;  // k × m: one-hot rows for classification, values for regression
  arma::uvec labels;  // m class indices; empty for regression
};

struct LabeledData {
  LabeledSet train, validation, test;  // validation/test may be empty
  arma::uword classes = 0;             // 0 for regression
};

class KOOPLAB_API Dataset : public Plugin {
 public:
  static constexpr const char* kind = "dataset";
  // Trajectories of a dynamical system. The default throws: not every dataset has them.
  virtual Trajectories trajectories(Rng& rng) const;
  // Labelled samples split into train/validation/test. The default throws.
  virtual LabeledData labeled(Rng& rng) const;
};

}  // namespace kooplab
