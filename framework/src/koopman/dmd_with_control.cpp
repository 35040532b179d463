#include "kooplab/koopman/dmd_with_control.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/exact_dmd.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/koopman/projected_eigenfunctions.hpp"

namespace kooplab {

const Options<DmdcOptions>& DmdcOptions::options() {
  static const auto options =
      Options<DmdcOptions>()
          .add("inputs", &DmdcOptions::inputs, "q: the last q rows of each state are the input u_t", at_least(1))
          .add("input_matrix", &DmdcOptions::input_matrix, "B (n × q) when known; absent, B is fitted with A")
          .include(&DmdcOptions::rank, RankRule::options());
  return options;
}

namespace {

// The model of x lifted to the stacked state [x; u]: zero input rows in the
// modes and in the eigenfunctions' basis, so φ reads x alone.
void lift_to_stacked_state(KoopmanModel& model, const arma::mat& basis, arma::uword inputs) {
  const arma::uword n = model.modes.n_rows;
  model.modes.resize(n + inputs, model.modes.n_cols);
  const auto& projected = dynamic_cast<const ProjectedEigenfunctions&>(*model.eigenfunctions);
  arma::mat stacked_basis(n + inputs, basis.n_cols, arma::fill::zeros);
  stacked_basis.head_rows(n) = basis;
  model.eigenfunctions = std::make_shared<ProjectedEigenfunctions>(std::move(stacked_basis), projected.coefficients());
}

}  // namespace

DmdcFit dmd_with_control(const Trajectories& data, const DmdcOptions& options, const std::string& where) {
  data.validate(where);
  const arma::uword q = options.inputs, rows = data.state_dim();
  if (rows <= q)
    throw DataError(fmt::format("{}: states of {} rows hold no state besides the {} input rows", where, rows, q));
  const arma::uword n = rows - q;
  const SnapshotPairs pairs = data.pairs();
  const arma::mat x = pairs.x.head_rows(n), y = pairs.y.head_rows(n), inputs = pairs.x.tail_rows(q);
  const arma::vec first = data.runs.front().col(0).head(n);

  DmdcFit fit;
  if (options.input_matrix) {
    const arma::mat& b = *options.input_matrix;
    if (b.n_rows != n || b.n_cols != q)
      throw DataError(
          fmt::format("{}: input_matrix is {} × {}, the data need n × q = {} × {}", where, b.n_rows, b.n_cols, n, q));
    const auto projection = project_snapshots(x, y - b * inputs, options.rank, where);
    fit.model = exact_dmd_model(projection.u, projection.b, first, where);
    fit.basis = projection.u;
    fit.input_matrix = b;
  } else {
    const auto [u_omega, sigma_omega, v_omega] = thin_svd(arma::mat(arma::join_cols(x, inputs)), where);
    const arma::uword p = options.rank.select(sigma_omega, n + q, x.n_cols, where);
    // X' Ṽ Σ̃⁻¹ (n × p): [A B] = this · Ũᵀ.
    const arma::mat scaled = (y * v_omega.head_cols(p)).eval().each_row() / sigma_omega.head(p).t();
    const arma::mat u_state = u_omega.submat(0, 0, n - 1, p - 1), u_input = u_omega.submat(n, 0, n + q - 1, p - 1);
    const auto [u_x, sigma_x, v_x] = thin_svd(x, where, SingularVectors::left);
    const arma::uword r = std::min(p, numerical_rank(sigma_x, options.rank.tolerance));
    if (r == 0) throw NumericalError(where + ": the states X have numerical rank 0");
    fit.basis = u_x.head_cols(r);
    fit.model = exact_dmd_model(fit.basis, scaled * (u_state.t() * fit.basis), first, where);
    fit.input_matrix = scaled * u_input.t();
    fit.model.diagnostics["input_rank"] = double(p);
  }
  lift_to_stacked_state(fit.model, fit.basis, q);
  fit.model.dt = data.dt;
  return fit;
}

}  // namespace kooplab
