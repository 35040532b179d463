// Trajectories: snapshot pairs, copied and viewed.
#include <doctest/doctest.h>

#include "kooplab/snapshot_pairs_view.hpp"
#include "kooplab/trajectories.hpp"

TEST_CASE("pairs never straddle two trajectories") {
  kooplab::Trajectories data;
  data.runs = {arma::mat{{1, 2, 3}}, arma::mat{{10, 20}}};
  const auto pairs = data.pairs();
  CHECK(arma::approx_equal(pairs.x, arma::mat{{1, 2, 10}}, "absdiff", 0));
  CHECK(arma::approx_equal(pairs.y, arma::mat{{2, 3, 20}}, "absdiff", 0));
}

TEST_CASE("the pairs of one trajectory are views of its columns, of several the copied pairs") {
  kooplab::Trajectories one;
  one.runs = {arma::mat{{1, 2, 3, 4}, {5, 6, 7, 8}}};
  const kooplab::SnapshotPairsView view(one);
  CHECK(view.x().memptr() == one.runs.front().colptr(0));
  CHECK(view.y().memptr() == one.runs.front().colptr(1));
  CHECK(arma::approx_equal(view.x(), arma::mat{{1, 2, 3}, {5, 6, 7}}, "absdiff", 0));
  CHECK(arma::approx_equal(view.y(), arma::mat{{2, 3, 4}, {6, 7, 8}}, "absdiff", 0));

  kooplab::Trajectories two;
  two.runs = {arma::mat{{1, 2, 3}}, arma::mat{{10, 20}}};
  const kooplab::SnapshotPairsView copied(two);
  CHECK(arma::approx_equal(copied.x(), arma::mat{{1, 2, 10}}, "absdiff", 0));
  CHECK(arma::approx_equal(copied.y(), arma::mat{{2, 3, 20}}, "absdiff", 0));
}
