#include "kooplab/koopman/exact_dmd.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/householder_qr.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/koopman/projected_eigenfunctions.hpp"
#include "kooplab/koopman/real_eigenvectors.hpp"

namespace kooplab {

namespace {

// Least-squares amplitudes for exact modes B w_i / (λ_i ‖B w_i / λ_i‖): with
// B = QR they solve R W Λ⁻¹ D⁻¹ a = Qᵀ x₀, a real thin QR (Q implicit)
// instead of a complex one of the n × r mode matrix.
arma::cx_vec exact_mode_amplitudes(arma::mat b, const arma::cx_mat& w, const arma::cx_vec& lambda,
                                   const arma::vec& mode_norms, const arma::vec& snapshot, const std::string& where) {
  const HouseholderQr qr(std::move(b), where + " (amplitudes)");
  arma::cx_mat system = to_complex(qr.r()) * w;
  system.each_row() /= (lambda % to_complex(mode_norms)).st();
  const arma::vec projected = qr.qt_times(snapshot);
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
  if (r < u.n_cols) {  // at full rank the copies would only cost time
    u = u.head_cols(r);
    v = v.head_cols(r);
  }
  arma::mat b = y * v;
  b.each_row() /= sigma.head(r).t();
  return {std::move(u), std::move(sigma), std::move(v), std::move(b)};
}

KoopmanModel exact_dmd_model(arma::mat u, arma::mat b, const arma::vec& first_snapshot, const std::string& where) {
  const arma::uword r = u.n_cols;
  const arma::mat a_tilde = u.t() * b;
  auto [lambda, w] = eigenpairs(a_tilde, where, "the reduced operator");

  // B W and U W in W's real form: two real n × r products, not four.
  const RealEigenvectors real_w(w);
  const arma::mat bw = b * real_w.columns(), uw = u * real_w.columns();
  KoopmanModel model;
  model.eigenvalues = lambda;
  model.modes.set_size(u.n_rows, r);
  model.residuals.set_size(r);
  const double scale_zero = 1e-13 * std::max(1.0, arma::abs(lambda).max());
  arma::vec mode_norms(r);
  bool all_modes_exact = true;
  for (arma::uword i = 0; i < r; ++i) {
    all_modes_exact = all_modes_exact && std::abs(lambda(i)) > scale_zero;
    const arma::cx_vec bw_i = real_w.column(bw, i), uw_i = real_w.column(uw, i);
    model.residuals(i) = arma::norm(bw_i - lambda(i) * uw_i);
    arma::cx_vec mode = std::abs(lambda(i)) > scale_zero ? arma::cx_vec(bw_i / lambda(i)) : uw_i;
    mode_norms(i) = arma::norm(mode);
    model.modes.col(i) = mode / mode_norms(i);
  }
  // x ≈ Σ mode_i φ_i(x): φ = diag(‖mode‖) W⁻¹ Uᵀ x keeps modes unit-norm.
  arma::cx_mat w_inverse = inverse_eigenvectors(w, where, "the reduced operator");
  w_inverse.each_col() %= to_complex(mode_norms);
  model.eigenfunctions = std::make_shared<ProjectedEigenfunctions>(std::move(u), w_inverse);
  model.koopman_matrix = to_complex(a_tilde);
  model.amplitudes = all_modes_exact ? exact_mode_amplitudes(std::move(b), w, lambda, mode_norms, first_snapshot, where)
                                     : fit_amplitudes(model.modes, first_snapshot);
  model.diagnostics["rank"] = double(r);
  return model;
}

KoopmanModel exact_dmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_snapshot, const RankRule& rule,
                       const std::string& where) {
  auto [u, sigma, v, b] = project_snapshots(x, y, rule, where);
  KoopmanModel model = exact_dmd_model(std::move(u), std::move(b), first_snapshot, where);
  model.diagnostics["numerical_rank"] = double(numerical_rank(sigma, rule.tolerance));
  return model;
}

}  // namespace kooplab
