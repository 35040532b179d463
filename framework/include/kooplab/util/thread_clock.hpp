#pragma once
// CPU time of the calling thread: what a computation costs, unlike wall time,
// which also counts the moments the thread waits for a core on a loaded
// machine. It leaves out helper threads (a multithreaded BLAS): time with
// BLAS held at one thread.
#include <armadillo>
#include <vector>

namespace kooplab {

// Seconds of CPU time the calling thread has used.
double thread_cpu_seconds();

// Durations of repeated pieces of work, summarised by their median, which a
// few preempted or cache-cold samples do not move.
class CpuTimings {
 public:
  void reserve(arma::uword count) { samples_.reserve(count); }
  void add(double seconds) { samples_.push_back(seconds); }
  arma::uword count() const { return samples_.size(); }
  // Median and quartiles of the samples (NaN when there are none).
  double median() const { return quantile(0.5); }
  double quantile(double p) const;

 private:
  std::vector<double> samples_;
};

}  // namespace kooplab
