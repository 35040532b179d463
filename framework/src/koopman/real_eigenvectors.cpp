#include "kooplab/koopman/real_eigenvectors.hpp"

#include <algorithm>
#include <complex>
#include <optional>
#include <vector>

#include "kooplab/koopman/linalg.hpp"

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

arma::cx_vec RealEigenvectors::column(const arma::mat& block, arma::uword i, arma::uword first_column) const {
  const arma::uword real = real_part_(i) - first_column;
  if (imag_part_(i) == no_imag_part) return arma::cx_vec(block.col(real), arma::zeros(block.n_rows));
  return arma::cx_vec(block.col(real), imag_sign_(i) * block.col(imag_part_(i) - first_column));
}

arma::uword RealEigenvectors::end_column(arma::uword i) const {
  return (imag_part_(i) == no_imag_part ? real_part_(i) : imag_part_(i)) + 1;
}

void RealEigenvectors::for_each_column(const std::vector<const arma::mat*>& factors, const ColumnVisitor& visit) const {
  const arma::uword count = real_part_.n_elem;
  if (factors.empty() || count == 0) return;
  const arma::uword block_columns = columns_per_block(factors.front()->n_rows);
  std::vector<arma::mat> products(factors.size());  // same-sized blocks reuse their memory
  std::vector<arma::cx_vec> columns(factors.size());
  for (arma::uword first = 0; first < count;) {
    // Eigenvectors first .. last − 1; the second of a pair has its partner's
    // end column, so it joins whenever its partner does.
    const arma::uword first_column = real_part_(first);
    arma::uword last = first + 1, end = end_column(first);
    while (last < count && end_column(last) - first_column <= block_columns) end = std::max(end, end_column(last++));
    const arma::mat block = columns_.cols(first_column, end - 1);
    for (std::size_t k = 0; k < factors.size(); ++k) products[k] = *factors[k] * block;
    for (arma::uword i = first; i < last; ++i) {
      for (std::size_t k = 0; k < factors.size(); ++k) columns[k] = column(products[k], i, first_column);
      visit(i, columns);
    }
    first = last;
  }
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
