#pragma once
// DMD with control (Proctor, Brunton, Kutz 2016): x_{t+1} ≈ A x_t + B u_t from
// snapshots with known inputs u_t, B known or unknown.
//
// Data: each trajectory's state holds [x_t; u_t], the last q rows being the
// input applied between x_t and x_{t+1} (its value at a trajectory's last
// step is not used). Any dataset gives such data as it is: CSV or NumPy
// columns of states followed by columns of inputs.
//
// B unknown: with Ω = [X; Υ] = Ũ Σ̃ Ṽᵀ truncated to rank p by the RankRule and
// Ũ = [Ũ₁; Ũ₂] split at row n, [A B] ≈ X' Ṽ Σ̃⁻¹ Ũᵀ, so Â = X' Ṽ Σ̃⁻¹ Ũ₁ᵀ and
// B̂ = X' Ṽ Σ̃⁻¹ Ũ₂ᵀ. The basis Û (n × r) spans the states X (their thin
// SVD, r the numerical rank of X at the rule's tolerance, at most p); exact
// DMD's steps then run on Û and Â Û (exact_dmd_model): Ã = Ûᵀ Â Û, exact
// modes Â Û w / λ, residuals ‖(Â − λ) Û w‖. Â itself (n × n) is never formed.
// The paper reduces on the span of the successors X' instead; the states'
// span keeps the free response exact on the data when A is singular (X'
// then spans less than X), as exact DMD's basis of X does.
// B known: exact DMD of the pairs (X, X' − B Υ) with the rule.
//
// The model is the unforced system x_{t+1} = A x_t on the stacked state: its
// modes have zero input rows and its eigenfunctions read x only, so
// predict() and advance() give the free response (u = 0), and amplitudes fit
// the first x. Memory: Ω ((n + q) × m), X' and Ũ, Ṽ of rank p; nothing n × n.
#include <armadillo>
#include <optional>
#include <string>

#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

struct DmdcOptions {
  arma::uword inputs = 1;                 // q, the trailing rows of the state that are inputs
  std::optional<arma::mat> input_matrix;  // B (n × q) when known
  RankRule rank;                          // of Ω (B unknown) or X (B known)

  // The keys: inputs, input_matrix and the RankRule's.
  static const Options<DmdcOptions>& options();
};

struct DmdcFit {
  KoopmanModel model;      // on the stacked state [x; u]
  arma::mat basis;         // Û (n × r): A ≈ Û Ã Ûᵀ on span Û, Ã = model.koopman_matrix
  arma::mat input_matrix;  // B̂ (n × q), or B when given
};

// Fits on trajectories of stacked states [x_t; u_t]. Throws DataError, naming
// `where`, when a state has no rows besides the q inputs or B has another
// shape than n × q. Diagnostics: rank (r), input_rank (p, B unknown).
DmdcFit dmd_with_control(const Trajectories& data, const DmdcOptions& options, const std::string& where);

}  // namespace kooplab
