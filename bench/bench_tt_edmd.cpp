// tt_edmd against dense edmd on the same product dictionary: 4 monomials 1, x, x², x³
// per coordinate (N = 4^d functions), d = 3..6, 10⁴ snapshot pairs (2500 trajectories
// of 4 steps). Everything is loaded as plugins: the data from `polynomial_map`, edmd
// with the `polynomial` observable listing the exponents {0..3}^d, tt_edmd untruncated.
//
// Two kinds of data, because the TT ranks of ψ(X) decide who wins:
//  - a low-dimensional system seen in d dimensions: z1' = 0.9 z1, z2' = 0.5 z2 + 0.3 z1²
//    recorded through d sensors (y = C z). On these data the first k coordinates' basis
//    products are polynomials of degree ≤ 3k in z, so TT rank k is at most
//    min(4^k, (3k+1)(3k+2)/2) whatever d, and tt_edmd never forms anything N-sized. The
//    Koopman eigenvalues are 0.9^a 0.5^b; the table gives the largest distance from the
//    8 leading ones to their estimates (matched as in spectrum_matching.hpp).
//  - d independent coordinates of a coupled map, x_i' = (0.6 + 0.05 i) x_i + 0.2 x_{i+1}
//    − 0.15 x_{i−1}² (indices mod d): ψ(X) has full rank N ≤ 10⁴, the last TT rank is N,
//    and tt_edmd does edmd's work in more steps. Δλ matches the 10 largest eigenvalues.
//    d = 6 is left out of this table: both fits then spend minutes on the same
//    4096 × 4096 eigenproblems, which says nothing the d ≤ 5 rows do not.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <complex>
#include <vector>

#include "kooplab/dataset.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "kooplab/observable.hpp"
#include "kooplab/registry.hpp"

namespace {

constexpr arma::uword per_coordinate = 4;
const std::string sampling = "trajectories: 2500\nsteps: 4\n";

std::string exponents(const std::vector<arma::uword>& powers) {
  std::string out;
  for (const arma::uword p : powers) out += (out.empty() ? "[" : ", ") + std::to_string(p);
  return out + "]";
}

// The exponent vectors {0..3}^d of the product dictionary, first coordinate fastest.
std::string product_dictionary(arma::uword d) {
  std::string list;
  const auto count = arma::uword(std::pow(double(per_coordinate), double(d)));
  for (arma::uword index = 0; index < count; ++index) {
    std::vector<arma::uword> powers(d);
    for (arma::uword k = 0, rest = index; k < d; ++k, rest /= per_coordinate) powers[k] = rest % per_coordinate;
    list += (list.empty() ? "" : ", ") + exponents(powers);
  }
  return "name: polynomial\nexponents: [" + list + "]\n";
}

// The leading Koopman eigenvalues 0.9^a 0.5^b of the 2-D map.
const std::vector<double> low_rank_eigenvalues = {1.0, 0.9, 0.81, 0.729, 0.6561, 0.59049, 0.531441, 0.5};

std::string low_rank_data(arma::uword d) {
  return "name: polynomial_map\nterms: [[[0.9, [1, 0]]], [[0.5, [0, 1]], [0.3, [2, 0]]]]\ninitial_range: 1\n" +
         sampling + fmt::format("sensors: {}\nsensor_seed: 1\n", d);
}

std::string full_rank_data(arma::uword d) {
  std::string terms;
  for (arma::uword i = 0; i < d; ++i) {
    std::vector<arma::uword> own(d, 0), next(d, 0), previous(d, 0);
    own[i] = 1;
    next[(i + 1) % d] = 1;
    previous[(i + d - 1) % d] = 2;
    terms += fmt::format("{}[[{}, {}], [0.2, {}], [-0.15, {}]]", i ? ", " : "", 0.6 + 0.05 * double(i), exponents(own),
                         exponents(next), exponents(previous));
  }
  return "name: polynomial_map\nterms: [" + terms + "]\ninitial_range: 1\n" + sampling;
}

template <class F>
double seconds(F&& run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

arma::cx_vec largest(const arma::cx_vec& values, arma::uword count) {
  const arma::uvec order = arma::sort_index(arma::abs(values), "descend");
  return values(order.head(std::min(count, values.n_elem)));
}

std::string ranks_of(const kooplab::KoopmanModel& model, arma::uword d) {
  std::string out;
  for (arma::uword k = 1; k <= d; ++k)
    out += (k > 1 ? "," : "") + fmt::format("{}", model.diagnostics.at(fmt::format("tt_rank_{}", k)));
  return out;
}

struct Comparison {
  kooplab::KoopmanModel dense, tt;
  double dense_seconds = 0, tt_seconds = 0;
};

class Bench {
 public:
  Bench() : registry_(kooplab::Registry::default_folders()) {}

  Comparison compare(const std::string& dataset, arma::uword d) const {
    kooplab::Rng rng(1);
    const kooplab::Trajectories data = make<kooplab::Dataset>(dataset)->trajectories(rng);
    const auto observable = make<kooplab::Observable>(product_dictionary(d));
    const auto edmd = make<kooplab::Estimator>("name: edmd\n");
    const auto tt_edmd = make<kooplab::Estimator>("name: tt_edmd\nbasis: {type: monomial, degree: 3}\n");
    Comparison out;
    out.dense_seconds = seconds([&] { out.dense = edmd->fit(data, observable.get(), rng); });
    out.tt_seconds = seconds([&] { out.tt = tt_edmd->fit(data, nullptr, rng); });
    return out;
  }

 private:
  template <class T>
  std::shared_ptr<T> make(const std::string& yaml) const {
    return registry_.create<T>(kooplab::Config::parse(yaml, "bench_tt_edmd"));
  }

  kooplab::Registry registry_;
};

}  // namespace

int main() {
  const Bench bench;
  const std::vector<arma::uword> dimensions = {3, 4, 5, 6};
  fmt::print("tt_edmd vs edmd, {} monomials per coordinate (N = 4^d), 10⁴ pairs; seconds of one fit each\n\n",
             per_coordinate);

  fmt::print("2-D map seen through d sensors (low TT rank); error: 8 leading exact eigenvalues to their estimates\n");
  fmt::print("| d | N | edmd s | edmd rank | edmd error | tt_edmd s | TT ranks | tt_edmd error | edmd / tt_edmd |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|\n");
  const arma::cx_vec exact = arma::conv_to<arma::cx_vec>::from(arma::vec(low_rank_eigenvalues));
  for (const arma::uword d : dimensions) {
    const Comparison c = bench.compare(low_rank_data(d), d);
    fmt::print("| {} | {} | {:.2f} | {} | {:.1e} | {:.2f} | {} | {:.1e} | {:.1f} |\n", d,
               c.dense.diagnostics.at("dictionary_size"), c.dense_seconds, c.dense.diagnostics.at("rank"),
               kooplab::spectrum_distance(exact, c.dense.eigenvalues), c.tt_seconds, ranks_of(c.tt, d),
               kooplab::spectrum_distance(exact, c.tt.eigenvalues), c.dense_seconds / c.tt_seconds);
    std::fflush(stdout);
  }

  fmt::print(
      "\nd independent coordinates of a coupled map (full TT rank); Δλ: 10 largest edmd eigenvalues to their tt_edmd "
      "ones\n");
  fmt::print("| d | N | edmd s | tt_edmd s | TT ranks | Δλ | edmd / tt_edmd |\n|---|---|---|---|---|---|---|\n");
  for (const arma::uword d : {3, 4, 5}) {
    const Comparison c = bench.compare(full_rank_data(d), d);
    fmt::print("| {} | {} | {:.2f} | {:.2f} | {} | {:.1e} | {:.2f} |\n", d, c.dense.diagnostics.at("dictionary_size"),
               c.dense_seconds, c.tt_seconds, ranks_of(c.tt, d),
               kooplab::spectrum_distance(largest(c.dense.eigenvalues, 10), c.tt.eigenvalues),
               c.dense_seconds / c.tt_seconds);
    std::fflush(stdout);
  }
}
