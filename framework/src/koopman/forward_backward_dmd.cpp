#include "kooplab/koopman/forward_backward_dmd.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/exact_dmd.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/koopman/projected_eigenfunctions.hpp"

namespace kooplab {

KoopmanModel forward_backward_dmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_snapshot,
                                  const RankRule& rule, const std::string& where) {
  auto [u, sigma, v, b] = project_snapshots(x, y, rule, where);  // X ≈ U Σ Vᵀ, B = Y V Σ⁻¹ = A U
  const arma::uword r = u.n_cols;
  const arma::vec sigma_r = sigma.head(r);
  const arma::mat forward = u.t() * b;

  // Ã_b = (Uᵀ X)(Uᵀ Y)⁺ with Uᵀ X = Σ Vᵀ and (Uᵀ Y)⁺ = Q T⁻¹ Pᵀ from the SVD Uᵀ Y = P T Qᵀ.
  const auto [p, t, q] = thin_svd(arma::mat(u.t() * y), where);
  if (t.n_elem < r || !(t(r - 1) > 1e-12 * t(0)))
    throw NumericalError(where +
                         ": the snapshots Y lose rank in the kept subspace (an eigenvalue 0?); forward-backward "
                         "DMD needs invertible dynamics");
  const arma::mat backward = (arma::diagmat(sigma_r) * (v.t() * q)).eval().each_row() / t.t() * p.t();
  // Ã² = Ã_f Ã_b⁻¹: solve Ã_bᵀ Mᵀ = Ã_fᵀ.
  arma::mat square_t;
  if (!arma::solve(square_t, backward.t(), forward.t(), arma::solve_opts::no_approx))
    throw NumericalError(where + ": the backward operator is singular; forward-backward DMD needs invertible dynamics");
  const auto [mu, w] = eigenpairs(arma::mat(square_t.t()), where, "the forward-backward operator");

  // The root of each μ_i on the side of the forward estimate.
  const arma::cx_mat forward_w = real_times_complex(forward, w);
  arma::cx_vec lambda(r);
  for (arma::uword i = 0; i < r; ++i) {
    const std::complex<double> root = std::sqrt(mu(i)), rayleigh = arma::cdot(w.col(i), forward_w.col(i));
    lambda(i) = std::abs(root - rayleigh) <= std::abs(-root - rayleigh) ? root : -root;
  }
  const arma::cx_mat w_inverse = inverse_eigenvectors(w, where, "the forward-backward operator");

  KoopmanModel model;
  model.eigenvalues = lambda;
  model.modes = real_times_complex(u, w);
  const arma::cx_mat bw = real_times_complex(b, w);
  model.residuals.set_size(r);
  for (arma::uword i = 0; i < r; ++i) model.residuals(i) = arma::norm(bw.col(i) - lambda(i) * model.modes.col(i));
  model.koopman_matrix = w * arma::diagmat(lambda) * w_inverse;
  // Modes U W with orthonormal U: the least-squares fit to x_0 is φ(x_0) = W⁻¹ Uᵀ x_0.
  model.amplitudes = w_inverse * to_complex(arma::vec(u.t() * first_snapshot));
  model.eigenfunctions = std::make_shared<ProjectedEigenfunctions>(std::move(u), w_inverse);
  model.diagnostics["rank"] = double(r);
  model.diagnostics["numerical_rank"] = double(numerical_rank(sigma, rule.tolerance));
  return model;
}

}  // namespace kooplab
