#include "kooplab/util/thread_clock.hpp"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace kooplab {

double thread_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

// Linear interpolation between order statistics (numpy's default).
double CpuTimings::quantile(double p) const {
  if (samples_.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  const double position = p * double(sorted.size() - 1);
  const auto below = std::size_t(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - double(below)) * (sorted[above] - sorted[below]);
}

}  // namespace kooplab
