// Observable `identity`: ψ(x) = x, or [1; x] with the constant.
// Keys: `kooplab plugins identity`.
#include "kooplab/koopman/dictionary.hpp"

namespace {

class Identity : public kooplab::Observable {
 public:
  static const kooplab::Options<kooplab::DictionaryPrefix>& options() {
    return kooplab::DictionaryPrefix::constant_options();
  }
  explicit Identity(const kooplab::Config& section) : prefix_(options().read(section)) {}
  arma::mat evaluate(const arma::mat& states) const override { return prefix_.prepend(states, states); }

 private:
  kooplab::DictionaryPrefix prefix_;
};

}  // namespace

KOOPLAB_PLUGIN(Identity, kooplab::Observable, "identity", "The state itself: psi(x) = x, optionally with a constant 1")
