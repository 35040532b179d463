#include "kooplab/koopman/projected_eigenfunctions.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

ProjectedEigenfunctions::ProjectedEigenfunctions(arma::mat basis, arma::cx_mat coefficients)
    : basis_(std::move(basis)), coefficients_(std::move(coefficients)) {}

arma::cx_mat ProjectedEigenfunctions::evaluate(const arma::mat& states) const {
  if (states.n_rows != basis_.n_rows)
    throw DataError(fmt::format("eigenfunctions take states of dimension {}, got {}", basis_.n_rows, states.n_rows));
  return complex_times_real(coefficients_, basis_.t() * states);
}

}  // namespace kooplab
