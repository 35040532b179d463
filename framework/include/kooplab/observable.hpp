#pragma once
// Observable plugins lift states into a dictionary ψ(x), evaluated in batches.
#include <armadillo>
#include <string>
#include <vector>

#include "kooplab/plugin.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

class KOOPLAB_API Observable : public Plugin {
 public:
  static constexpr const char* kind = "observable";
  // Adapts data-dependent parts (centres, bandwidths) to training states
  // (n × m, one state per column). The default has nothing to adapt.
  virtual void fit(const arma::mat& states, Rng& rng);
  // ψ(X): one column of dictionary values per state column.
  virtual arma::mat evaluate(const arma::mat& states) const = 0;
};

}  // namespace kooplab
