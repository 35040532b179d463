#pragma once
// The snapshot pairs of trajectories, for reading, without a copy where the
// memory allows it: the pairs of a single trajectory are its columns 0…T−2
// and 1…T−1, each contiguous in the trajectory's own memory, so X and Y are
// views of it. Several trajectories are copied side by side as
// Trajectories::pairs() does. A fit that only reads X and Y saves two n × M
// copies (at 20000 × 500, 160 MB of fresh memory, 0.6 s on one core).
#include <armadillo>

#include "kooplab/trajectories.hpp"

namespace kooplab {

// Columns [first, first + count) of `run` in place, for reading only: `run`
// must outlive the view and stay unchanged while it is used. (Not const, so
// that moving it keeps the aliasing; a copy would copy the columns.)
arma::mat column_view(const arma::mat& run, arma::uword first, arma::uword count);

class SnapshotPairsView {
 public:
  // `data` must outlive the view and stay unchanged while it is used.
  explicit SnapshotPairsView(const Trajectories& data);
  explicit SnapshotPairsView(const Trajectories&&) = delete;  // would view a temporary

  const arma::mat& x() const { return x_; }  // n × M states
  const arma::mat& y() const { return y_; }  // n × M successors

 private:
  arma::mat x_, y_;
};

}  // namespace kooplab
