// Dataset `linear_system`: trajectories of x_{t+1} = A x_t (+ process noise)
// from initial states x_0 ~ N(0, I), with Gaussian measurement noise. A is
// given, or built with prescribed eigenvalues as Q B Q⁻¹: B block-diagonal
// (λ, or a real 2×2 block for the pair re ± i·im) and Q a basis drawn from
// system_seed (its own stream, so A stays fixed across run seeds). The
// trajectories carry A's eigenvalues as true_eigenvalues.
// Keys: `kooplab plugins linear_system`.
#include <fmt/format.h>

#include <complex>

#include "kooplab/dataset.hpp"
#include "kooplab/dynamics/trajectory_sampling.hpp"

namespace {

using kooplab::Config;

enum class Basis { random, orthogonal };

struct Settings {
  arma::mat matrix;
  std::optional<kooplab::ComplexList> eigenvalues;
  Basis basis = Basis::random;
  std::uint64_t system_seed = 0;
  kooplab::TrajectorySampling sampling;
  double process_noise = 0.0;
};

class LinearSystem : public kooplab::Dataset {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .add("matrix", &Settings::matrix, "A itself", kooplab::square())
            .add("eigenvalues", &Settings::eigenvalues, "A's eigenvalues: real λ, or [re, im] for the pair re ± i·im",
                 kooplab::non_empty<kooplab::ComplexList>())
            .exactly_one_of({"matrix", "eigenvalues"})
            .choice("basis", &Settings::basis, {{"random", Basis::random}, {"orthogonal", Basis::orthogonal}},
                    "eigenvector basis Q for `eigenvalues`: Gaussian, or its orthogonal QR factor")
            .add("system_seed", &Settings::system_seed, "draws the basis Q")
            .include(&Settings::sampling, kooplab::TrajectorySampling::options())
            .add("process_noise", &Settings::process_noise, "standard deviation of Gaussian noise added at every step",
                 kooplab::at_least(0));
    return options;
  }

  explicit LinearSystem(const Config& section) {
    const Settings settings = options().read(section);
    sampling_ = settings.sampling;
    process_noise_ = settings.process_noise;
    const double n = settings.eigenvalues ? state_size(*settings.eigenvalues) : double(settings.matrix.n_rows);
    // A, and Q, B and Q⁻¹ that build it.
    sampling_.check_memory(section, n, 8.0 * 4.0 * n * n);
    if (!settings.eigenvalues) {
      a_ = settings.matrix;
      true_eigenvalues_ = arma::eig_gen(a_);
    } else {
      build_from_eigenvalues(settings);
    }
  }

  kooplab::Trajectories trajectories(kooplab::Rng& rng) const override {
    const arma::uword n = a_.n_rows;
    kooplab::Trajectories data = sampling_.simulate(
        rng, [n](kooplab::Rng& draw) -> arma::vec { return draw.normal(n, 1); },
        [&](const arma::vec& x, kooplab::Rng& draw) -> arma::vec {
          arma::vec next = a_ * x;
          if (process_noise_ > 0) next += process_noise_ * draw.normal(n, 1);
          return next;
        },
        [](arma::mat run, int) { return run; });
    data.true_eigenvalues = true_eigenvalues_;
    return data;
  }

 private:
  // One state per real eigenvalue, two per complex pair.
  static double state_size(const kooplab::ComplexList& eigenvalues) {
    double n = 0;
    for (const auto& lambda : eigenvalues) n += lambda.imag() == 0.0 ? 1 : 2;
    return n;
  }

  // A = Q B Q⁻¹ with B holding λ on the diagonal and [re −im; im re] blocks.
  void build_from_eigenvalues(const Settings& settings) {
    std::vector<std::complex<double>> lambdas;
    for (const auto& lambda : *settings.eigenvalues) {
      if (lambda.imag() == 0.0) {
        lambdas.push_back(lambda);
      } else {  // the pair, upper half-plane first
        lambdas.emplace_back(lambda.real(), std::abs(lambda.imag()));
        lambdas.emplace_back(lambda.real(), -std::abs(lambda.imag()));
      }
    }
    const arma::uword n = lambdas.size();
    arma::mat block(n, n, arma::fill::zeros);
    for (arma::uword i = 0; i < n; ++i) {
      block(i, i) = lambdas[i].real();
      if (lambdas[i].imag() > 0) {
        block(i + 1, i + 1) = lambdas[i].real();
        block(i, i + 1) = -lambdas[i].imag();
        block(i + 1, i) = lambdas[i].imag();
        ++i;
      }
    }
    kooplab::Rng rng(settings.system_seed, "linear_system basis");
    arma::mat q = rng.normal(n, n);
    if (settings.basis == Basis::orthogonal) {
      arma::mat r;
      arma::qr(q, r, arma::mat(q));
    }
    a_ = q * block * arma::inv(q);
    true_eigenvalues_ = arma::cx_vec(n);
    for (arma::uword i = 0; i < n; ++i) true_eigenvalues_(i) = lambdas[i];
  }

  kooplab::TrajectorySampling sampling_;
  double process_noise_;
  arma::mat a_;
  arma::cx_vec true_eigenvalues_;
};

}  // namespace

KOOPLAB_PLUGIN(LinearSystem, kooplab::Dataset, "linear_system",
               "Trajectories of x_{t+1} = A x_t (+ noise), A given or drawn with prescribed eigenvalues")
