#include "kooplab/koopman/reduced_rank_regression.hpp"

#include <fmt/format.h>

#include <numeric>

#include "kooplab/error.hpp"
#include "kooplab/koopman/kernel_model.hpp"
#include "kooplab/util/random_subset.hpp"

namespace kooplab {

const Options<RrrOptions>& RrrOptions::options() {
  static const auto options =
      Options<RrrOptions>()
          .include(&RrrOptions::kernel, Kernel::options())
          .add("rank", &RrrOptions::rank, "r, the rank of the estimated operator", at_least(1))
          .add("regularization", &RrrOptions::regularization, "Tikhonov γ of C + γI", greater_than(0))
          .add("landmarks", &RrrOptions::landmarks,
               "Nyström landmarks ℓ drawn from the training states; 0: all (exact)", at_least(0));
  return options;
}

namespace {

// Symmetric eigen-decomposition, eigenvalues descending and clamped at 0.
void descending_eig(const arma::mat& a, arma::vec& values, arma::mat& vectors, const std::string& where) {
  if (!arma::eig_sym(values, vectors, a)) throw NumericalError(where + ": symmetric eigen-decomposition failed");
  values = arma::reverse(arma::clamp(values, 0.0, arma::datum::inf));
  vectors = arma::fliplr(vectors);
}

// The eigenpairs of a kernel matrix above its resolution, 1e-12 of the largest,
// descending. A coefficient vector c with K c = 0 is the zero function
// (‖Σ_j c_j ψ(x_j)‖² = cᵀ K c), so working in range(K) changes no function, only
// drops round-off that the 1/γ of (K + γI)⁻¹ would amplify.
void kernel_range(const arma::mat& kernel, arma::vec& values, arma::mat& vectors, const std::string& where) {
  descending_eig(kernel, values, vectors, where);
  const arma::uword kept = arma::accu(values > 1e-12 * values(0));
  values = values.head(kept).eval();
  vectors = vectors.head_cols(kept).eval();
}

void check_rank(const arma::vec& leading, arma::uword rank, const std::string& where) {
  if (leading.n_elem < rank || !(leading(rank - 1) > 1e-12 * leading(0)))
    throw NumericalError(
        fmt::format("{}: rank {} requested but the data predict fewer directions (numerical rank "
                    "{}); lower the rank",
                    where, rank, arma::accu(leading > 1e-12 * leading.max())));
}

KoopmanModel dual(const arma::mat& x, const arma::mat& y, const arma::vec& first_state, const RrrOptions& options,
                  const std::string& where) {
  const double samples = double(x.n_cols), gamma = options.regularization;
  const arma::mat kernel_x = options.kernel(x, x), kernel_y = options.kernel(x, y);
  arma::vec lambda;
  arma::mat q;
  kernel_range(kernel_x / samples, lambda, q, where);
  const arma::mat root_b = q * arma::diagmat(arma::sqrt(lambda / (lambda + gamma))) * q.t();  // B^½
  const arma::mat output_gram = options.kernel(y, y) / samples;                               // L
  arma::vec sigma_sq;
  arma::mat p;
  descending_eig(root_b * output_gram * root_b, sigma_sq, p, where);
  check_rank(sigma_sq, options.rank, where);
  const arma::mat v =
      (root_b * p.head_cols(options.rank)).eval().each_row() / arma::sqrt(sigma_sq.head(options.rank)).t();
  const arma::mat u = q * arma::diagmat(1.0 / (lambda + gamma)) * q.t() * output_gram * v;
  const arma::mat reduced = v.t() * (kernel_y.t() / samples) * u;
  return kernel_model(options.kernel, x, u, reduced, kernel_x, kernel_y, x, first_state, where);
}

KoopmanModel nystrom(const arma::mat& x, const arma::mat& y, const arma::vec& first_state, const RrrOptions& options,
                     Rng& rng, const std::string& where) {
  const arma::uword m = x.n_cols, count = std::min(options.landmarks, m);
  const arma::mat landmarks = x.cols(random_subset(m, count, rng));  // in data order

  arma::vec lambda;
  arma::mat q;
  kernel_range(options.kernel(landmarks, landmarks), lambda, q, where);
  const arma::uword kept = lambda.n_elem;
  const arma::mat features = q.each_row() / arma::sqrt(lambda).t();  // ψ̃ = featuresᵀ k(Z, ·)
  const arma::mat kernel_x = options.kernel(landmarks, x), kernel_y = options.kernel(landmarks, y);
  const arma::mat psi_x = features.t() * kernel_x, psi_y = features.t() * kernel_y;
  const double samples = double(m);
  const arma::mat covariance = psi_x * psi_x.t() / samples + options.regularization * arma::eye(kept, kept);
  const arma::mat cross = psi_x * psi_y.t() / samples;
  arma::mat ridge;  // C_γ⁻¹ C_XY
  if (!arma::solve(ridge, covariance, cross, arma::solve_opts::likely_sympd))
    throw NumericalError(where + ": the regularised covariance is singular");
  arma::vec sigma_sq;
  arma::mat h;
  descending_eig(arma::symmatu(cross.t() * ridge), sigma_sq, h, where);
  check_rank(sigma_sq, options.rank, where);
  const arma::mat h_r = h.head_cols(options.rank), operator_h = ridge * h_r;
  return kernel_model(options.kernel, landmarks, features * operator_h, h_r.t() * operator_h, kernel_x, kernel_y, x,
                      first_state, where);
}

}  // namespace

KoopmanModel reduced_rank_regression(const arma::mat& x, const arma::mat& y, const arma::vec& first_state,
                                     const RrrOptions& options, Rng& rng, const std::string& where) {
  if (arma::size(x) != arma::size(y))
    throw DataError(fmt::format("{}: X is {}×{} but Y is {}×{}", where, x.n_rows, x.n_cols, y.n_rows, y.n_cols));
  if (x.n_cols == 0) throw DataError(where + ": no snapshot pairs to fit");
  KoopmanModel model = options.landmarks == 0 ? dual(x, y, first_state, options, where)
                                              : nystrom(x, y, first_state, options, rng, where);
  model.diagnostics["landmarks"] = double(options.landmarks == 0 ? x.n_cols : std::min(options.landmarks, x.n_cols));
  return model;
}

}  // namespace kooplab
