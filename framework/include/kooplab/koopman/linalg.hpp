#pragma once
// Linear-algebra helpers the estimators share: real → complex, products of a
// real and a complex matrix, the thin SVD and the eigen-decomposition of a
// reduced operator, each with one failure convention.
#include <algorithm>
#include <armadillo>
#include <string>

namespace kooplab {

// The same matrix with a zero imaginary part.
inline arma::cx_mat to_complex(const arma::mat& real) { return arma::cx_mat(real, arma::zeros(arma::size(real))); }
inline arma::cx_vec to_complex(const arma::vec& real) { return arma::cx_vec(real, arma::zeros(real.n_elem)); }

// Products of a real and a complex matrix as two real products, half the work
// of promoting the real factor to complex.
inline arma::cx_mat real_times_complex(const arma::mat& a, const arma::cx_mat& b) {
  return arma::cx_mat(a * arma::real(b), a * arma::imag(b));
}
inline arma::cx_mat complex_times_real(const arma::cx_mat& a, const arma::mat& b) {
  return arma::cx_mat(arma::real(a) * b, arma::imag(a) * b);
}

// Which singular vectors thin_svd computes.
enum class SingularVectors { both, left, right };

// A = U diag(σ) Vᴴ with σ descending; U or V is empty when not asked for.
template <class T>
struct ThinSvd {
  arma::Mat<T> u;
  arma::vec sigma;
  arma::Mat<T> v;
};

// The economy SVD of `a` (p = min(rows, cols) singular values). Both sides
// use divide and conquer and fall back to the standard LAPACK algorithm when
// it fails (one side only always uses the standard algorithm, as Armadillo
// does). Throws NumericalError "<where>: the SVD of a R×C matrix did not
// converge" when the fallback fails too. Defined for double and cx_double.
template <class T>
ThinSvd<T> thin_svd(const arma::Mat<T>& a, const std::string& where, SingularVectors vectors = SingularVectors::both);

// The eigenvalues λ_i and eigenvectors W (unit-norm columns) of a real square
// matrix, as eig_gen gives them.
struct Eigenpairs {
  arma::cx_vec values;
  arma::cx_mat vectors;
};
// Throws NumericalError "<where>: eigen-decomposition of <what> failed".
Eigenpairs eigenpairs(const arma::mat& a, const std::string& where, const std::string& what);
// W⁻¹, which maps coordinates to eigenfunction values. Throws NumericalError
// "<where>: <what> is defective (eigenvectors dependent)".
arma::cx_mat inverse_eigenvectors(const arma::cx_mat& w, const std::string& where, const std::string& what);
// Columns per block when an n × m product is formed a block of columns at a
// time: a block takes at most 8 MB (2^20 doubles), so that after the first one
// the heap hands the same memory back (on a large state, touching fresh memory
// costs more than the products); at least 64, so that the products of a model
// of high rank keep their speed.
inline arma::uword columns_per_block(arma::uword rows) {
  return std::clamp<arma::uword>((arma::uword(1) << 20) / std::max<arma::uword>(rows, 1), 64, 8192);
}

// The residual of each eigenfunction on the pairs: ‖φ_i(Y) − λ_i φ_i(X)‖ / ‖φ_i(X)‖
// (0 where φ_i vanishes on X), with φ_i(X) the rows of `phi_x`.
arma::vec eigenfunction_residuals(const arma::cx_mat& phi_x, const arma::cx_mat& phi_y, const arma::cx_vec& lambda);

}  // namespace kooplab
