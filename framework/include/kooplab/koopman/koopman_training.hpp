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
// A block whose recorded values are all zero stays as it is. Blocks must not
// share a parameter.
#include <armadillo>
#include <cstddef>
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
    arma::uword rank = 0;
    double spectral_radius = 0.0, condition = 0.0;
    arma::uword offset = 0;  // of the block's entries in gathered_
  };
  // Blocks whose i-th entries are consecutive parameters, e.g. the nodes of a
  // dense layer (row j of W, stored by columns, and bias j): they are advanced
  // together, vectorised across the blocks, with no gather. Each factor is
  // stored entry by entry, then by rank, then by block; a block of lower rank
  // has zero columns up to the group's.
  struct InterleavedGroup {
    arma::uword blocks = 0, rank = 0;
    arma::uvec first_entries;  // the parameters of the group's first block
    arma::vec left, right;
  };
  // Packs each run of interleaved blocks (block indices, first entries
  // consecutive) into a group where that is faster than BLAS per block.
  void group_interleaved_blocks(const std::vector<std::vector<std::size_t>>& runs);
  // `coordinates`: room for blocks × rank values.
  static void advance_group(const InterleavedGroup& group, double* parameters, double* coordinates);

  std::vector<Block> blocks_;
  std::vector<InterleavedGroup> groups_;
  arma::uvec gathered_;  // the indices of every other block that moves, block after block
  arma::uword max_rank_ = 0, max_group_coordinates_ = 0;
  arma::uword parameter_count_ = 0;
};

}  // namespace kooplab
