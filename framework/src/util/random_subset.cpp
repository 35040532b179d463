#include "kooplab/util/random_subset.hpp"

#include <utility>

namespace kooplab {

arma::uvec random_subset(arma::uword size, arma::uword count, Rng& rng) {
  if (count == 0) return {};
  arma::uvec order = arma::regspace<arma::uvec>(0, size - 1);
  for (arma::uword i = 0; i < count; ++i) std::swap(order(i), order(i + rng.below(size - i)));
  return arma::sort(order.head(count));
}

}  // namespace kooplab
