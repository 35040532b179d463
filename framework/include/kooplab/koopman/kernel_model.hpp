#pragma once
// The Koopman model of a kernel estimator, shared by kernel EDMD and
// reduced-rank regression (kernel_edmd.hpp, reduced_rank_regression.hpp).
//
// Both estimate the Koopman operator on the kernel's feature space ℋ in the
// form G = Σ_{j,l} c_j (U Vᵀ)_{jl} ⟨ψ(y_l), ·⟩ ψ-expansions over p centres
// (the training states, or Nyström landmarks): with U (p × r) and the r × r
// reduced matrix R = Vᵀ M U, each eigenpair R w_i = λ_i w_i gives the
// eigenfunction φ_i(x) = Σ_j (U w_i)_j k(z_j, x) over the centres z_j. The
// steps here, from U, R and the kernel values on the training pairs:
//  - residuals: the relative data residual ‖φ_i(Y) − λ_i φ_i(X)‖ / ‖φ_i(X)‖
//    over the training pairs (zero when φ_i is an eigenfunction on the data);
//  - modes: the least-squares regression of the state on the eigenfunctions,
//    X ≈ Ξ φ(X), scaled to unit norm (φ absorbs the scale);
//  - amplitudes φ(x_0); the Koopman matrix R.
// Memory: the centres (n × p) and coefficients (p × r) in the model.
#include <armadillo>
#include <string>

#include "kooplab/koopman/kernel.hpp"
#include "kooplab/koopman_model.hpp"

namespace kooplab {

// φ(x) = Cᵀ k(Z, x) for centres Z (n × p) and coefficients C (p × r).
class KernelEigenfunctions : public EigenfunctionMap {
 public:
  KernelEigenfunctions(Kernel kernel, arma::mat centres, arma::cx_mat coefficients);
  arma::cx_mat evaluate(const arma::mat& states) const override;

  const Kernel& kernel() const { return kernel_; }
  const arma::mat& centres() const { return centres_; }
  const arma::cx_mat& coefficients() const { return coefficients_; }

 private:
  Kernel kernel_;
  arma::mat centres_;
  arma::cx_mat coefficients_;
};

// `kernel_x` = k(Z, X), `kernel_y` = k(Z, Y) (p × M) on the M training pairs
// (X, Y); `u` (p × r) and `reduced` (r × r) as above. Diagnostics: rank.
KoopmanModel kernel_model(const Kernel& kernel, arma::mat centres, const arma::mat& u, const arma::mat& reduced,
                          const arma::mat& kernel_x, const arma::mat& kernel_y, const arma::mat& x,
                          const arma::vec& first_state, const std::string& where);

}  // namespace kooplab
