// Observable `delay`: delay coordinates ψ(x_t) = [x_t; x_{t−1}; …; x_{t−d+1}].
//
// observable:
//   name: delay
//   delays: 3          d ≥ 1 (d = 1 is the state itself)
//   constant: false    prepend 1
// evaluate() reads its columns as consecutive states of one trajectory; the
// first d − 1 columns repeat the first state for the missing past, and
// estimators (edmd) leave them out of the fit (kooplab::DelayedObservable).
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/koopman/dictionary.hpp"

namespace {

class Delay : public kooplab::Observable, public kooplab::DelayedObservable {
 public:
  explicit Delay(const kooplab::Config& section)
      : prefix_(kooplab::DictionaryPrefix::from_config(section, false)), delays_(section.get_or<int>("delays", 3)) {
    if (delays_ < 1) section.fail("delays", "expected at least 1");
  }

  arma::mat evaluate(const arma::mat& states) const override {
    return prefix_.prepend(states, kooplab::history_windows(states, arma::uword(delays_)));
  }
  arma::uword history() const override { return arma::uword(delays_) - 1; }

 private:
  kooplab::DictionaryPrefix prefix_;
  int delays_;
};

}  // namespace

KOOPLAB_PLUGIN(Delay, kooplab::Observable, "delay", "Delay coordinates [x_t; x_{t-1}; ...; x_{t-d+1}] for EDMD")
