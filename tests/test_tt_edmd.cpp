// The tt_edmd estimator: tensor-based EDMD against dense EDMD on the same product
// dictionary, and exact eigenpairs of a polynomial map with an invariant subspace.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <complex>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "kooplab/koopman/tt_edmd.hpp"
#include "support.hpp"

namespace {

using cx = std::complex<double>;
using kooplab::spectrum_distance;

// Trajectories of `step` from uniform initial states in [-1, 1]^d.
template <class Step>
kooplab::Trajectories sample(arma::uword d, arma::uword runs, arma::uword steps, std::uint64_t seed, Step step) {
  kooplab::Rng rng(seed);
  kooplab::Trajectories data;
  for (arma::uword k = 0; k < runs; ++k) {
    arma::mat run(d, steps + 1);
    run.col(0) = rng.uniform(d, 1) * 2 - 1;
    for (arma::uword t = 0; t < steps; ++t) run.col(t + 1) = step(arma::vec(run.col(t)));
    data.runs.push_back(std::move(run));
  }
  return data;
}

// A mildly nonlinear contraction of [-1, 1]^d into itself with non-normal coupling.
arma::vec coupled_map(const arma::vec& x) {
  const arma::uword d = x.n_elem;
  arma::vec out(d);
  for (arma::uword i = 0; i < d; ++i)
    out(i) = (0.6 + 0.05 * i) * x(i) + 0.2 * x((i + 1) % d) - 0.15 * x((i + d - 1) % d) * x((i + d - 1) % d);
  return out;
}

// span{x1, x2, x1²} is invariant (support.hpp).
const kooplab::testing::PolynomialMap map{.mu = 0.9, .lambda = 0.5, .c = 0.7};
const double mu = map.mu, lambda = map.lambda, c = map.c;

// The `polynomial` observable holding the product dictionary {1, x_k, x_k²}^⊗d of
// monomial bases of degree 2 (all exponent vectors in {0, 1, 2}^d).
std::string product_exponents(arma::uword d) {
  std::string list;
  const arma::uword count = arma::uword(std::pow(3.0, double(d)));
  for (arma::uword index = 0; index < count; ++index) {
    list += list.empty() ? "[" : ", [";
    for (arma::uword k = 0, rest = index; k < d; ++k, rest /= 3) list += (k ? ", " : "") + std::to_string(rest % 3);
    list += "]";
  }
  return "name: polynomial\nexponents: [" + list + "]";
}

// The observable must outlive the model (its eigenfunctions evaluate it).
kooplab::KoopmanModel dense_edmd(const kooplab::Trajectories& data, kooplab::Observable& observable,
                                 const std::string& options) {
  const auto edmd = kooplab::testing::make<kooplab::Estimator>("name: edmd\nmethod: svd\n" + options);
  kooplab::Rng rng(0);
  return edmd->fit(data, &observable, rng);
}

std::shared_ptr<kooplab::Estimator> estimator(const std::string& yaml) {
  return kooplab::testing::make<kooplab::Estimator>("name: tt_edmd\n" + yaml);
}

}  // namespace

TEST_CASE("without truncation tt_edmd equals edmd on the same product dictionary (d = 2, 3, 4)") {
  for (const arma::uword d : {2u, 3u, 4u}) {
    CAPTURE(d);
    const kooplab::Trajectories data = sample(d, 200, 4, 10 + d, coupled_map);  // 800 pairs ≥ 3^4 functions
    kooplab::Rng rng(0);
    const kooplab::KoopmanModel model = estimator("basis: {type: monomial, degree: 2}")->fit(data, nullptr, rng);
    const kooplab::KoopmanModel by_svd =
        estimator("basis: {type: monomial, degree: 2}\nmethod: svd")->fit(data, nullptr, rng);
    const arma::uword n = arma::uword(std::pow(3.0, double(d)));
    REQUIRE(model.rank() == n);
    CHECK(model.diagnostics.at("dictionary_size") == double(n));
    CHECK(model.diagnostics.at("relative_truncation_error") < 1e-6);
    const auto observable = kooplab::testing::make<kooplab::Observable>(product_exponents(d));
    const kooplab::KoopmanModel dense = dense_edmd(data, *observable, "");
    REQUIRE(dense.rank() == n);
    CHECK(spectrum_distance(model.eigenvalues, dense.eigenvalues) < 1e-8);
    CHECK(spectrum_distance(by_svd.eigenvalues, dense.eigenvalues) < 1e-8);
    // Tikhonov regularisation acts as (G + εI)⁻¹ A in both.
    const kooplab::KoopmanModel regularized =
        estimator("basis: {type: monomial, degree: 2}\nregularization: 0.01")->fit(data, nullptr, rng);
    CHECK(spectrum_distance(regularized.eigenvalues,
                            dense_edmd(data, *observable, "regularization: 0.01").eigenvalues) < 1e-8);
    // The eigenfunctions agree up to scale on new states.
    kooplab::Rng probe_rng(4);
    const arma::mat probe = probe_rng.uniform(d, 5) * 2 - 1;
    const arma::cx_mat phi = model.eigenfunction_values(probe), phi_dense = dense.eigenfunction_values(probe);
    for (const arma::uword i : {0u, 1u, 2u}) {
      const arma::uword j = arma::index_min(arma::abs(dense.eigenvalues - model.eigenvalues(i)));
      const arma::cx_rowvec a = phi.row(i) / arma::norm(phi.row(i)),
                            b = phi_dense.row(j) / arma::norm(phi_dense.row(j));
      CHECK(std::abs(arma::cdot(a, b)) == doctest::Approx(1.0).epsilon(1e-8));
    }
  }
}

TEST_CASE("tt_edmd recovers the exact eigenpairs of a polynomial map with an invariant subspace") {
  // Dictionary {1, x1, x1²} ⊗ {1, x2} holds the invariant span{1, x1, x1², x2}: its
  // eigenvalues 1, μ, μ², λ are exact, with eigenfunctions 1, x1, x1² and
  // x2 + β x1², β = c / (λ − μ²). The rest (from x1 x2, x1² x2) depends on the data.
  const kooplab::Trajectories data = map.data(50, 5, 3);
  kooplab::Rng rng(0);
  const kooplab::KoopmanModel model =
      estimator("basis:\n  - {type: monomial, degree: 2}\n  - {type: monomial, degree: 1}")->fit(data, nullptr, rng);
  REQUIRE(model.rank() == 6);
  CHECK(model.diagnostics.at("tt_rank_1") == 3);
  CHECK(model.diagnostics.at("tt_rank_2") == 6);

  kooplab::Rng test_rng(99);
  const arma::mat probe = test_rng.uniform(2, 7) * 2 - 1;
  arma::mat image(2, probe.n_cols);
  for (arma::uword j = 0; j < probe.n_cols; ++j) image.col(j) = map.step(probe.col(j));
  const arma::cx_mat phi = model.eigenfunction_values(probe), phi_image = model.eigenfunction_values(image);
  const double beta = c / (lambda - mu * mu);
  const std::vector<std::pair<double, arma::rowvec>> exact{{1.0, arma::rowvec(probe.n_cols, arma::fill::ones)},
                                                           {mu, probe.row(0)},
                                                           {mu * mu, arma::square(probe.row(0))},
                                                           {lambda, probe.row(1) + beta * arma::square(probe.row(0))}};
  for (const auto& [value, eigenfunction] : exact) {
    CAPTURE(value);
    const arma::uword i = arma::index_min(arma::abs(model.eigenvalues - cx(value, 0)));
    CHECK(std::abs(model.eigenvalues(i) - value) < 1e-10);
    CHECK(model.residuals(i) < 1e-10);
    // φ(F(x)) = λ φ(x) on new states, and φ is the analytic eigenfunction up to scale.
    CHECK(arma::norm(phi_image.row(i) - model.eigenvalues(i) * phi.row(i)) < 1e-9 * arma::norm(phi.row(i)));
    const cx scale = phi(i, 0) / eigenfunction(0);
    CHECK(arma::norm(phi.row(i) - scale * arma::cx_rowvec(eigenfunction, arma::zeros<arma::rowvec>(probe.n_cols))) <
          1e-9 * arma::norm(phi.row(i)));
  }
  // The state lies in the span of exact eigenfunctions (x2 = φ_λ − β φ_μ²), so
  // prediction follows the map exactly.
  const arma::vec x0{0.8, -0.4};
  const arma::mat predicted = model.predict(x0, 6);
  arma::vec x = x0;
  for (arma::uword k = 0; k <= 6; ++k) {
    CHECK(arma::norm(predicted.col(k) - x) < 1e-9);
    x = map.step(x);
  }
  CHECK(arma::norm(model.reconstruct(5) - data.runs.front(), "fro") < 1e-9);
}

TEST_CASE("a 2-D map seen through 5 sensors: TT ranks within the polynomial bound, exact eigenvalues") {
  // z1' = μ z1, z2' = λ z2 + c z1² recorded as y = C z (polynomial_map with sensors). On
  // such data the products of the first k coordinates' bases {1, y, y², y³} are
  // polynomials of degree ≤ 3k in z, so TT rank k ≤ min(4^k, (3k+1)(3k+2)/2) although
  // the dictionary has 4^5 = 1024 functions; 1, μ, μ², λ stay exact.
  const auto dataset = kooplab::testing::make<kooplab::Dataset>(fmt::format(
      "name: polynomial_map\nterms: [[[{}, [1, 0]]], [[{}, [0, 1]], [{}, [2, 0]]]]\ntrajectories: 100\nsteps: 10\n"
      "sensors: 5\nsensor_seed: 3",
      mu, lambda, c));
  kooplab::Rng rng(2);
  const kooplab::Trajectories data = dataset->trajectories(rng);
  REQUIRE(data.state_dim() == 5);
  const arma::vec spread = arma::svd(data.all_states());
  CHECK(spread(2) < 1e-12 * spread(0));  // five sensors, two dimensions
  const kooplab::KoopmanModel model = estimator("basis: {type: monomial, degree: 3}")->fit(data, nullptr, rng);
  CHECK(model.diagnostics.at("dictionary_size") == 1024);
  for (arma::uword k = 1; k <= 5; ++k) {
    CAPTURE(k);
    const double bound = std::min(std::pow(4.0, double(k)), double((3 * k + 1) * (3 * k + 2) / 2));
    CHECK(model.diagnostics.at(fmt::format("tt_rank_{}", k)) <= bound);
  }
  for (const double value : {1.0, mu, mu * mu, lambda}) {
    CAPTURE(value);
    CHECK(arma::abs(model.eigenvalues - cx(value, 0)).min() < 1e-8);
  }
  CHECK(kooplab::testing::contains(kooplab::testing::error_of([] {
                                     kooplab::testing::make<kooplab::Dataset>(
                                         "name: polynomial_map\nterms: [[[0.5, [1, 0]]], [[0.5, [0, 1]]]]\nsensors: 1");
                                   }),
                                   "sensors"));
}

TEST_CASE("truncation: tolerance and rank cap shrink the TT ranks and report them") {
  const kooplab::Trajectories data = sample(4, 100, 4, 17, coupled_map);
  kooplab::Rng rng(0);
  const kooplab::KoopmanModel full = estimator("basis: {type: monomial, degree: 3}")->fit(data, nullptr, rng);
  const kooplab::KoopmanModel loose =
      estimator("basis: {type: monomial, degree: 3}\ntolerance: 1e-3")->fit(data, nullptr, rng);
  const kooplab::KoopmanModel capped =
      estimator("basis: {type: monomial, degree: 3}\nmax_rank: 10")->fit(data, nullptr, rng);
  CHECK(full.diagnostics.at("dictionary_size") == 256);
  CHECK(loose.rank() < full.rank());
  CHECK(loose.diagnostics.at("relative_truncation_error") <= 1e-3);
  CHECK(loose.diagnostics.at("relative_truncation_error") > 0);
  CHECK(capped.diagnostics.at("max_tt_rank") == 10);
  CHECK(capped.rank() == 10);
  for (const char* key : {"tt_rank_1", "tt_rank_2", "tt_rank_3", "tt_rank_4", "tt_storage"})
    CHECK(loose.diagnostics.count(key) == 1);
  // The dominant eigenvalue (the constant function, λ = 1) survives truncation.
  CHECK(std::abs(loose.eigenvalues(0) - 1.0) < 1e-6);
}

TEST_CASE("every basis family builds and evaluates as documented") {
  const arma::rowvec x{-0.5, 0.25};
  const arma::mat legendre = kooplab::CoordinateBasis::legendre(3, -2, 2).evaluate(x);  // t = x / 2
  const arma::rowvec t = x / 2;
  CHECK(arma::norm(legendre.row(2) - (3 * arma::square(t) - 1) / 2) < 1e-15);
  CHECK(arma::norm(legendre.row(3) - (5 * arma::pow(t, 3) - 3 * t) / 2) < 1e-15);
  const arma::mat gaussian = kooplab::CoordinateBasis::gaussians({0.0, 1.0}, 0.5).evaluate(x);
  CHECK(gaussian.n_rows == 3);
  CHECK(gaussian(2, 1) == doctest::Approx(std::exp(-0.75 * 0.75 / 0.5)));
  const arma::mat fourier = kooplab::CoordinateBasis::fourier(2, 4.0).evaluate(x);
  CHECK(fourier.n_rows == 5);
  CHECK(fourier(4, 1) == doctest::Approx(std::sin(2 * 2 * M_PI / 4.0 * 0.25)));

  // Each family through YAML on a 3-dimensional state: fits and gives λ = 1 first.
  const kooplab::Trajectories data = sample(3, 60, 4, 5, coupled_map);
  kooplab::Rng rng(0);
  const kooplab::KoopmanModel model = estimator(
                                          "basis:\n  - {type: gaussian, centres: [-0.5, 0.5], width: 0.6}\n  - {type: "
                                          "fourier, frequencies: 1, period: 4}\n"
                                          "  - {type: legendre, degree: 2, domain: [-1, 1]}")
                                          ->fit(data, nullptr, rng);
  CHECK(model.diagnostics.at("dictionary_size") == 3 * 3 * 3);
  CHECK(std::abs(model.eigenvalues(0) - 1.0) < 1e-10);
}

TEST_CASE("tt_edmd rejects bad options and mismatched data") {
  CHECK_THROWS_AS(estimator("basis: {type: chebyshev, degree: 2}"), kooplab::ConfigError);
  CHECK_THROWS_AS(estimator("basis: {type: monomial, degree: 2, width: 1}"), kooplab::ConfigError);
  CHECK_THROWS_AS(estimator("basis: {type: monomial, degree: 2}\ntolerance: -1"), kooplab::ConfigError);
  CHECK_THROWS_AS(estimator("basis: {type: monomial, degree: 2}\nmax_rank: -2"), kooplab::ConfigError);
  CHECK_THROWS_AS(estimator("tolerance: 0.1"), kooplab::ConfigError);
  CHECK_THROWS_AS(estimator("basis: {type: monomial, degree: 2}\nmethod: qr"), kooplab::ConfigError);
  const kooplab::Trajectories data = sample(3, 10, 4, 1, coupled_map);
  kooplab::Rng rng(0);
  CHECK_THROWS_AS(
      estimator("basis: [{type: monomial, degree: 1}, {type: monomial, degree: 1}]")->fit(data, nullptr, rng),
      kooplab::DataError);
}
