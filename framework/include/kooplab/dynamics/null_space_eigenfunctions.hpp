#pragma once
// Analytical Koopman eigenfunctions of the network families (network_dynamics.hpp)
// from the left null space of W. With W = U Σ Vᵀ (full SVD) and u a left
// singular vector of singular value 0 (Wᵀ u = 0):
//   family one:  φ(x) = uᵀ ζ(x),       λ = −1      (the RNN: φ(x) = uᵀ(x − θ))
//   family two:  φ(x) = exp(uᵀ ζ(x)),  λ = −uᵀ c
// because d(uᵀζ)/dt = uᵀ(−ζ + W h) = −uᵀζ, resp. = −uᵀc.
// In y = Uᵀ ζ(x) the last N − r coordinates are uᵀζ: they decay as e^{−t}
// (family one) or drift at the rate −uᵀc (family two).
//
// Null basis conventions: each vector's largest entry is made positive. For
// family two the basis is rotated so that the first vector is P c / ‖P c‖ (P the
// projector on the null space), the only decaying one (λ = −‖P c‖); the others
// are orthogonal to c and give conserved quantities (λ = 0).
#include <armadillo>

#include "kooplab/dynamics/rnn_families.hpp"

namespace kooplab {

struct NullSpaceEigenfunctions {
  NetworkDynamics::Family family = NetworkDynamics::Family::one;
  ElementwiseFunction zeta = ElementwiseFunction::identity();
  arma::mat left_singular_vectors;  // U (N × N); its last N − r columns are the null basis
  arma::vec singular_values;        // σ of W, descending
  arma::uword rank = 0;             // numerical rank r of W
  arma::vec eigenvalues;            // λ_k, continuous time, one per null vector

  arma::uword count() const { return eigenvalues.n_elem; }
  // The orthonormal basis of ker Wᵀ, N × (N − r).
  arma::mat null_vectors() const;
  // φ_k(x) for each state column: (N − r) × m.
  arma::mat evaluate(const arma::mat& states) const;
  // y = Uᵀ ζ(x) for each state column: N × m.
  arma::mat coordinates(const arma::mat& states) const;
};

// σ_i ≤ tolerance · σ_1 counts as zero (rank_rule.hpp's numerical_rank).
NullSpaceEigenfunctions null_space_eigenfunctions(const NetworkDynamics& dynamics, double tolerance = 1e-10);

}  // namespace kooplab
