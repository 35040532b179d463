#include "kooplab/koopman/kernel_model.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

KernelEigenfunctions::KernelEigenfunctions(Kernel kernel, arma::mat centres, arma::cx_mat coefficients)
    : kernel_(kernel), centres_(std::move(centres)), coefficients_(std::move(coefficients)) {}

arma::cx_mat KernelEigenfunctions::evaluate(const arma::mat& states) const {
  if (states.n_rows != centres_.n_rows)
    throw DataError(fmt::format("kernel eigenfunctions: states of dimension {}, the model was fitted on dimension {}",
                                states.n_rows, centres_.n_rows));
  return complex_times_real(coefficients_.st(), kernel_(centres_, states));
}

KoopmanModel kernel_model(const Kernel& kernel, arma::mat centres, const arma::mat& u, const arma::mat& reduced,
                          const arma::mat& kernel_x, const arma::mat& kernel_y, const arma::mat& x,
                          const arma::vec& first_state, const std::string& where) {
  const auto [lambda, w] = eigenpairs(reduced, where, "the reduced kernel operator");
  const arma::uword r = lambda.n_elem;
  arma::cx_mat coefficients = real_times_complex(u, w);  // p × r
  const arma::cx_mat phi_x = complex_times_real(coefficients.st(), kernel_x),
                     phi_y = complex_times_real(coefficients.st(), kernel_y);

  KoopmanModel model;
  model.eigenvalues = lambda;
  model.residuals = eigenfunction_residuals(phi_x, phi_y, lambda);
  // X ≈ Ξ φ(X): φ(X)ᵀ Ξᵀ = Xᵀ in the least-squares sense.
  arma::cx_mat modes_t;
  if (!arma::solve(modes_t, arma::cx_mat(phi_x.st()), to_complex(arma::mat(x.t()))))
    throw NumericalError(where + ": regressing the state on the eigenfunctions failed");
  model.modes = modes_t.st();
  for (arma::uword i = 0; i < r; ++i) {
    const double size = arma::norm(model.modes.col(i));
    if (!(size > 0)) continue;  // an eigenfunction the state does not load on keeps its scale
    model.modes.col(i) /= size;
    coefficients.col(i) *= size;
  }
  model.koopman_matrix = to_complex(reduced);
  model.eigenfunctions = std::make_shared<KernelEigenfunctions>(kernel, std::move(centres), std::move(coefficients));
  model.amplitudes = model.eigenfunctions->evaluate(arma::mat(first_state)).col(0);
  model.diagnostics["rank"] = double(r);
  return model;
}

}  // namespace kooplab
