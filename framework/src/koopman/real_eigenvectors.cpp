#include "kooplab/koopman/real_eigenvectors.hpp"

#include <complex>
#include <optional>
#include <vector>

namespace kooplab {

RealEigenvectors::RealEigenvectors(const arma::cx_mat& w)
    : real_part_(w.n_cols), imag_part_(w.n_cols), imag_sign_(w.n_cols, arma::fill::ones) {
  std::vector<arma::vec> parts;
  parts.reserve(w.n_cols);
  for (arma::uword j = 0; j < w.n_cols; ++j) {
    const arma::vec imag = arma::imag(w.col(j));
    real_part_(j) = parts.size();
    parts.push_back(arma::real(w.col(j)));
    if (!imag.is_zero(0.0)) {
      imag_part_(j) = parts.size();
      parts.push_back(imag);
    } else {
      imag_part_(j) = no_imag_part;
    }
    const bool conjugate_follows = imag_part_(j) != no_imag_part && j + 1 < w.n_cols &&
                                   arma::all(arma::vectorise(w.col(j + 1) == arma::conj(w.col(j))));
    if (conjugate_follows) {
      real_part_(j + 1) = real_part_(j);
      imag_part_(j + 1) = imag_part_(j);
      imag_sign_(j + 1) = -1.0;
      ++j;
    }
  }
  columns_.set_size(w.n_rows, parts.size());
  for (arma::uword k = 0; k < parts.size(); ++k) columns_.col(k) = parts[k];
}

arma::cx_vec RealEigenvectors::column(const arma::mat& product, arma::uword i) const {
  if (imag_part_(i) == no_imag_part) return arma::cx_vec(product.col(real_part_(i)), arma::zeros(product.n_rows));
  return arma::cx_vec(product.col(real_part_(i)), imag_sign_(i) * product.col(imag_part_(i)));
}

std::optional<arma::cx_mat> RealEigenvectors::inverse() const {
  arma::mat real_inverse;
  if (!columns_.is_square() || !arma::inv(real_inverse, columns_)) return std::nullopt;
  // Column by column: rows of a column-major matrix are strided, and at
  // r = 2000 row-wise copies cost more than the inverse itself.
  arma::cx_mat out(real_part_.n_elem, real_inverse.n_cols);
  for (arma::uword c = 0; c < out.n_cols; ++c) {
    const double* from = real_inverse.colptr(c);
    std::complex<double>* to = out.colptr(c);
    for (arma::uword i = 0; i < out.n_rows; ++i)
      to[i] = imag_part_(i) == no_imag_part
                  ? std::complex<double>(from[real_part_(i)], 0.0)
                  : std::complex<double>(0.5 * from[real_part_(i)], -0.5 * imag_sign_(i) * from[imag_part_(i)]);
  }
  return out;
}

}  // namespace kooplab
