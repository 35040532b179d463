// Observable `identity`: ψ(x) = x.
//
// observable:
//   name: identity
//   constant: false    prepend 1, ψ(x) = [1; x]
#include "kooplab/koopman/dictionary.hpp"

namespace {

class Identity : public kooplab::Observable {
 public:
  explicit Identity(const kooplab::Config& section) : prefix_(kooplab::DictionaryPrefix::from_config(section, false)) {}
  arma::mat evaluate(const arma::mat& states) const override { return prefix_.prepend(states, states); }

 private:
  kooplab::DictionaryPrefix prefix_;
};

}  // namespace

KOOPLAB_PLUGIN(Identity, kooplab::Observable, "identity", "The state itself: psi(x) = x, optionally with a constant 1")
