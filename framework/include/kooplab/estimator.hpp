#pragma once
// Estimator plugins fit a Koopman model from snapshot data.
#include "kooplab/koopman_model.hpp"
#include "kooplab/observable.hpp"
#include "kooplab/plugin.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

class KOOPLAB_API Estimator : public Plugin {
 public:
  static constexpr const char* kind = "estimator";
  // `observable` may be null: estimators that work on the state itself ignore
  // it, those that need a dictionary say so. Estimators fit the observable.
  virtual KoopmanModel fit(const Trajectories& data, Observable* observable, Rng& rng) const = 0;
};

}  // namespace kooplab
