// Observable `identity`: ψ(x) = x.
#include "kooplab/observable.hpp"

namespace {

class Identity : public kooplab::Observable {
 public:
  explicit Identity(const kooplab::Config&) {}
  arma::mat evaluate(const arma::mat& states) const override { return states; }
};

}  // namespace

KOOPLAB_PLUGIN(Identity, kooplab::Observable, "identity", "The state itself: psi(x) = x")
