#pragma once
// The one result type every estimator returns.
#include <armadillo>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "kooplab/api.hpp"

namespace kooplab {

// φ(X): evaluates the model's eigenfunctions on states (n × m) and returns
// an r × m matrix, one row per eigenvalue.
class KOOPLAB_API EigenfunctionMap {
 public:
  virtual ~EigenfunctionMap();
  virtual arma::cx_mat evaluate(const arma::mat& states) const = 0;
};

struct KoopmanModel {
  arma::cx_vec eigenvalues;     // λ_i, discrete time
  arma::cx_mat modes;           // n × r Koopman modes in state space
  arma::cx_vec amplitudes;      // r, for the training data's first snapshot
  arma::cx_mat koopman_matrix;  // K in observable (or reduced) coordinates
  arma::vec residuals;          // r, ‖(A − λ_i) z_i‖ per eigenpair
  std::optional<double> dt;     // sampling interval, when known
  std::shared_ptr<const EigenfunctionMap> eigenfunctions;
  std::map<std::string, double> diagnostics;  // rank, ... (estimator-specific)

  arma::uword rank() const { return eigenvalues.n_elem; }
  // log(λ)/Δt; throws when Δt is unknown.
  arma::cx_vec continuous_eigenvalues() const;
  // φ(X), r × m.
  arma::cx_mat eigenfunction_values(const arma::mat& states) const;
  // x_k = Re Σ_i modes_i λ_i^k φ_i(x_0) for k = 0..steps, as n × (steps + 1).
  arma::mat predict(const arma::vec& x0, arma::uword steps) const;
  // One step ahead for every column of X: Re(modes · diag(λ) · φ(X)).
  arma::mat advance(const arma::mat& states) const;
  // Re(modes · diag(λ^k) · amplitudes) for k = 0..steps.
  arma::mat reconstruct(arma::uword steps) const;
  // The same from other amplitudes: from λ^j ∘ amplitudes, steps j .. j + steps.
  arma::mat reconstruct(const arma::cx_vec& start, arma::uword steps) const;
};

}  // namespace kooplab
