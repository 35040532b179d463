#pragma once
// Koopman training (Dogra & Redman 2020, koopman-training.md, Algorithm 1): the
// training algorithm is a map w(t+1) = T(w(t)) of the parameters, so the
// finite section Ũ = F'F⁺ (Eq. 4) fitted on recorded steps t1..t2 can evolve
// them past t2 with matrix products alone. The full operator is partitioned
// into one Ũ_b per parameter block b (network, layer, node or single weight).
//
// Each Ũ_b = F'_b F_b⁺ is kept as the factors (F'_b V Σ⁻¹)(Uᵀ) of the thin SVD
// F_b = U Σ Vᵀ, truncated by a RankRule, so a step costs O(p_b r_b) and nothing
// p_b × p_b is formed (p_b parameters, r_b ≤ t2 − t1 kept singular values).
// A fixed rank N is a cap: a block of numerical rank below N keeps its own.
// A block whose recorded values are all zero stays as it is.
#include <armadillo>
#include <vector>

#include "kooplab/koopman/rank_rule.hpp"

namespace kooplab {

class PartitionedKoopmanOperator {
 public:
  // `trajectory`: the parameters (rows) after consecutive optimizer steps
  // (columns, at least 2); `blocks`: disjoint row sets.
  PartitionedKoopmanOperator(const arma::mat& trajectory, const std::vector<arma::uvec>& blocks, const RankRule& rule);

  // One Koopman step w_b ← Ũ_b w_b of every block; entries in no block stay.
  void advance(arma::vec& parameters) const;

  arma::uword block_count() const { return blocks_.size(); }
  // The kept ranks r_b, one per block (0 for a block that stays).
  arma::uvec ranks() const;
  // Why an evolution grows or not, one entry per block (0 for a block that
  // stays): the spectral radius of Ũ_b (the nonzero eigenvalues of
  // left · rightᵀ are those of rightᵀ · left, r_b × r_b), and the condition
  // number σ_1/σ_r of the kept part of F_b, which pinv(F_b) amplifies noise by.
  arma::vec spectral_radii() const;
  arma::vec conditions() const;

 private:
  struct Block {
    arma::uvec indices;
    arma::mat left, right;  // Ũ_b = left · rightᵀ
    double spectral_radius = 0.0, condition = 0.0;
    arma::uword offset = 0;  // of the block's entries in gathered_
  };
  std::vector<Block> blocks_;
  arma::uvec gathered_;  // the indices of every block that moves, block after block
  arma::uword max_rank_ = 0;
  arma::uword parameter_count_ = 0;
};

}  // namespace kooplab
