#pragma once
// Mode amplitudes, fitted to one snapshot or to a whole trajectory, and
// ordering a model's eigenpairs by amplitude.
#include <armadillo>
#include <memory>

#include "kooplab/koopman_model.hpp"

namespace kooplab {

// Least-squares amplitudes b minimising ‖modes · b − snapshot‖. Throws
// NumericalError when the modes are numerically dependent.
arma::cx_vec fit_amplitudes(const arma::cx_mat& modes, const arma::vec& snapshot);

// Amplitudes b minimising Σ_t ‖x_t − modes · diag(λ)^t · b‖² over all columns
// of `snapshots` (n × T, consecutive states x_s, x_{s+1}, … from s =
// `first_step`; the model still starts at t = 0), by the normal
// equations (ZᴴZ ∘ conj(VVᴴ)) b = conj(diag(V Xᴴ Z)) with the Vandermonde V.
// Singular equations (modes that vanish, repeated eigenvalues with dependent
// modes) get the minimum-norm solution. Memory: n·r + r·T + r².
arma::cx_vec fit_amplitudes_trajectory(const arma::cx_mat& modes, const arma::cx_vec& eigenvalues,
                                       const arma::mat& snapshots, arma::uword first_step = 0);

// The least-squares coefficients b of one state x in the modes, x ≈ modes · b:
// the amplitudes of the model restarted at x, without extrapolating λ^t.
// Throws DataError for a state of another length, NumericalError when the
// solve fails.
arma::cx_vec state_amplitudes(const arma::cx_mat& modes, const arma::vec& state);

// φ with its rows taken in a given order: row i is the inner map's row order(i)
// (a permutation, or a selection of rows).
class ReorderedEigenfunctions : public EigenfunctionMap {
 public:
  ReorderedEigenfunctions(std::shared_ptr<const EigenfunctionMap> inner, arma::uvec order);
  arma::cx_mat evaluate(const arma::mat& states) const override;

  const std::shared_ptr<const EigenfunctionMap>& inner() const { return inner_; }
  const arma::uvec& order() const { return order_; }

 private:
  std::shared_ptr<const EigenfunctionMap> inner_;
  arma::uvec order_;
};

// Reorders every per-eigenpair member of the model (eigenvalues, modes,
// amplitudes, residuals, eigenfunction rows) by decreasing |amplitude|·‖mode‖,
// the size of each mode's share of the first snapshot.
void sort_by_amplitude(KoopmanModel& model);

// Drops the eigenpairs whose |amplitude|·‖mode‖ is below `tolerance` times the
// largest (HODMD's ε₂), from every per-eigenpair member; the Koopman matrix
// stays the operator they were found from. Diagnostic rank: the pairs kept.
void keep_by_amplitude(KoopmanModel& model, double tolerance);

}  // namespace kooplab
