#include "kooplab/rng.hpp"

#include "kooplab/util/text.hpp"

namespace kooplab {

Rng::Rng(std::uint64_t seed, std::string_view stream) : engine_(seed ^ stable_hash(stream)) {}

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
