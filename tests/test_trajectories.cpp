// Trajectories: snapshot pairs.
#include <doctest/doctest.h>

#include "kooplab/trajectories.hpp"

TEST_CASE("pairs never straddle two trajectories") {
  kooplab::Trajectories data;
  data.runs = {arma::mat{{1, 2, 3}}, arma::mat{{10, 20}}};
  const auto pairs = data.pairs();
  CHECK(arma::approx_equal(pairs.x, arma::mat{{1, 2, 10}}, "absdiff", 0));
  CHECK(arma::approx_equal(pairs.y, arma::mat{{2, 3, 20}}, "absdiff", 0));
}
