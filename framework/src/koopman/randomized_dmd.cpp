#include "kooplab/koopman/randomized_dmd.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/exact_dmd.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

const Options<RandomizedDmdOptions>& RandomizedDmdOptions::options() {
  static const auto options =
      Options<RandomizedDmdOptions>()
          .include(&RandomizedDmdOptions::rank, RankRule::options())
          .add("target_rank", &RandomizedDmdOptions::target_rank,
               "largest rank kept; the sketch has this many columns "
               "plus the oversampling",
               at_least(1))
          .add("oversampling", &RandomizedDmdOptions::oversampling, "extra sketch columns beyond target_rank",
               at_least(0))
          .add("power_iterations", &RandomizedDmdOptions::power_iterations,
               "passes Q ← orth(X Xᵀ Q) over the sketch; each sharpens slowly decaying spectra", at_least(0));
  return options;
}

namespace {

// An orthonormal basis of the columns of `a` (thin QR).
arma::mat orthonormal_basis(const arma::mat& a, const std::string& where) {
  arma::mat q, r;
  if (!arma::qr_econ(q, r, a)) throw NumericalError(where + ": QR of the randomized sketch failed");
  return q;
}

}  // namespace

KoopmanModel randomized_dmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_snapshot,
                            const RandomizedDmdOptions& options, Rng& rng, const std::string& where) {
  if (x.n_cols != y.n_cols || x.n_rows != y.n_rows)
    throw DataError(fmt::format("{}: X is {}×{} but Y is {}×{}", where, x.n_rows, x.n_cols, y.n_rows, y.n_cols));
  const arma::uword sketch = std::min({options.target_rank + options.oversampling, x.n_rows, x.n_cols});
  arma::mat q = orthonormal_basis(x * rng.normal(x.n_cols, sketch), where);
  for (arma::uword pass = 0; pass < options.power_iterations; ++pass)
    q = orthonormal_basis(x * orthonormal_basis(x.t() * q, where), where);

  auto [u_small, sigma, v] = thin_svd(arma::mat(q.t() * x), where);
  const arma::uword r =
      std::min(options.rank.select(sigma, x.n_rows, x.n_cols, where), std::min(options.target_rank, sigma.n_elem));
  const arma::mat u = q * u_small.head_cols(r);
  v = v.head_cols(r);
  const arma::mat b = (y * v).eval().each_row() / sigma.head(r).t();
  KoopmanModel model = exact_dmd_model(u, b, first_snapshot, where);
  model.diagnostics["sketch"] = double(sketch);
  model.diagnostics["numerical_rank"] = double(numerical_rank(sigma, options.rank.tolerance));
  return model;
}

}  // namespace kooplab
