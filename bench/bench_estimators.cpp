// Estimator cost relative to a bare thin LAPACK SVD (svd_econ, divide and
// conquer) of the same snapshot matrix X, in one run:
//   - 2000 × 400 and 20000 × 200 snapshot matrices (one trajectory of random
//     states), through the plugins dmd, dmd_rrr (Ritz and refined vectors),
//     edmd (identity dictionary) and delay_dmd (2 delays, so its windows are
//     twice as tall as X);
//   - EDMD on 10⁵ pairs × 500 observables (the library's edmd on trajectories,
//     Gram and SVD forms; ψ(x) = x, so the state regression X Ψx⁺ is 500 × 500
//     too), relative to the SVD of Ψx.
// Refined Ritz vectors cost a k × k triangular–pentagonal QR per Ritz value
// (kooplab/koopman/refined_ritz.hpp). Set OPENBLAS_NUM_THREADS=1 for
// single-threaded BLAS as in a run. Each time is the best of `repeats` in CPU
// seconds (timing.hpp).
#include <fmt/format.h>

#include "kooplab/estimator.hpp"
#include "kooplab/koopman/edmd.hpp"
#include "kooplab/registry.hpp"
#include "timing.hpp"

namespace {

using kooplab::bench::seconds;
using kooplab::bench::svd_seconds;

// ψ(x) = x: the benchmark times the estimator, not a dictionary.
class Passthrough : public kooplab::Observable {
 public:
  arma::mat evaluate(const arma::mat& states) const override { return states; }
};

}  // namespace

int main() {
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  kooplab::Rng rng(1);
  const std::vector<std::pair<std::string, std::string>> estimators = {
      {"dmd", "name: dmd"},
      {"dmd_rrr (Ritz)", "name: dmd_rrr\nrefine: none"},
      {"dmd_rrr (refined)", "name: dmd_rrr"},
      {"edmd (identity)", "name: edmd"},
      {"delay_dmd (d=2)", "name: delay_dmd\ndelays: 2"},
  };
  fmt::print("| snapshot matrix | SVD (s) |");
  for (const auto& [label, yaml] : estimators) fmt::print(" {} |", label);
  fmt::print("\n|---|---|");
  for (std::size_t i = 0; i < estimators.size(); ++i) fmt::print("---|");
  fmt::print("\n");
  for (const auto& [n, m] : std::vector<std::pair<arma::uword, arma::uword>>{{2000, 400}, {20000, 200}}) {
    kooplab::Trajectories data;
    data.runs.push_back(rng.normal(n, m + 1));
    const double reference = svd_seconds(data.runs.front().cols(0, m - 1), 3);
    fmt::print("| {} × {} | {:.3f} |", n, m, reference);
    const auto observable = registry.create<kooplab::Observable>(kooplab::Config::parse("name: identity", "bench"));
    for (const auto& [label, yaml] : estimators) {
      const auto estimator = registry.create<kooplab::Estimator>(kooplab::Config::parse(yaml, "bench"));
      const int repeats = label == "dmd_rrr (refined)" ? 1 : 3;
      const double time = seconds([&] { estimator->fit(data, observable.get(), rng); }, repeats);
      fmt::print(" {:.2f} |", time / reference);
    }
    fmt::print("\n");
    std::fflush(stdout);
  }

  // EDMD, 10⁵ pairs × 500 observables: ψ(x) = x on one trajectory of 500-dimensional states.
  const arma::uword samples = 100000, size = 500;
  kooplab::Trajectories lifted;
  lifted.runs.push_back(rng.normal(size, samples + 1));
  const double reference = svd_seconds(lifted.runs.front().head_cols(samples), 1);
  Passthrough dictionary;
  const auto fit_edmd = [&](kooplab::EdmdOptions::Method method) {
    kooplab::EdmdOptions options;
    options.method = method;
    return seconds([&] { kooplab::edmd(lifted, dictionary, rng, options, "bench"); }, 1);
  };
  const double gram = fit_edmd(kooplab::EdmdOptions::Method::gram), svd = fit_edmd(kooplab::EdmdOptions::Method::svd);
  fmt::print("\n| EDMD, Ψx {} × {} | SVD of Ψx (s) | edmd gram | edmd svd |\n|---|---|---|---|\n", size, samples);
  fmt::print("| ratio to SVD | {:.3f} | {:.2f} | {:.2f} |\n", reference, gram / reference, svd / reference);
  return 0;
}
