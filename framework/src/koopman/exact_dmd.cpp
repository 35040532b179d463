#include "kooplab/koopman/exact_dmd.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/koopman/projected_eigenfunctions.hpp"

namespace kooplab {

namespace {

// Least-squares amplitudes for exact modes B w_i / (λ_i ‖B w_i / λ_i‖): with
// B = QR they solve R W Λ⁻¹ D⁻¹ a = Qᵀ x₀, a real thin QR instead of a
// complex one of the n × r mode matrix.
arma::cx_vec exact_mode_amplitudes(const arma::mat& b, const arma::cx_mat& w, const arma::cx_vec& lambda,
                                   const arma::vec& mode_norms, const arma::vec& snapshot) {
  arma::mat q, r;
  if (!arma::qr_econ(q, r, b)) throw NumericalError("QR of the projected snapshots failed");
  arma::cx_mat system = to_complex(r) * w;
  system.each_row() /= (lambda % to_complex(mode_norms)).st();
  const arma::vec projected = q.t() * snapshot;
  arma::cx_vec amplitudes;
  if (!arma::solve(amplitudes, system, to_complex(projected)))
    throw NumericalError("least-squares amplitudes failed: the modes are numerically dependent");
  return amplitudes;
}

}  // namespace

DmdProjection project_snapshots(const arma::mat& x, const arma::mat& y, const RankRule& rule,
                                const std::string& where) {
  if (x.n_cols != y.n_cols || x.n_rows != y.n_rows)
    throw DataError(fmt::format("{}: X is {}×{} but Y is {}×{}", where, x.n_rows, x.n_cols, y.n_rows, y.n_cols));
  auto [u, sigma, v] = thin_svd(x, where);
  const arma::uword r = rule.select(sigma, x.n_rows, x.n_cols, where);
  u = u.head_cols(r);
  v = v.head_cols(r);
  arma::mat b = (y * v).eval().each_row() / sigma.head(r).t();
  return {std::move(u), std::move(sigma), std::move(v), std::move(b)};
}

KoopmanModel exact_dmd_model(const arma::mat& u, const arma::mat& b, const arma::vec& first_snapshot,
                             const std::string& where) {
  const arma::uword r = u.n_cols;
  const arma::mat a_tilde = u.t() * b;
  auto [lambda, w] = eigenpairs(a_tilde, where, "the reduced operator");

  const arma::cx_mat bw = real_times_complex(b, w), uw = real_times_complex(u, w);
  KoopmanModel model;
  model.eigenvalues = lambda;
  model.modes.set_size(u.n_rows, r);
  model.residuals.set_size(r);
  const double scale_zero = 1e-13 * std::max(1.0, arma::abs(lambda).max());
  arma::vec mode_norms(r);
  bool all_modes_exact = true;
  for (arma::uword i = 0; i < r; ++i) {
    all_modes_exact = all_modes_exact && std::abs(lambda(i)) > scale_zero;
    model.residuals(i) = arma::norm(bw.col(i) - lambda(i) * uw.col(i));
    arma::cx_vec mode =
        std::abs(lambda(i)) > scale_zero ? arma::cx_vec(bw.col(i) / lambda(i)) : arma::cx_vec(uw.col(i));
    mode_norms(i) = arma::norm(mode);
    model.modes.col(i) = mode / mode_norms(i);
  }
  // x ≈ Σ mode_i φ_i(x): φ = diag(‖mode‖) W⁻¹ Uᵀ x keeps modes unit-norm.
  arma::cx_mat w_inverse = inverse_eigenvectors(w, where, "the reduced operator");
  w_inverse.each_col() %= to_complex(mode_norms);
  model.eigenfunctions = std::make_shared<ProjectedEigenfunctions>(u, w_inverse);
  model.koopman_matrix = to_complex(a_tilde);
  model.amplitudes = all_modes_exact ? exact_mode_amplitudes(b, w, lambda, mode_norms, first_snapshot)
                                     : fit_amplitudes(model.modes, first_snapshot);
  model.diagnostics["rank"] = double(r);
  return model;
}

KoopmanModel exact_dmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_snapshot, const RankRule& rule,
                       const std::string& where) {
  const auto [u, sigma, v, b] = project_snapshots(x, y, rule, where);
  KoopmanModel model = exact_dmd_model(u, b, first_snapshot, where);
  model.diagnostics["numerical_rank"] = double(numerical_rank(sigma, rule.tolerance));
  return model;
}

}  // namespace kooplab
