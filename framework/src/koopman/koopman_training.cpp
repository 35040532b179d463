#include "kooplab/koopman/koopman_training.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

PartitionedKoopmanOperator::PartitionedKoopmanOperator(const arma::mat& trajectory,
                                                       const std::vector<arma::uvec>& blocks, const RankRule& rule) {
  if (trajectory.n_cols < 2)
    throw DataError(fmt::format("Koopman training: {} recorded step(s); at least 2 are needed", trajectory.n_cols));
  if (!trajectory.is_finite()) throw DataError("Koopman training: the recorded parameters hold NaN or Inf");
  const arma::uword steps = trajectory.n_cols - 1;
  parameter_count_ = trajectory.n_rows;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    Block block{blocks[b], {}, {}};
    if (!block.indices.is_empty() && block.indices.max() >= trajectory.n_rows)
      throw DataError(fmt::format("Koopman training: block {} reaches parameter {} of {}", b, block.indices.max(),
                                  trajectory.n_rows));
    const arma::mat rows = trajectory.rows(block.indices);
    const arma::mat before = rows.head_cols(steps), after = rows.tail_cols(steps);  // F, F'
    const std::string where = fmt::format("Koopman training block {}", b);
    const auto [u, sigma, v] = thin_svd(before, where);
    if (!sigma.is_empty() && sigma(0) > 0) {
      // A fixed rank caps every block: a block of lower numerical rank (a dead
      // node whose weights never move) keeps what it has.
      RankRule capped = rule;
      if (capped.kind == RankRule::Kind::fixed)
        capped.fixed_rank = std::min(capped.fixed_rank, numerical_rank(sigma, capped.tolerance));
      const arma::uword r = capped.select(sigma, before.n_rows, before.n_cols, where);
      block.left = (after * v.head_cols(r)).eval().each_row() / sigma.head(r).t();
      block.right = u.head_cols(r);
      block.spectral_radius = arma::max(arma::abs(arma::eig_gen(arma::mat(block.right.t() * block.left))));
      block.condition = sigma(0) / sigma(r - 1);
    }
    if (!block.left.is_empty()) {
      block.offset = gathered_.n_elem;
      gathered_ = arma::join_cols(gathered_, block.indices);
      max_rank_ = std::max(max_rank_, block.left.n_cols);
    }
    blocks_.push_back(std::move(block));
  }
}

void PartitionedKoopmanOperator::advance(arma::vec& parameters) const {
  if (parameters.n_elem != parameter_count_)
    throw DataError(fmt::format("Koopman training: a step of {} parameters, but the operator was fitted on {}",
                                parameters.n_elem, parameter_count_));
  if (gathered_.is_empty()) return;
  // One gather and one scatter for all blocks, as plain loops (the indices
  // were checked when the operator was built); each block then works on a
  // contiguous slice through views, with no allocation per block.
  const arma::uword* index = gathered_.memptr();
  const arma::uword size = gathered_.n_elem;
  arma::vec current(size), next(size), reduced(max_rank_);
  for (arma::uword i = 0; i < size; ++i) current[i] = parameters[index[i]];
  for (const Block& block : blocks_) {
    if (block.left.is_empty()) continue;
    const arma::vec slice(current.memptr() + block.offset, block.indices.n_elem, false, true);
    arma::vec coordinates(reduced.memptr(), block.left.n_cols, false, true);
    arma::vec evolved(next.memptr() + block.offset, block.indices.n_elem, false, true);
    coordinates = block.right.t() * slice;
    evolved = block.left * coordinates;
  }
  for (arma::uword i = 0; i < size; ++i) parameters[index[i]] = next[i];
}

arma::uvec PartitionedKoopmanOperator::ranks() const {
  arma::uvec out(blocks_.size());
  for (std::size_t b = 0; b < blocks_.size(); ++b) out(b) = blocks_[b].left.n_cols;
  return out;
}

arma::vec PartitionedKoopmanOperator::spectral_radii() const {
  arma::vec out(blocks_.size());
  for (std::size_t b = 0; b < blocks_.size(); ++b) out(b) = blocks_[b].spectral_radius;
  return out;
}

arma::vec PartitionedKoopmanOperator::conditions() const {
  arma::vec out(blocks_.size());
  for (std::size_t b = 0; b < blocks_.size(); ++b) out(b) = blocks_[b].condition;
  return out;
}

}  // namespace kooplab
