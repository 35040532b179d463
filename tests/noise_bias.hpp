#pragma once
// The eigenvalue bias of estimators on noisy data of a linear system: what the
// tests of the noise-robust estimators compare with exact DMD.
#include <armadillo>
#include <cstdint>
#include <string>

#include "kooplab/koopman/spectrum_matching.hpp"
#include "support.hpp"

namespace kooplab::testing {

// The bias of an estimator's eigenvalues on noisy data of a linear system:
// |mean over seeds of (λ̂ − λ)|, each true λ matched to its estimate
// (spectrum_matching.hpp), largest over the eigenvalues. Seed s draws the data
// of run s of `seeds` (first_seed, first_seed + 1, ...): `runs` trajectories of
// `steps` steps with white noise of standard deviation `noise`.
inline double eigenvalue_bias(const std::string& estimator, const LinearSystem& system, double noise, int seeds,
                              std::uint64_t first_seed = 100, arma::uword runs = 20, arma::uword steps = 30) {
  arma::cx_vec mean(system.eigenvalues.n_elem, arma::fill::zeros);
  for (int s = 0; s < seeds; ++s) {
    const KoopmanModel model = fit(estimator, system.data(runs, steps, noise, first_seed + std::uint64_t(s)));
    const SpectrumMatch match = match_spectrum(system.eigenvalues, model.eigenvalues);
    mean += (model.eigenvalues(match.partner) - system.eigenvalues) / double(seeds);
  }
  return arma::abs(mean).max();
}

// eigenvalue_bias of exact DMD and of `estimator` at noise σ = 0.05 and 0.1,
// 40 seeds each from 100: the comparison the noise-robust estimators' tests make.
struct NoiseBias {
  double exact_low, exact_high;  // exact DMD at σ = 0.05, 0.1
  double low, high;              // the estimator at σ = 0.05, 0.1
  std::string text() const {
    return "bias: exact DMD " + std::to_string(exact_low) + ", " + std::to_string(exact_high) + "; estimator " +
           std::to_string(low) + ", " + std::to_string(high);
  }
};
inline NoiseBias noise_bias(const std::string& estimator, const LinearSystem& system) {
  return {eigenvalue_bias("name: dmd", system, 0.05, 40), eigenvalue_bias("name: dmd", system, 0.1, 40),
          eigenvalue_bias(estimator, system, 0.05, 40), eigenvalue_bias(estimator, system, 0.1, 40)};
}

}  // namespace kooplab::testing
