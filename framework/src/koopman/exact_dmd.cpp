#include "kooplab/koopman/exact_dmd.hpp"

#include <fmt/format.h>

#include <optional>

#include "kooplab/error.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/householder_qr.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/koopman/projected_eigenfunctions.hpp"
#include "kooplab/koopman/real_eigenvectors.hpp"

namespace kooplab {

namespace {

// Least-squares amplitudes of the exact modes Φ = B W Λ⁻¹ D⁻¹ (D the norms
// that make them unit) against x₀: with B = QR (Q implicit), Φ a = x₀ in the
// least-squares sense is R W Λ⁻¹ D⁻¹ a = Qᵀ x₀, so a = Λ (D W⁻¹) R⁻¹ Qᵀ x₀ — a
// triangular solve and a product with the D W⁻¹ the eigenfunctions keep,
// O(r²) after the QR instead of a complex r × r product and LU. Empty when R is
// numerically singular.
std::optional<arma::cx_vec> exact_mode_amplitudes(arma::mat b, const arma::cx_mat& scaled_w_inverse,
                                                  const arma::cx_vec& lambda, const arma::vec& snapshot,
                                                  const std::string& where) {
  const HouseholderQr qr(std::move(b), where + " (amplitudes)");
  arma::vec coordinates;  // R⁻¹ Qᵀ x₀, the least-squares coefficients of x₀ in the columns of B
  if (!arma::solve(coordinates, arma::trimatu(qr.r()), qr.qt_times(snapshot), arma::solve_opts::no_approx))
    return std::nullopt;
  return arma::cx_vec(lambda % (scaled_w_inverse * to_complex(coordinates)));
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

  // B W and U W in W's real form (two real products, not four), a block of
  // columns at a time.
  const RealEigenvectors real_w(w);
  KoopmanModel model;
  model.eigenvalues = lambda;
  model.modes.set_size(u.n_rows, r);
  model.residuals.set_size(r);
  const double scale_zero = 1e-13 * std::max(1.0, arma::abs(lambda).max());
  arma::vec mode_norms(r);
  bool all_modes_exact = true;
  real_w.for_each_column({&b, &u}, [&](arma::uword i, const std::vector<arma::cx_vec>& columns) {
    const arma::cx_vec &bw_i = columns[0], &uw_i = columns[1];
    all_modes_exact = all_modes_exact && std::abs(lambda(i)) > scale_zero;
    model.residuals(i) = arma::norm(bw_i - lambda(i) * uw_i);
    arma::cx_vec mode = std::abs(lambda(i)) > scale_zero ? arma::cx_vec(bw_i / lambda(i)) : uw_i;
    mode_norms(i) = arma::norm(mode);
    model.modes.col(i) = mode / mode_norms(i);
  });
  // x ≈ Σ mode_i φ_i(x): φ = diag(‖mode‖) W⁻¹ Uᵀ x keeps modes unit-norm.
  std::optional<arma::cx_mat> real_form_inverse = real_w.inverse();
  arma::cx_mat w_inverse =
      real_form_inverse ? std::move(*real_form_inverse) : inverse_eigenvectors(w, where, "the reduced operator");
  w_inverse.each_col() %= to_complex(mode_norms);
  std::optional<arma::cx_vec> amplitudes;
  if (all_modes_exact) amplitudes = exact_mode_amplitudes(std::move(b), w_inverse, lambda, first_snapshot, where);
  model.amplitudes = amplitudes ? std::move(*amplitudes) : fit_amplitudes(model.modes, first_snapshot);
  model.eigenfunctions = std::make_shared<ProjectedEigenfunctions>(std::move(u), std::move(w_inverse));
  model.koopman_matrix = to_complex(a_tilde);
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
