#include "kooplab/koopman/havok.hpp"

#include "kooplab/error.hpp"
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/koopman/exact_dmd.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

const Options<HavokOptions>& HavokOptions::options() {
  static const auto options = Options<HavokOptions>()
                                  .add("delays", &HavokOptions::delays,
                                       "q: states per window; each trajectory needs at least q + 1", at_least(1))
                                  .include(&HavokOptions::rank, RankRule::options());
  return options;
}

namespace {

KoopmanModel havok_on_windows(const Trajectories& windows, const RankRule& rule, const std::string& where) {
  const arma::mat all = windows.all_states();
  const auto [u, sigma, v] = thin_svd(all, where, SingularVectors::left);
  const arma::uword r = rule.select(sigma, all.n_rows, all.n_cols, where);
  const bool forced = r < sigma.n_elem && sigma(r) > 0;
  const arma::uword coordinates = forced ? r + 1 : r;
  const arma::mat to_coordinates = arma::diagmat(1.0 / sigma.head(coordinates)) * u.head_cols(coordinates).t();

  Trajectories coordinate_runs;
  for (const arma::mat& run : windows.runs) coordinate_runs.runs.push_back(to_coordinates * run);
  const SnapshotPairs pairs = coordinate_runs.pairs();
  const arma::mat next = pairs.y.head_rows(r);
  // [A B] = V'_{1..r} Ω⁺ for Ω = [V_{1..r}; v_{r+1}] (or V_{1..r} unforced).
  arma::mat operator_t;
  if (!arma::solve(operator_t, arma::mat(pairs.x.t()), arma::mat(next.t())))
    throw NumericalError(where + ": the regression of the delay coordinates failed");
  const arma::mat a = operator_t.head_rows(r).t();
  const double forcing_share =
      forced ? arma::norm(operator_t.tail_rows(1).t() * pairs.x.tail_rows(1), "fro") / arma::norm(next, "fro") : 0.0;

  // z = Σ v: Ã = Σ A Σ⁻¹ on the orthonormal basis U_r.
  const arma::vec scale = sigma.head(r);
  const arma::mat a_tilde = arma::diagmat(scale) * a * arma::diagmat(1.0 / scale);
  const arma::mat basis = u.head_cols(r);
  KoopmanModel model = exact_dmd_model(basis, basis * a_tilde, windows.runs.front().col(0), where);
  const SnapshotPairs window_pairs = windows.pairs();
  model.residuals = eigenfunction_residuals(model.eigenfunctions->evaluate(window_pairs.x),
                                            model.eigenfunctions->evaluate(window_pairs.y), model.eigenvalues);
  model.diagnostics["forcing_share"] = forcing_share;
  return model;
}

}  // namespace

KoopmanModel havok(const Trajectories& data, const HavokOptions& options, const std::string& where) {
  KoopmanModel model = fit_on_delays(
      data, options.delays, [&](const Trajectories& windows) { return havok_on_windows(windows, options.rank, where); },
      where);
  model.dt = data.dt;
  return model;
}

}  // namespace kooplab
