#include "kooplab/koopman/dictionary.hpp"

namespace kooplab {

DelayedObservable::~DelayedObservable() = default;

DictionaryPrefix DictionaryPrefix::from_config(const Config& section, bool offer_state) {
  DictionaryPrefix prefix;
  prefix.constant = section.get_or<bool>("constant", false);
  if (offer_state) prefix.state = section.get_or<bool>("state", false);
  return prefix;
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
