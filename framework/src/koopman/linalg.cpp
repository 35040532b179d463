#include "kooplab/koopman/linalg.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"

namespace kooplab {

template <class T>
ThinSvd<T> thin_svd(const arma::Mat<T>& a, const std::string& where, SingularVectors vectors) {
  const char* side = vectors == SingularVectors::both ? "both" : vectors == SingularVectors::left ? "left" : "right";
  ThinSvd<T> out;
  // Armadillo has divide and conquer only for both sides; for one side "dc" is "std".
  if (vectors == SingularVectors::both && arma::svd_econ(out.u, out.sigma, out.v, a, side, "dc")) return out;
  if (!arma::svd_econ(out.u, out.sigma, out.v, a, side, "std"))
    throw NumericalError(fmt::format("{}: the SVD of a {}×{} matrix did not converge", where, a.n_rows, a.n_cols));
  return out;
}

template ThinSvd<double> thin_svd(const arma::mat&, const std::string&, SingularVectors);
template ThinSvd<arma::cx_double> thin_svd(const arma::cx_mat&, const std::string&, SingularVectors);

Eigenpairs eigenpairs(const arma::mat& a, const std::string& where, const std::string& what) {
  Eigenpairs out;
  if (!arma::eig_gen(out.values, out.vectors, a))
    throw NumericalError(fmt::format("{}: eigen-decomposition of {} failed", where, what));
  return out;
}

arma::cx_mat inverse_eigenvectors(const arma::cx_mat& w, const std::string& where, const std::string& what) {
  arma::cx_mat inverse;
  if (!arma::inv(inverse, w))
    throw NumericalError(fmt::format("{}: {} is defective (eigenvectors dependent)", where, what));
  return inverse;
}

arma::vec eigenfunction_residuals(const arma::cx_mat& phi_x, const arma::cx_mat& phi_y, const arma::cx_vec& lambda) {
  arma::vec residuals(lambda.n_elem);
  for (arma::uword i = 0; i < lambda.n_elem; ++i) {
    const double size = arma::norm(phi_x.row(i));
    residuals(i) = size > 0 ? arma::norm(phi_y.row(i) - lambda(i) * phi_x.row(i)) / size : 0.0;
  }
  return residuals;
}

}  // namespace kooplab
