#include "kooplab/koopman/refined_ritz.hpp"

#include <algorithm>
#include <limits>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"

extern "C" {
// LAPACK: QR of [A; B] with A n × n upper triangular and B m × n upper
// trapezoidal in its last l rows; R overwrites A.
void ztpqrt_(const arma::blas_int* m, const arma::blas_int* n, const arma::blas_int* l, const arma::blas_int* nb,
             std::complex<double>* a, const arma::blas_int* lda, std::complex<double>* b, const arma::blas_int* ldb,
             std::complex<double>* t, const arma::blas_int* ldt, std::complex<double>* work, arma::blas_int* info);
}

namespace kooplab {

namespace {

// Inverse iteration stops when successive unit iterates differ by less than
// this (rounding level), or after max_inverse_steps.
constexpr double converged = 1e-14;
constexpr int max_inverse_steps = 100;

}  // namespace

RefinedRitzVectors::RefinedRitzVectors(const arma::mat& s, const arma::mat& r22, const std::string& where)
    : where_(where) {
  if (!arma::schur(schur_vectors_, triangular_, to_complex(s)))
    throw NumericalError(where + ": Schur decomposition of the Rayleigh quotient failed");
  arma::cx_mat q_unused;
  if (!arma::qr_econ(q_unused, lower_block_, real_times_complex(r22, schur_vectors_)))
    throw NumericalError(where + ": QR of the residual block failed");
}

RefinedRitzVectors::Pair RefinedRitzVectors::refine(std::complex<double> lambda, const arma::cx_vec& start) const {
  const arma::blas_int k = arma::blas_int(triangular_.n_rows), block = std::min<arma::blas_int>(k, 32);
  arma::cx_mat r = triangular_, bottom = lower_block_, t(block, k);
  r.diag() -= lambda;
  arma::cx_vec work(arma::uword(block * k));
  arma::blas_int info = 0;
  ztpqrt_(&k, &k, &k, &block, r.memptr(), &k, bottom.memptr(), &k, t.memptr(), &block, work.memptr(), &info);
  if (info != 0) throw NumericalError(where_ + ": QR of the shifted Rayleigh quotient failed");
  r = arma::trimatu(r);
  // An exactly singular R gets rounding-level pivots, as inverse iteration does.
  const double floor =
      std::numeric_limits<double>::epsilon() * std::max(arma::norm(r, "fro"), std::numeric_limits<double>::min());
  for (arma::uword i = 0; i < r.n_rows; ++i)
    if (std::abs(r(i, i)) < floor) r(i, i) = floor;
  const arma::cx_mat r_adjoint = r.t();

  arma::cx_vec x = schur_vectors_.t() * start;
  x /= arma::norm(x);
  for (int step = 0; step < max_inverse_steps; ++step) {
    arma::cx_vec y, z;
    if (!arma::solve(y, arma::trimatl(r_adjoint), x, arma::solve_opts::fast) ||
        !arma::solve(z, arma::trimatu(r), y, arma::solve_opts::fast))
      throw NumericalError(where_ + ": inverse iteration for a refined Ritz vector failed");
    z /= arma::norm(z);
    const std::complex<double> overlap = arma::cdot(x, z);
    const std::complex<double> phase = std::abs(overlap) > 0 ? overlap / std::abs(overlap) : 1.0;
    const double change = arma::norm(z - phase * x);
    x = z;
    if (change <= converged) break;
  }
  return {schur_vectors_ * x, arma::norm(r * x)};
}

}  // namespace kooplab
