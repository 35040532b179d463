#include "kooplab/koopman_model.hpp"

#include <fmt/format.h>

#include <algorithm>

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

namespace {

// Steps of reconstruct() per matrix product: a block of columns of
// diag(λ^k) · amplitudes at a time bounds the memory at r × 256.
constexpr arma::uword reconstruct_block = 256;
// Rows of the modes per product in real_product(): their real and imaginary
// parts are split a block at a time, not as two n × r copies (on a large
// state, touching fresh memory costs more than the products themselves).
constexpr arma::uword mode_rows_block = 1024;

// out = Re(modes · c) as two real products per block of rows, half the work
// of the complex product; the second accumulates into the first.
void real_product(const arma::cx_mat& modes, const arma::cx_mat& c, arma::mat& out) {
  const arma::mat real_c = arma::real(c), imag_c = arma::imag(c);
  for (arma::uword top = 0; top < modes.n_rows; top += mode_rows_block) {
    const arma::uword bottom = std::min(modes.n_rows, top + mode_rows_block) - 1;
    arma::mat rows = arma::real(modes.rows(top, bottom)) * real_c;
    rows -= arma::imag(modes.rows(top, bottom)) * imag_c;
    out.rows(top, bottom) = rows;
  }
}

}  // namespace

arma::mat KoopmanModel::advance(const arma::mat& states) const {
  arma::cx_mat phi = eigenfunction_values(states);
  phi.each_col() %= eigenvalues;
  arma::mat out(modes.n_rows, phi.n_cols);
  real_product(modes, phi, out);
  return out;
}

arma::mat KoopmanModel::reconstruct(arma::uword steps) const { return reconstruct(amplitudes, steps); }

arma::mat KoopmanModel::reconstruct(const arma::cx_vec& start, arma::uword steps) const {
  if (start.n_elem != eigenvalues.n_elem)
    throw DataError(fmt::format("reconstruct: {} amplitudes for {} eigenvalues", start.n_elem, eigenvalues.n_elem));
  arma::mat out(modes.n_rows, steps + 1);
  arma::cx_vec power = start;
  for (arma::uword first = 0; first <= steps; first += reconstruct_block) {
    const arma::uword last = std::min(steps, first + reconstruct_block - 1);
    arma::cx_mat powers(start.n_elem, last - first + 1);
    for (arma::uword k = first; k <= last; ++k) {
      powers.col(k - first) = power;
      power %= eigenvalues;
    }
    // The block's columns of `out` are contiguous: the products write there.
    arma::mat block(out.colptr(first), out.n_rows, last - first + 1, false, true);
    real_product(modes, powers, block);
  }
  return out;
}

}  // namespace kooplab
