#pragma once
// A Koopman model standing in for a block of layers (koopman-compression.md,
// layers-as-linear-operations.md): lift the block's input state with the
// dictionary ψ, advance `steps` times, project back to a state.
//
//  - KoopmanBlock: x ↦ D K^steps ψ(x), K (N × N) the Koopman matrix in ψ
//    coordinates, D (n × N) the least-squares decoder x ≈ D ψ(x) (both from
//    least_squares_map). K may be
//    replaced by its best rank-r approximation (K ≈ U_r Σ_r V_rᵀ); with one
//    step the decoder is folded into the left factor, so the block stores
//    D K (n × N) in full or D U_r Σ_r (n × r) and V_rᵀ (r × N) truncated.
//  - modal_advance: x ↦ Re(Φ Λ^steps φ(x)) with any estimator's modes Φ,
//    eigenvalues Λ and eigenfunctions φ.
#include <armadillo>
#include <memory>
#include <optional>
#include <string>

#include "kooplab/koopman_model.hpp"
#include "kooplab/observable.hpp"

namespace kooplab {

// The SVD truncation of a matrix to rank r (Eckart–Young): matrix ≈ left · right,
// left = U_r Σ_r, right = V_rᵀ; ‖matrix − left·right‖_F = ‖discarded‖ and the
// spectral-norm error is discarded(0) (0 when nothing is discarded).
struct LowRankMatrix {
  arma::mat left, right;
  arma::vec discarded;  // σ_{r+1}, σ_{r+2}, ...

  arma::uword rank() const { return left.n_cols; }
  arma::uword parameter_count() const { return left.n_elem + right.n_elem; }
  arma::mat product() const { return left * right; }
};
LowRankMatrix truncate_svd(const arma::mat& matrix, arma::uword rank, const std::string& where);

// targets · Ψ⁺ through the thin SVD of Ψ (N × M), singular values below
// `tolerance` · σ_1 dropped: the least-squares (minimum-norm) linear map from
// the lifted columns Ψ to the target columns. With targets = ψ(Y), Ψ = ψ(X) it
// is EDMD's Koopman matrix K = Ψy Ψx⁺ in ψ coordinates, defined also when Ψx
// has lower rank than N (dead ReLU units), where estimators reduce it; with
// targets = X, Ψ = ψ(X) it is the decoder x ≈ D ψ(x), exact when ψ contains x.
arma::mat least_squares_map(const arma::mat& targets, const arma::mat& lifted, double tolerance = 1e-10);

class KoopmanBlock {
 public:
  // ψ (the run owns it and outlives the block), K (N × N), D (n × N), steps ≥ 1.
  KoopmanBlock(std::shared_ptr<const Observable> dictionary, arma::mat koopman, arma::mat decoder, arma::uword steps);

  // The same block with K truncated to rank r ≥ 1 (r ≥ N keeps K).
  KoopmanBlock truncated(arma::uword rank, const std::string& where) const;

  arma::mat operator()(const arma::mat& states) const;
  // Entries of the matrices the block stores (ψ's own parameters excluded).
  arma::uword parameter_count() const;
  arma::uword rank() const;
  // σ of K dropped by the truncation (empty when K is kept whole).
  const arma::vec& discarded() const { return discarded_; }

 private:
  std::shared_ptr<const Observable> dictionary_;
  arma::mat koopman_, decoder_;
  std::optional<LowRankMatrix> factors_;  // set when truncated: K ≈ left · right
  arma::vec discarded_;
  arma::uword steps_;
};

// Re(Φ Λ^steps φ(X)), one column per state.
arma::mat modal_advance(const KoopmanModel& model, const arma::mat& states, arma::uword steps);

}  // namespace kooplab
