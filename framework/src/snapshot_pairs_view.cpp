#include "kooplab/snapshot_pairs_view.hpp"

namespace kooplab {

// Armadillo's aliasing constructor takes a mutable pointer; the view is
// only ever read, so the trajectory is never written through it.
arma::mat column_view(const arma::mat& run, arma::uword first, arma::uword count) {
  return arma::mat(const_cast<double*>(run.colptr(first)), run.n_rows, count, /*copy_aux_mem=*/false,
                   /*strict=*/true);
}

SnapshotPairsView::SnapshotPairsView(const Trajectories& data) {
  if (data.runs.size() == 1 && data.runs.front().n_cols >= 2) {
    const arma::mat& run = data.runs.front();
    x_ = column_view(run, 0, run.n_cols - 1);  // a move: the view keeps aliasing
    y_ = column_view(run, 1, run.n_cols - 1);
    return;
  }
  SnapshotPairs pairs = data.pairs();
  x_ = std::move(pairs.x);
  y_ = std::move(pairs.y);
}

}  // namespace kooplab
