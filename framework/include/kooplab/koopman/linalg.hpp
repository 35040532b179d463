#pragma once
// Products of a real and a complex matrix as two real products, half the work
// of promoting the real factor to complex.
#include <armadillo>

namespace kooplab {

inline arma::cx_mat real_times_complex(const arma::mat& a, const arma::cx_mat& b) {
  return arma::cx_mat(a * arma::real(b), a * arma::imag(b));
}

}  // namespace kooplab
