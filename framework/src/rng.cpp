#include "kooplab/rng.hpp"

namespace kooplab {

arma::mat Rng::normal(arma::uword rows, arma::uword cols) {
  arma::mat out(rows, cols);
  for (double& value : out) value = normal();
  return out;
}

arma::mat Rng::uniform(arma::uword rows, arma::uword cols) {
  arma::mat out(rows, cols);
  for (double& value : out) value = uniform();
  return out;
}

}  // namespace kooplab
