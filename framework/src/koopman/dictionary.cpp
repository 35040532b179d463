#include "kooplab/koopman/dictionary.hpp"

namespace kooplab {

DelayedObservable::~DelayedObservable() = default;

const Options<DictionaryPrefix>& DictionaryPrefix::constant_options() {
  static const auto options =
      Options<DictionaryPrefix>().add("constant", &DictionaryPrefix::constant, "prepend ψ_0(x) = 1");
  return options;
}

const Options<DictionaryPrefix>& DictionaryPrefix::options() {
  static const auto options =
      Options<DictionaryPrefix>(constant_options())
          .add("state", &DictionaryPrefix::state, "prepend the state x itself (after the constant)");
  return options;
}

arma::mat DictionaryPrefix::prepend(const arma::mat& states, const arma::mat& features) const {
  if (!constant && !state) return features;
  const arma::uword rows = (constant ? 1 : 0) + (state ? states.n_rows : 0) + features.n_rows;
  arma::mat out(rows, states.n_cols);
  arma::uword row = 0;
  if (constant) out.row(row++).ones();
  if (state) {
    out.rows(row, row + states.n_rows - 1) = states;
    row += states.n_rows;
  }
  if (features.n_rows > 0) out.rows(row, rows - 1) = features;
  return out;
}

arma::uword observable_history(const Observable& observable) {
  const auto* delayed = dynamic_cast<const DelayedObservable*>(&observable);
  return delayed ? delayed->history() : 0;
}

}  // namespace kooplab
