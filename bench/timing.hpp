#pragma once
// Timing shared by the benchmarks: CPU seconds of the calling thread (BLAS on
// one thread, as scripts/bench.sh sets it), the best of `repeats`, so that a
// busy machine moves the figures less than it moves wall time.
#include <armadillo>
#include <functional>

#include "kooplab/util/thread_clock.hpp"

namespace kooplab::bench {

inline double seconds(const std::function<void()>& work, int repeats) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const double start = thread_cpu_seconds();
    work();
    best = std::min(best, thread_cpu_seconds() - start);
  }
  return best;
}

// A bare thin SVD of x (LAPACK divide and conquer), the yardstick of the estimators.
inline double svd_seconds(const arma::mat& x, int repeats) {
  return seconds(
      [&] {
        arma::mat u, v;
        arma::vec s;
        arma::svd_econ(u, s, v, x, "both", "dc");
      },
      repeats);
}

}  // namespace kooplab::bench
