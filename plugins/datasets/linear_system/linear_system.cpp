// Dataset `linear_system`: trajectories of x_{t+1} = A x_t from random initial states.
//
// dataset:
//   name: linear_system
//   matrix: [[0.9, 0.1], [0, 0.5]]   # A itself, or instead:
//   eigenvalues: [0.9, [0.8, 0.3]]   # real λ, or [re, im] for the pair re ± i·im
//   basis: random | orthogonal       # eigenvector basis for `eigenvalues` (default random)
//   system_seed: 0                   # draws the basis, so A is fixed across run seeds
//   trajectories: 4                  # number of trajectories (initial states ~ N(0, I))
//   steps: 50                        # transitions per trajectory (steps + 1 snapshots)
//   process_noise: 0                 # std of Gaussian noise added at every step
//   noise: 0                         # std of Gaussian measurement noise on every snapshot
//   dt: 1                            # sampling interval
#include <fmt/format.h>

#include <complex>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"

namespace {

using kooplab::Config;

class LinearSystem : public kooplab::Dataset {
 public:
  explicit LinearSystem(const Config& section)
      : trajectories_(section.get_or<int>("trajectories", 4)),
        steps_(section.get_or<int>("steps", 50)),
        process_noise_(section.get_or<double>("process_noise", 0.0)),
        noise_(section.get_or<double>("noise", 0.0)),
        dt_(section.get_or<double>("dt", 1.0)) {
    if (trajectories_ < 1) section.fail("trajectories", "expected at least 1");
    if (steps_ < 1) section.fail("steps", "expected at least 1");
    if (process_noise_ < 0) section.fail("process_noise", "expected a standard deviation ≥ 0");
    if (noise_ < 0) section.fail("noise", "expected a standard deviation ≥ 0");
    if (!(dt_ > 0)) section.fail("dt", "expected a positive sampling interval");
    const bool has_matrix = section.has("matrix"), has_eigenvalues = section.has("eigenvalues");
    const std::string basis = section.get_or<std::string>("basis", "random");
    const auto system_seed = section.get_or<std::uint64_t>("system_seed", 0);
    if (has_matrix == has_eigenvalues) section.fail("give exactly one of 'matrix' and 'eigenvalues'");
    if (has_matrix) {
      a_ = section.get<arma::mat>("matrix");
      if (!a_.is_square()) section.fail("matrix", fmt::format("expected a square matrix, got {}×{}", a_.n_rows, a_.n_cols));
      if (!a_.is_finite()) section.fail("matrix", "has non-finite entries");
      true_eigenvalues_ = arma::eig_gen(a_);
    } else {
      build_from_eigenvalues(section, basis, system_seed);
    }
  }

  kooplab::Trajectories trajectories(kooplab::Rng& rng) const override {
    kooplab::Trajectories data;
    data.dt = dt_;
    data.true_eigenvalues = true_eigenvalues_;
    const arma::uword n = a_.n_rows;
    for (int k = 0; k < trajectories_; ++k) {
      arma::mat run(n, arma::uword(steps_) + 1);
      run.col(0) = rng.normal(n, 1);
      for (int t = 0; t < steps_; ++t) {
        run.col(t + 1) = a_ * run.col(t);
        if (process_noise_ > 0) run.col(t + 1) += process_noise_ * rng.normal(n, 1);
      }
      if (noise_ > 0) run += noise_ * rng.normal(n, run.n_cols);
      data.runs.push_back(std::move(run));
    }
    return data;
  }

 private:
  void build_from_eigenvalues(const Config& section, const std::string& basis, std::uint64_t system_seed) {
    const YAML::Node& list = section.node()["eigenvalues"];
    if (!list.IsSequence() || list.size() == 0) section.fail("eigenvalues", "expected a list of eigenvalues");
    std::vector<std::complex<double>> lambdas;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string key = fmt::format("eigenvalues[{}]", i);
      const YAML::Node item = list[i];
      try {
        if (item.IsScalar()) {
          lambdas.emplace_back(item.as<double>(), 0.0);
        } else if (item.IsSequence() && item.size() == 2 && item[1].as<double>() != 0.0) {
          lambdas.emplace_back(item[0].as<double>(), item[1].as<double>());
          lambdas.emplace_back(item[0].as<double>(), -item[1].as<double>());
        } else {
          section.fail(key, "expected a number or [re, im] with im ≠ 0");
        }
      } catch (const YAML::Exception&) {
        section.fail(key, "expected a number or [re, im] with im ≠ 0");
      }
    }
    const arma::uword n = lambdas.size();
    arma::mat block(n, n, arma::fill::zeros);
    for (arma::uword i = 0; i < n; ++i) {
      if (lambdas[i].imag() > 0) {  // real 2×2 block with eigenvalues re ± i·im
        block(i, i) = block(i + 1, i + 1) = lambdas[i].real();
        block(i, i + 1) = -lambdas[i].imag();
        block(i + 1, i) = lambdas[i].imag();
        ++i;
      } else {
        block(i, i) = lambdas[i].real();
      }
    }
    kooplab::Rng rng(system_seed, "linear_system basis");
    arma::mat q = rng.normal(n, n);
    if (basis == "orthogonal") {
      arma::mat r;
      arma::qr(q, r, arma::mat(q));
    } else if (basis != "random") {
      section.fail("basis", fmt::format("expected random or orthogonal, got '{}'", basis));
    }
    a_ = q * block * arma::inv(q);
    true_eigenvalues_ = arma::cx_vec(n);
    for (arma::uword i = 0; i < n; ++i) true_eigenvalues_(i) = lambdas[i];
  }

  int trajectories_, steps_;
  double process_noise_, noise_, dt_;
  arma::mat a_;
  arma::cx_vec true_eigenvalues_;
};

}  // namespace

KOOPLAB_PLUGIN(LinearSystem, kooplab::Dataset, "linear_system",
               "Trajectories of x_{t+1} = A x_t (+ noise), A given or drawn with prescribed eigenvalues")
