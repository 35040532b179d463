#include "kooplab/koopman_model.hpp"

#include "kooplab/error.hpp"

namespace kooplab {

EigenfunctionMap::~EigenfunctionMap() = default;

arma::cx_vec KoopmanModel::continuous_eigenvalues() const {
  if (!dt) throw Error("continuous-time eigenvalues need the sampling interval dt, which this data does not give");
  return arma::log(eigenvalues) / *dt;
}

arma::cx_mat KoopmanModel::eigenfunction_values(const arma::mat& states) const {
  if (!eigenfunctions) throw Error("this Koopman model has no eigenfunctions");
  return eigenfunctions->evaluate(states);
}

arma::mat KoopmanModel::predict(const arma::vec& x0, arma::uword steps) const {
  const arma::cx_vec phi0 = eigenfunction_values(arma::mat(x0)).col(0);
  arma::mat out(modes.n_rows, steps + 1);
  arma::cx_vec power(eigenvalues.n_elem, arma::fill::ones);
  for (arma::uword k = 0; k <= steps; ++k) {
    out.col(k) = arma::real(modes * (power % phi0));
    power %= eigenvalues;
  }
  return out;
}

arma::mat KoopmanModel::advance(const arma::mat& states) const {
  arma::cx_mat phi = eigenfunction_values(states);
  phi.each_col() %= eigenvalues;
  return arma::real(modes * phi);
}

arma::mat KoopmanModel::reconstruct(arma::uword steps) const {
  arma::mat out(modes.n_rows, steps + 1);
  arma::cx_vec power = amplitudes;
  for (arma::uword k = 0; k <= steps; ++k) {
    out.col(k) = arma::real(modes * power);
    power %= eigenvalues;
  }
  return out;
}

}  // namespace kooplab
