// tt_edmd against dense edmd on the same product dictionary: d = 3..6 coordinates,
// 4 basis functions each (monomials 1, x, x², x³; N = 4^d), 10⁴ snapshot pairs of a
// coupled nonlinear map. Both estimators are loaded as plugins; edmd gets the
// `polynomial` observable with the explicit exponent list {0..3}^d. tt_edmd runs
// untruncated and with a relative tolerance (both with the default Gram-form TT-SVD);
// the table gives seconds, the TT ranks
// reached and how far the dominant eigenvalues are from dense EDMD's.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <complex>

#include "kooplab/estimator.hpp"
#include "kooplab/observable.hpp"
#include "kooplab/registry.hpp"

namespace {

constexpr arma::uword samples = 10000, per_coordinate = 4, compared = 10;

arma::vec coupled_map(const arma::vec& x) {
  const arma::uword d = x.n_elem;
  arma::vec out(d);
  for (arma::uword i = 0; i < d; ++i)
    out(i) = (0.6 + 0.05 * i) * x(i) + 0.2 * x((i + 1) % d) - 0.15 * x((i + d - 1) % d) * x((i + d - 1) % d);
  return out;
}

// 2500 trajectories of 4 steps from uniform initial states in [-1, 1]^d.
kooplab::Trajectories sample(arma::uword d) {
  kooplab::Rng rng(1);
  kooplab::Trajectories data;
  for (arma::uword k = 0; k < samples / 4; ++k) {
    arma::mat run(d, 5);
    run.col(0) = rng.uniform(d, 1) * 2 - 1;
    for (arma::uword t = 0; t < 4; ++t) run.col(t + 1) = coupled_map(run.col(t));
    data.runs.push_back(std::move(run));
  }
  return data;
}

std::string exponent_list(arma::uword d) {
  std::string list;
  const auto count = arma::uword(std::pow(double(per_coordinate), double(d)));
  for (arma::uword index = 0; index < count; ++index) {
    list += list.empty() ? "[" : ", [";
    for (arma::uword k = 0, rest = index; k < d; ++k, rest /= per_coordinate)
      list += (k ? ", " : "") + std::to_string(rest % per_coordinate);
    list += "]";
  }
  return list;
}

template <class F>
double seconds(F&& run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Largest distance from each of the `compared` largest eigenvalues of `a` to the nearest of `b`.
double leading_distance(const arma::cx_vec& a, const arma::cx_vec& b) {
  const arma::uvec order = arma::sort_index(arma::abs(a), "descend");
  double worst = 0;
  for (arma::uword i = 0; i < std::min<arma::uword>(compared, a.n_elem); ++i)
    worst = std::max(worst, arma::abs(b - a(order(i))).min());
  return worst;
}

std::string ranks_of(const kooplab::KoopmanModel& model, arma::uword d) {
  std::string out;
  for (arma::uword k = 1; k <= d; ++k)
    out += (k > 1 ? "," : "") + fmt::format("{}", model.diagnostics.at(fmt::format("tt_rank_{}", k)));
  return out;
}

}  // namespace

int main() {
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  const auto make = [&]<class T>(const std::string& yaml) {
    return registry.create<T>(kooplab::Config::parse(yaml, "bench_tt_edmd"));
  };
  const std::string basis = "basis: {type: monomial, degree: 3}\n";
  fmt::print("tt_edmd vs edmd, product dictionary of {} monomials per coordinate, {} pairs\n", per_coordinate, samples);
  fmt::print("| d | N | edmd s | tt_edmd s (exact) | ranks | Δλ | tt_edmd s (tol 1e-3) | ranks | Δλ |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|\n");
  for (const arma::uword d : {3u, 4u, 5u, 6u}) {
    const kooplab::Trajectories data = sample(d);
    kooplab::Rng rng(0);
    const auto observable = make.operator()<kooplab::Observable>("name: polynomial\nexponents: [" + exponent_list(d) + "]");
    const auto edmd = make.operator()<kooplab::Estimator>("name: edmd\n");
    const auto exact = make.operator()<kooplab::Estimator>("name: tt_edmd\n" + basis);
    const auto truncated = make.operator()<kooplab::Estimator>("name: tt_edmd\n" + basis + "tolerance: 1e-3\n");
    kooplab::KoopmanModel dense, tt, tt_truncated;
    const double dense_s = seconds([&] { dense = edmd->fit(data, observable.get(), rng); });
    const double tt_s = seconds([&] { tt = exact->fit(data, nullptr, rng); });
    const double truncated_s = seconds([&] { tt_truncated = truncated->fit(data, nullptr, rng); });
    fmt::print("| {} | {} | {:.2f} | {:.2f} | {} | {:.1e} | {:.2f} | {} | {:.1e} |\n", d, dense.koopman_matrix.n_rows,
               dense_s, tt_s, ranks_of(tt, d), leading_distance(dense.eigenvalues, tt.eigenvalues), truncated_s,
               ranks_of(tt_truncated, d), leading_distance(dense.eigenvalues, tt_truncated.eigenvalues));
    std::fflush(stdout);
  }
  fmt::print("Δλ: max over the {} largest dense eigenvalues of the distance to the nearest tt_edmd eigenvalue\n", compared);
}
