#pragma once
// What every dictionary (observable plugin) shares: the optional constant and
// state rows in front of its own features, and the history a delay dictionary
// needs.
//
// YAML (in an observable section that offers them):
//   constant: false   # prepend ψ_0(x) = 1
//   state: false      # prepend the state x itself (after the constant)
#include <armadillo>

#include "kooplab/config.hpp"
#include "kooplab/observable.hpp"

namespace kooplab {

struct DictionaryPrefix {
  bool constant = false;
  bool state = false;

  // Reads `constant` and, when `offer_state`, `state`.
  static DictionaryPrefix from_config(const Config& section, bool offer_state = true);
  // [1; x; features] as requested, one column per state.
  arma::mat prepend(const arma::mat& states, const arma::mat& features) const;
};

// Observables whose value at a state depends on the states before it (delay
// coordinates) also implement this: evaluate() reads its columns as
// consecutive states of one trajectory, and the first history() columns of a
// batch lack part of their past (they are padded). Estimators evaluate such a
// dictionary trajectory by trajectory and leave those columns out of the fit.
class DelayedObservable {
 public:
  virtual ~DelayedObservable();
  virtual arma::uword history() const = 0;
};

// history() of a DelayedObservable, 0 for any other observable.
arma::uword observable_history(const Observable& observable);

}  // namespace kooplab
