#include "kooplab/koopman/amplitudes.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

arma::cx_vec fit_amplitudes(const arma::cx_mat& modes, const arma::vec& snapshot) {
  arma::cx_vec amplitudes;
  if (!arma::solve(amplitudes, modes, to_complex(snapshot), arma::solve_opts::no_approx))
    throw NumericalError("least-squares amplitudes failed: the modes are numerically dependent");
  return amplitudes;
}

arma::cx_vec fit_amplitudes_trajectory(const arma::cx_mat& modes, const arma::cx_vec& eigenvalues,
                                       const arma::mat& snapshots, arma::uword first_step) {
  const arma::uword r = eigenvalues.n_elem, steps = snapshots.n_cols;
  arma::cx_mat vandermonde(r, steps);
  vandermonde.col(0) = arma::pow(eigenvalues, double(first_step));
  for (arma::uword t = 1; t < steps; ++t) vandermonde.col(t) = vandermonde.col(t - 1) % eigenvalues;
  const arma::cx_mat system = (modes.t() * modes) % arma::conj(vandermonde * vandermonde.t());
  // diag(V Xᴴ Z)_i = Σ_t V_it (Xᴴ Z)_ti
  const arma::cx_mat projected = to_complex(arma::mat(snapshots.t())) * modes;  // T × r
  const arma::cx_vec rhs = arma::conj(arma::sum(vandermonde % projected.st(), 1));
  arma::cx_vec amplitudes;
  if (arma::solve(amplitudes, system, rhs, arma::solve_opts::no_approx)) return amplitudes;
  // A mode that never shows in the snapshots (e.g. zero) gets the minimum-norm amplitude 0.
  arma::cx_mat inverse;
  if (!arma::pinv(inverse, system))
    throw NumericalError("amplitudes over the trajectory: the pseudo-inverse of the normal equations failed");
  return inverse * rhs;
}

ReorderedEigenfunctions::ReorderedEigenfunctions(std::shared_ptr<const EigenfunctionMap> inner, arma::uvec order)
    : inner_(std::move(inner)), order_(std::move(order)) {}

arma::cx_mat ReorderedEigenfunctions::evaluate(const arma::mat& states) const {
  return inner_->evaluate(states).rows(order_);
}

arma::cx_vec state_amplitudes(const arma::cx_mat& modes, const arma::vec& state) {
  if (modes.n_rows != state.n_elem)
    throw DataError(fmt::format("state amplitudes: modes of {} rows for a state of {}", modes.n_rows, state.n_elem));
  arma::cx_vec coefficients;
  if (!arma::solve(coefficients, modes, to_complex(state), arma::solve_opts::no_approx))
    throw NumericalError("state amplitudes: the least-squares fit of the state in the modes failed");
  return coefficients;
}

namespace {

// |amplitude_i| · ‖mode_i‖: each mode's share of the first snapshot.
arma::vec amplitude_weights(const KoopmanModel& model) {
  return arma::abs(model.amplitudes) % arma::sqrt(arma::sum(arma::square(arma::abs(model.modes)), 0)).t();
}

// Keeps the eigenpairs `rows` (in that order) of every per-eigenpair member.
void select_eigenpairs(KoopmanModel& model, const arma::uvec& rows) {
  const arma::uword rank = model.eigenvalues.n_elem;
  model.eigenvalues = model.eigenvalues(rows);
  model.modes = model.modes.cols(rows);
  model.amplitudes = model.amplitudes(rows);
  if (model.residuals.n_elem == rank) model.residuals = model.residuals(rows);
  if (model.eigenfunctions)
    model.eigenfunctions = std::make_shared<ReorderedEigenfunctions>(model.eigenfunctions, rows);
}

}  // namespace

void sort_by_amplitude(KoopmanModel& model) {
  select_eigenpairs(model, arma::stable_sort_index(amplitude_weights(model), "descend"));
}

void keep_by_amplitude(KoopmanModel& model, double tolerance) {
  const arma::vec weight = amplitude_weights(model);
  const arma::uvec kept = arma::find(weight >= tolerance * weight.max());
  if (kept.n_elem == weight.n_elem) return;
  select_eigenpairs(model, kept);
  model.diagnostics["rank"] = double(kept.n_elem);
}

}  // namespace kooplab
