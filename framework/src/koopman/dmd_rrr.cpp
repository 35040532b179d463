#include "kooplab/koopman/dmd_rrr.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/koopman/projected_eigenfunctions.hpp"

namespace kooplab {

const Options<DmdRrrOptions>& DmdRrrOptions::options() {
  static const auto options =
      Options<DmdRrrOptions>()
          .include(&DmdRrrOptions::rank, RankRule::options())
          .add("scale_columns", &DmdRrrOptions::scale_columns, "scale X and Y by the column norms of X (step 1)")
          .add("refine", &DmdRrrOptions::refine, "refined Ritz vectors (false: the Ritz vectors, eigenvectors of S)")
          .add("refined_rayleigh", &DmdRrrOptions::refined_rayleigh,
               "replace λ_i by the Rayleigh quotient of its refined vector")
          .choice("amplitudes", &DmdRrrOptions::amplitudes,
                  {{"first_snapshot", Amplitudes::first_snapshot}, {"trajectory", Amplitudes::trajectory}},
                  "least squares against x_0, or over the whole first trajectory")
          .choice("order", &DmdRrrOptions::sort_by_amplitude, {{"none", false}, {"amplitude", true}},
                  "sort eigenpairs by their share of the first snapshot");
  return options;
}

namespace {

// ‖[S w_i − λ_i w_i; R22 w_i]‖ for every column w_i of W, given SW: the
// residual ‖A U_k w_i − λ_i U_k w_i‖ of each (λ_i, w_i).
arma::vec residual_norms(const arma::cx_mat& sw, const arma::cx_mat& w, const arma::cx_vec& lambda,
                         const arma::mat& r22) {
  const arma::cx_mat top = sw - w.each_row() % lambda.st(), bottom = to_complex(r22) * w;
  return arma::sqrt(arma::sum(arma::square(arma::abs(top)), 0) + arma::sum(arma::square(arma::abs(bottom)), 0)).t();
}

// Refined Ritz vectors and residuals: for each cluster of equal Ritz values
// the smallest right singular vectors of [R12 − λ R11; R22], R11 = I.
void refine(const arma::mat& r12, const arma::mat& r22, const arma::cx_vec& lambda, arma::cx_mat& w,
            arma::vec& residuals, const std::string& where) {
  const arma::uword k = lambda.n_elem;
  const double close = 1e-8 * std::max(1.0, arma::abs(lambda).max());
  const arma::cx_mat top = to_complex(r12);
  arma::cx_mat stacked(2 * k, k);
  stacked.rows(k, 2 * k - 1) = to_complex(r22);
  std::vector<bool> done(k, false);
  for (arma::uword i = 0; i < k; ++i) {
    if (done[i]) continue;
    // Real data: the pair of conj(λ) is the conjugate of this one's.
    if (i > 0 && done[i - 1] && lambda(i) == std::conj(lambda(i - 1)) && lambda(i).imag() != 0.0) {
      w.col(i) = arma::conj(w.col(i - 1));
      residuals(i) = residuals(i - 1);
      done[i] = true;
      continue;
    }
    const arma::uvec cluster = arma::find(arma::abs(lambda - lambda(i)) <= close);
    stacked.rows(0, k - 1) = top;
    stacked.head_rows(k).diag() -= lambda(i);
    const auto [u_unused, sigma, v] = thin_svd(stacked, where + " (refined Ritz vector)", SingularVectors::right);
    for (arma::uword c = 0; c < cluster.n_elem; ++c) {
      const arma::uword j = cluster(c);
      if (done[j]) continue;
      w.col(j) = v.col(k - 1 - c);
      residuals(j) = sigma(k - 1 - c);
      done[j] = true;
    }
  }
}

// The k × k upper-triangular R of a thin QR (n × k, n ≥ k), without forming Q.
arma::mat r_factor(arma::mat a, const std::string& where) {
  arma::blas_int m = arma::blas_int(a.n_rows), n = arma::blas_int(a.n_cols), info = 0, lwork = -1;
  arma::vec tau(a.n_cols);
  double query = 0.0;
  arma::lapack::geqrf(&m, &n, a.memptr(), &m, tau.memptr(), &query, &lwork, &info);
  lwork = arma::blas_int(query);
  arma::vec work(std::max<arma::uword>(1, arma::uword(lwork)));
  arma::lapack::geqrf(&m, &n, a.memptr(), &m, tau.memptr(), work.memptr(), &lwork, &info);
  if (info != 0) throw NumericalError(where + ": QR of the residual block failed");
  return arma::trimatu(a.head_rows(a.n_cols));
}

}  // namespace

KoopmanModel dmd_rrr(const arma::mat& x, const arma::mat& y, const arma::mat& first_trajectory,
                     const DmdRrrOptions& options, const std::string& where) {
  if (x.n_cols != y.n_cols || x.n_rows != y.n_rows)
    throw DataError(fmt::format("{}: X is {}×{} but Y is {}×{}", where, x.n_rows, x.n_cols, y.n_rows, y.n_cols));
  if (x.n_cols == 0) throw DataError(where + ": no snapshot pairs to fit");
  // Zero columns keep scale 1: they carry nothing either way.
  arma::rowvec scale = options.scale_columns ? arma::rowvec(arma::sqrt(arma::sum(arma::square(x), 0)))
                                             : arma::ones<arma::rowvec>(x.n_cols);
  scale.elem(arma::find(scale == 0.0)).ones();
  auto [u, sigma, v] = thin_svd(arma::mat(x.each_row() / scale), where);
  const arma::uword k = options.rank.select(sigma, x.n_rows, x.n_cols, where);
  u = u.head_cols(k);
  v = v.head_cols(k);
  v.each_col() /= scale.t();
  v.each_row() /= sigma.head(k).t();
  const arma::mat b = y * v;  // Y D⁻¹ V_k Σ_k⁻¹

  // R of the QR of [U_k, B]: R11 = I, R12 = U_kᵀB, R22 the R factor of the
  // rest. Only ‖R22 w‖ = ‖(B − U_k R12) w‖ is used, so Q2 is never formed.
  const arma::mat r12 = u.t() * b;
  const arma::mat r22 = r_factor(b - u * r12, where);
  const arma::mat& s = r12;  // the Rayleigh quotient R11ᵀ R12 with R11 = I

  auto [lambda, w] = eigenpairs(s, where, "the Rayleigh quotient");
  arma::vec residuals(k);
  if (options.refine) {
    refine(r12, r22, lambda, w, residuals, where);
  } else {
    residuals = residual_norms(to_complex(s) * w, w, lambda, r22);
  }
  if (options.refined_rayleigh) {
    const arma::cx_mat sw = to_complex(s) * w;
    for (arma::uword i = 0; i < k; ++i) lambda(i) = arma::cdot(w.col(i), sw.col(i));
    if (options.refine) residuals = residual_norms(sw, w, lambda, r22);  // the residual of w_i for the new λ_i
  }

  const arma::cx_mat w_inverse = inverse_eigenvectors(w, where, "the Rayleigh quotient");
  KoopmanModel model;
  model.eigenvalues = lambda;
  model.modes = real_times_complex(u, w);
  model.residuals = residuals;
  model.koopman_matrix = to_complex(s);
  // Modes U_k W with orthonormal U_k: the least-squares fit to x_0 is φ(x_0) = W⁻¹ U_kᵀ x_0.
  model.amplitudes = options.amplitudes == DmdRrrOptions::Amplitudes::trajectory
                         ? fit_amplitudes_trajectory(model.modes, lambda, first_trajectory)
                         : arma::cx_vec(w_inverse * to_complex(arma::vec(u.t() * first_trajectory.col(0))));
  model.eigenfunctions = std::make_shared<ProjectedEigenfunctions>(std::move(u), w_inverse);
  model.diagnostics["rank"] = double(k);
  model.diagnostics["numerical_rank"] = double(numerical_rank(sigma, options.rank.tolerance));
  if (options.sort_by_amplitude) sort_by_amplitude(model);
  return model;
}

}  // namespace kooplab
