// Observable `delay`: delay coordinates ψ(x_t) = [x_t; x_{t−1}; …; x_{t−d+1}]
// (d = 1 is the state itself), optionally after a constant 1. evaluate() reads
// its columns as consecutive states of one trajectory; the first d − 1 columns
// repeat the first state for the missing past, and estimators (edmd) leave
// them out of the fit (kooplab::DelayedObservable). Keys: `kooplab plugins delay`.
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/koopman/dictionary.hpp"

namespace {

struct Settings {
  kooplab::DictionaryPrefix prefix;
  arma::uword delays = 3;
};

class Delay : public kooplab::Observable, public kooplab::DelayedObservable {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .add("delays", &Settings::delays, "d, the states in one window", kooplab::at_least(1))
            .include(&Settings::prefix, kooplab::DictionaryPrefix::constant_options());
    return options;
  }
  explicit Delay(const kooplab::Config& section) : settings_(options().read(section)) {}

  arma::mat evaluate(const arma::mat& states) const override {
    return settings_.prefix.prepend(states, kooplab::history_windows(states, settings_.delays));
  }
  arma::uword history() const override { return settings_.delays - 1; }

 private:
  Settings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(Delay, kooplab::Observable, "delay", "Delay coordinates [x_t; x_{t-1}; ...; x_{t-d+1}] for EDMD")
