#include "kooplab/koopman/dmd_rrr.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/householder_qr.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/koopman/projected_eigenfunctions.hpp"
#include "kooplab/koopman/real_eigenvectors.hpp"
#include "kooplab/koopman/refined_ritz.hpp"

namespace kooplab {

const Options<DmdRrrOptions>& DmdRrrOptions::options() {
  static const auto options =
      Options<DmdRrrOptions>()
          .include(&DmdRrrOptions::rank, RankRule::options())
          .add("scale_columns", &DmdRrrOptions::scale_columns,
               "scale X and Y by the column norms of X (the paper's step 1; it inflates errors of noisy data: "
               "dmd_rrr.hpp)")
          .custom(
              {"refine", "all | none | integer ≥ 1", "all",
               "refined Ritz vectors for all pairs, none (the eigenvectors of S) or the N of largest amplitude "
               "(true, false: all, none)"},
              [](const Config& section, DmdRrrOptions& options) {
                using Kind = Refine::Kind;
                if (!section.has("refine") || section.is_word("refine", "all") || section.is_word("refine", "true")) {
                  options.refine = {Kind::all, 0};
                } else if (section.is_word("refine", "none") || section.is_word("refine", "false")) {
                  options.refine = {Kind::none, 0};
                } else {
                  const int count = section.get<int>("refine");
                  if (count < 1) section.fail("refine", "expected 'all', 'none' or a positive integer");
                  options.refine = {Kind::largest, arma::uword(count)};
                }
              })
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

// Which pairs get refined vectors: all, none, or the `count` of largest Ritz
// amplitude |a|, a = W⁻¹ U_kᵀ x_0 (the modes U_k w_i have unit norm), with
// their conjugate partners.
std::vector<bool> pairs_to_refine(const DmdRrrOptions::Refine& refine, const arma::cx_vec& lambda,
                                  const arma::cx_mat& w, const arma::vec& projected_snapshot,
                                  const std::string& where) {
  using Kind = DmdRrrOptions::Refine::Kind;
  const arma::uword k = lambda.n_elem;
  if (refine.kind != Kind::largest || refine.count >= k) return std::vector<bool>(k, refine.kind != Kind::none);
  std::vector<bool> chosen(k, false);
  arma::cx_vec amplitudes;
  if (!arma::solve(amplitudes, w, to_complex(projected_snapshot), arma::solve_opts::no_approx))
    throw NumericalError(where + ": the Ritz vectors are dependent (defective Rayleigh quotient)");
  const arma::uvec order = arma::stable_sort_index(arma::abs(amplitudes), "descend");
  for (arma::uword c = 0; c < refine.count; ++c) chosen[order(c)] = true;
  for (arma::uword i = 0; i < k; ++i)
    if (chosen[i] && lambda(i).imag() != 0.0)
      for (arma::uword j = 0; j < k; ++j)
        if (lambda(j) == std::conj(lambda(i))) chosen[j] = true;
  return chosen;
}

// Refined Ritz vectors and residuals of the chosen pairs: a single Ritz value
// by RefinedRitzVectors; a cluster of equal Ritz values takes the smallest
// right singular vectors of one SVD of [R12 − λ R11; R22], R11 = I.
void refine(const arma::mat& r12, const arma::mat& r22, const arma::cx_vec& lambda, const std::vector<bool>& chosen,
            arma::cx_mat& w, arma::vec& residuals, const std::string& where) {
  const arma::uword k = lambda.n_elem;
  const double close = 1e-8 * std::max(1.0, arma::abs(lambda).max());
  const RefinedRitzVectors refined(r12, r22, where + " (refined Ritz vector)");
  std::vector<bool> done(k, false);
  for (arma::uword i = 0; i < k; ++i) {
    if (done[i] || !chosen[i]) continue;
    // Real data: the pair of conj(λ) is the conjugate of this one's.
    if (i > 0 && done[i - 1] && lambda(i) == std::conj(lambda(i - 1)) && lambda(i).imag() != 0.0) {
      w.col(i) = arma::conj(w.col(i - 1));
      residuals(i) = residuals(i - 1);
      done[i] = true;
      continue;
    }
    const arma::uvec cluster = arma::find(arma::abs(lambda - lambda(i)) <= close);
    if (cluster.n_elem == 1) {
      auto [vector, residual] = refined.refine(lambda(i), w.col(i));
      w.col(i) = std::move(vector);
      residuals(i) = residual;
      done[i] = true;
      continue;
    }
    arma::cx_mat stacked(2 * k, k);
    stacked.head_rows(k) = to_complex(r12);
    stacked.head_rows(k).diag() -= lambda(i);
    stacked.tail_rows(k) = to_complex(r22);
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
  // Unscaled, X itself goes to the SVD: an n × m copy X D⁻¹ would cost its
  // first touch of fresh memory for nothing.
  auto [u, sigma, v] = options.scale_columns ? thin_svd(arma::mat(x.each_row() / scale), where) : thin_svd(x, where);
  const arma::uword k = options.rank.select(sigma, x.n_rows, x.n_cols, where);
  if (k < u.n_cols) {  // at full rank the copies would only cost time
    u = u.head_cols(k);
    v = v.head_cols(k);
  }
  v.each_col() /= scale.t();
  v.each_row() /= sigma.head(k).t();
  arma::mat b = y * v;  // Y D⁻¹ V_k Σ_k⁻¹

  // R of the QR of [U_k, B]: R11 = I, R12 = U_kᵀB, R22 the R factor of the
  // rest. Only ‖R22 w‖ = ‖(B − U_k R12) w‖ is used, so Q2 is never formed;
  // B − U_k R12 overwrites B (one product into B, no n × k temporaries).
  const arma::mat r12 = u.t() * b;
  b -= u * r12;
  const arma::mat r22 = HouseholderQr(std::move(b), where + " (residual block)").r();
  const arma::mat& s = r12;  // the Rayleigh quotient R11ᵀ R12 with R11 = I

  auto [lambda, w] = eigenpairs(s, where, "the Rayleigh quotient");
  arma::vec residuals = residual_norms(to_complex(s) * w, w, lambda, r22);
  const bool refining = options.refine.kind != DmdRrrOptions::Refine::Kind::none;
  if (refining) {
    const arma::vec projected_snapshot = u.t() * first_trajectory.col(0);
    refine(r12, r22, lambda, pairs_to_refine(options.refine, lambda, w, projected_snapshot, where), w, residuals,
           where);
  }
  if (options.refined_rayleigh) {
    const arma::cx_mat sw = to_complex(s) * w;
    for (arma::uword i = 0; i < k; ++i) lambda(i) = arma::cdot(w.col(i), sw.col(i));
    if (refining) residuals = residual_norms(sw, w, lambda, r22);  // the residual of w_i for the new λ_i
  }

  const arma::cx_mat w_inverse = inverse_eigenvectors(w, where, "the Rayleigh quotient");
  KoopmanModel model;
  model.eigenvalues = lambda;
  // U_k W from real products with W's real form (U_k Re W and U_k Im W
  // would be two), a block of columns at a time.
  const RealEigenvectors real_w(w);
  model.modes.set_size(u.n_rows, k);
  real_w.for_each_column(
      {&u}, [&](arma::uword i, const std::vector<arma::cx_vec>& columns) { model.modes.col(i) = columns[0]; });
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
