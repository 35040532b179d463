#include "kooplab/koopman/kernel.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"

namespace kooplab {

const Options<Kernel>& Kernel::options() {
  static const auto options =
      Options<Kernel>()
          .choice("kernel", &Kernel::type,
                  {{"gaussian", Type::gaussian}, {"laplacian", Type::laplacian}, {"polynomial", Type::polynomial}},
                  "k(a, b): exp(−‖a−b‖²/2ℓ²), exp(−‖a−b‖/ℓ) or (c + aᵀb/ℓ²)^d")
          .add("length_scale", &Kernel::length_scale, "ℓ", greater_than(0))
          .add("degree", &Kernel::degree, "d of the polynomial kernel", at_least(1))
          .add("offset", &Kernel::offset, "c of the polynomial kernel", at_least(0));
  return options;
}

arma::mat Kernel::operator()(const arma::mat& a, const arma::mat& b) const {
  if (a.n_rows != b.n_rows) throw DataError(fmt::format("kernel: states of dimension {} and {}", a.n_rows, b.n_rows));
  const arma::mat inner = a.t() * b / (length_scale * length_scale);
  if (type == Type::polynomial) return arma::pow(offset + inner, double(degree));
  // ‖a − b‖²/ℓ² = ‖a‖²/ℓ² + ‖b‖²/ℓ² − 2 aᵀb/ℓ², clamped at 0 against cancellation.
  const double scale = length_scale * length_scale;
  arma::mat squared = -2.0 * inner;
  squared.each_col() += arma::sum(arma::square(a), 0).t() / scale;
  squared.each_row() += arma::sum(arma::square(b), 0) / scale;
  squared.clamp(0.0, arma::datum::inf);
  return type == Type::gaussian ? arma::mat(arma::exp(-0.5 * squared)) : arma::mat(arma::exp(-arma::sqrt(squared)));
}

}  // namespace kooplab
