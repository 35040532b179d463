#include "kooplab/dynamics/null_space_eigenfunctions.hpp"

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/rank_rule.hpp"

namespace kooplab {
namespace {

// Flips each column so that its entry of largest magnitude is positive.
void fix_signs(arma::mat& basis) {
  for (arma::uword k = 0; k < basis.n_cols; ++k)
    if (basis(arma::index_max(arma::abs(basis.col(k))), k) < 0) basis.col(k) *= -1.0;
}

}  // namespace

arma::mat NullSpaceEigenfunctions::null_vectors() const { return left_singular_vectors.tail_cols(count()); }

arma::mat NullSpaceEigenfunctions::evaluate(const arma::mat& states) const {
  const arma::mat projected = null_vectors().t() * zeta.value(states);
  return family == NetworkDynamics::Family::one ? projected : arma::exp(projected);
}

arma::mat NullSpaceEigenfunctions::coordinates(const arma::mat& states) const {
  return left_singular_vectors.t() * zeta.value(states);
}

NullSpaceEigenfunctions null_space_eigenfunctions(const NetworkDynamics& dynamics, double tolerance) {
  dynamics.validate("null_space_eigenfunctions");
  NullSpaceEigenfunctions result;
  result.family = dynamics.family;
  result.zeta = dynamics.zeta;
  arma::mat u, v;
  if (!arma::svd(u, result.singular_values, v, dynamics.weights))
    throw NumericalError("null_space_eigenfunctions: the SVD of W did not converge");
  const arma::uword n = dynamics.size();
  result.rank = result.singular_values(0) > 0 ? numerical_rank(result.singular_values, tolerance) : 0;
  const arma::uword d = n - result.rank;
  arma::mat null = u.tail_cols(d);
  if (dynamics.family == NetworkDynamics::Family::one) {
    fix_signs(null);
    result.eigenvalues = -arma::ones(d);
  } else if (d > 0) {
    // Rotate so the first vector follows P c and the others are orthogonal to c.
    const arma::vec along = null.t() * dynamics.drive;  // P c in null coordinates
    if (arma::norm(along) > tolerance * std::max(1.0, arma::norm(dynamics.drive))) {
      arma::mat q, r, seed = arma::eye(d, d);
      seed.col(0) = along;
      arma::qr(q, r, seed);
      if (r(0, 0) < 0) q.col(0) *= -1.0;
      null = null * q;
      arma::mat rest = null.tail_cols(d - 1);
      fix_signs(rest);
      null.tail_cols(d - 1) = rest;
    } else {
      fix_signs(null);
    }
    result.eigenvalues = -(null.t() * dynamics.drive);
  }
  u.tail_cols(d) = null;
  result.left_singular_vectors = std::move(u);
  return result;
}

}  // namespace kooplab
