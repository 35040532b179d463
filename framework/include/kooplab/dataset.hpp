#pragma once
// Dataset plugins produce the data an application studies.
#include "kooplab/plugin.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

class Dataset : public Plugin {
 public:
  static constexpr const char* kind = "dataset";
  // Trajectories of a dynamical system. The default throws: not every dataset has them.
  virtual Trajectories trajectories(Rng& rng) const;
};

}  // namespace kooplab
