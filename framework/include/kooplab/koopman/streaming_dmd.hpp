#pragma once
// Streaming DMD (after Hemati, Williams, Rowley, "Dynamic mode decomposition
// for large and streaming datasets", Phys. Fluids 26, 2014): exact DMD updated
// one snapshot pair (x, y) at a time, without keeping the snapshots.
//
// State: orthonormal bases Qx (n × r_x) of the x seen so far and Qy (n × r_y)
// of the y, grown by Gram–Schmidt (twice, for orthogonality to round-off) when
// a new vector leaves their span by more than `tolerance` relative to its
// norm; and in their coordinates x̃ = Qxᵀ x, ỹ = Qyᵀ y the sums
//   Gx = Σ ρ^age x̃ x̃ᵀ (r_x × r_x),   Ayx = Σ ρ^age ỹ x̃ᵀ (r_y × r_x),
// where ρ ∈ (0, 1] is the forgetting factor (each update multiplies both by ρ
// first). A new direction pads both with zeros: the earlier vectors have no
// component along it. The model: with X = Qx X̃, Y = Qy Ỹ the least-squares
// operator on range(X) is A Qx = Y X⁺ Qx = Qy Ayx Gx⁻¹ =: B (n × r_x), and
// exact DMD's steps on (U = Qx, B) give eigenvalues, modes, eigenfunctions
// φ(x) = W⁻¹ Qxᵀ x, residuals ‖B w_i − λ_i Qx w_i‖ and amplitudes
// (exact_dmd.hpp). With ρ = 1 this is exact DMD of all pairs at full rank, in
// another orthonormal basis of the same subspace: equal to round-off (Gx
// squares the condition number of X, so to about cond(X)² ε). With ρ < 1 pair
// j of M carries the weight ρ^(M − j) in the least squares, so the model
// follows dynamics that drift.
// Memory: n (r_x + r_y) + r_x² + r_y r_x, whatever the number of pairs; r_x,
// r_y ≤ n are the ranks of the data. Cost per pair: O(n (r_x + r_y) + r_x r_y).
#include <armadillo>
#include <string>

#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

struct StreamingDmdOptions {
  double forgetting = 1.0;   // ρ
  double tolerance = 1e-10;  // a vector leaves the span when its remainder exceeds this share of its norm

  // The keys: forgetting, tolerance.
  static const Options<StreamingDmdOptions>& options();
};

class StreamingDmd {
 public:
  StreamingDmd(arma::uword state_dim, const StreamingDmdOptions& options);
  // One snapshot pair y = A x. Throws DataError for the wrong dimension.
  void update(const arma::vec& x, const arma::vec& y);
  arma::uword pairs() const { return pairs_; }
  arma::uword rank() const { return basis_x_.n_cols; }
  // The model of the pairs so far; `first_snapshot` gives the amplitudes.
  // Throws NumericalError, naming `where`, when every x so far was zero.
  // Diagnostics: rank (r_x), pairs.
  KoopmanModel model(const arma::vec& first_snapshot, const std::string& where) const;

 private:
  StreamingDmdOptions options_;
  arma::mat basis_x_, basis_y_;  // Qx, Qy
  arma::mat gram_x_;             // Gx
  arma::mat cross_;              // Ayx
  arma::uword pairs_ = 0;
};

}  // namespace kooplab
