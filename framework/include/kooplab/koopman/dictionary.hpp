#pragma once
// What every dictionary (observable plugin) shares: the optional constant and
// state rows in front of its own features, and the history a delay dictionary
// needs.
#include <armadillo>

#include "kooplab/observable.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

struct DictionaryPrefix {
  bool constant = false;
  bool state = false;

  // The keys `constant` and `state`, and `constant` alone for dictionaries
  // that hold the state anyway (identity, delay).
  static const Options<DictionaryPrefix>& options();
  static const Options<DictionaryPrefix>& constant_options();
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
