#include "kooplab/koopman/kernel_edmd.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/kernel_model.hpp"

namespace kooplab {

const Options<KernelEdmdOptions>& KernelEdmdOptions::options() {
  static const auto options =
      Options<KernelEdmdOptions>()
          .include(&KernelEdmdOptions::kernel, Kernel::options())
          .include(&KernelEdmdOptions::rank, RankRule::options())
          .add("regularization", &KernelEdmdOptions::regularization, "Tikhonov ε: Λ + εI in place of Λ", at_least(0));
  return options;
}

KoopmanModel kernel_edmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_state,
                         const KernelEdmdOptions& options, const std::string& where) {
  if (arma::size(x) != arma::size(y))
    throw DataError(fmt::format("{}: X is {}×{} but Y is {}×{}", where, x.n_rows, x.n_cols, y.n_rows, y.n_cols));
  const double samples = double(x.n_cols);
  const arma::mat kernel_x = options.kernel(x, x), kernel_y = options.kernel(x, y);
  arma::vec lambda;
  arma::mat q;
  if (!arma::eig_sym(lambda, q, arma::mat(kernel_x / samples)))
    throw NumericalError(where + ": eigen-decomposition of the kernel matrix failed");
  lambda = arma::reverse(arma::clamp(lambda, 0.0, arma::datum::inf));
  q = arma::fliplr(q);
  RankRule rule = options.rank;
  rule.tolerance = std::max(rule.tolerance, 1e-6);  // σ = √λ: eigenvalues resolve to ~1e-14 λ_1
  const arma::vec sigma = arma::sqrt(lambda);
  const arma::uword r = rule.select(sigma, x.n_cols, x.n_cols, where);
  const arma::mat q_r = q.head_cols(r);
  const arma::mat u = q_r.each_row() / (lambda.head(r) + options.regularization).t();
  const arma::mat reduced = q_r.t() * (kernel_y.t() / samples) * u;
  KoopmanModel model = kernel_model(options.kernel, x, u, reduced, kernel_x, kernel_y, x, first_state, where);
  model.diagnostics["numerical_rank"] = double(numerical_rank(sigma, rule.tolerance));
  return model;
}

}  // namespace kooplab
