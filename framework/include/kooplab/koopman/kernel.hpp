#pragma once
// Positive-definite kernels of the kernel estimators (kernel EDMD, reduced-rank
// regression): k(a, b) for states a, b ∈ ℝⁿ.
//   gaussian:   exp(−‖a − b‖² / (2 ℓ²))
//   laplacian:  exp(−‖a − b‖ / ℓ)
//   polynomial: (c + aᵀb / ℓ²)^d, whose feature space is the polynomials of
//               degree ≤ d (c > 0): invariant under every linear map.
#include <armadillo>

#include "kooplab/options.hpp"

namespace kooplab {

struct Kernel {
  enum class Type { gaussian, laplacian, polynomial };
  Type type = Type::gaussian;
  double length_scale = 1.0;  // ℓ
  arma::uword degree = 2;     // d, polynomial
  double offset = 1.0;        // c, polynomial

  // The keys: kernel, length_scale, degree, offset.
  static const Options<Kernel>& options();

  // The p × q matrix k(a_i, b_j) for states a (n × p) and b (n × q).
  arma::mat operator()(const arma::mat& a, const arma::mat& b) const;
};

}  // namespace kooplab
