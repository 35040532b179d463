#include "kooplab/koopman/total_least_squares_dmd.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/exact_dmd.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

KoopmanModel total_least_squares_dmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_snapshot,
                                     const RankRule& rule, const std::string& where) {
  if (x.n_cols != y.n_cols || x.n_rows != y.n_rows)
    throw DataError(fmt::format("{}: X is {}×{} but Y is {}×{}", where, x.n_rows, x.n_cols, y.n_rows, y.n_cols));
  const auto [u_unused, sigma, v] = thin_svd(arma::mat(arma::join_cols(x, y)), where);
  const arma::uword r = std::min(rule.select(sigma, 2 * x.n_rows, x.n_cols, where), x.n_rows);
  const arma::mat projector = v.head_cols(r);  // Ṽ_r
  // Exact DMD of the projected pairs keeps what they hold (at most r directions).
  RankRule numerical;
  numerical.tolerance = rule.tolerance;
  KoopmanModel model =
      exact_dmd((x * projector) * projector.t(), (y * projector) * projector.t(), first_snapshot, numerical, where);
  model.diagnostics["numerical_rank"] = double(numerical_rank(sigma, rule.tolerance));
  return model;
}

}  // namespace kooplab
