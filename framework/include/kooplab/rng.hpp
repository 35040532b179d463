#pragma once
// The random stream of one run. Every run owns one, seeded from its RunSpec;
// nothing in kooplab draws from global random state.
#include <armadillo>
#include <cstdint>
#include <random>
#include <string_view>

namespace kooplab {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  // A named stream, independent of the run streams Rng(seed): for what a
  // plugin draws once and keeps across run seeds (a system's eigenbasis, sensor
  // directions). With the plain Rng(seed) a run of the same seed would draw the
  // very same numbers, e.g. initial states equal to the basis vectors.
  Rng(std::uint64_t seed, std::string_view stream);

  double normal() { return normal_(engine_); }
  double uniform() { return uniform_(engine_); }
  // Uniform integer in [0, bound).
  std::uint64_t below(std::uint64_t bound) {
    return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(engine_);
  }

  arma::mat normal(arma::uword rows, arma::uword cols);
  arma::mat uniform(arma::uword rows, arma::uword cols);
  // A seed for a child stream, so sub-tasks draw independently of each other.
  std::uint64_t split() { return engine_(); }

  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
};

}  // namespace kooplab
