// Extended DMD (Williams, Kevrekidis, Rowley 2015): the library's edmd on
// trajectories and the `edmd` estimator, against closed-form spectra and
// eigenfunctions, in both formulations.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/edmd.hpp"
#include "kooplab/koopman/prediction_error.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "support.hpp"

using kooplab::KoopmanModel;
using kooplab::spectrum_distance;
using kooplab::Trajectories;
using kooplab::testing::fit;
using kooplab::testing::make;

TEST_CASE("edmd on a linear system with the identity dictionary: spectrum to 1e-10, predictions A^k x_0") {
  const kooplab::testing::LinearSystem system;
  const Trajectories data = system.data(3, 10);
  const arma::vec x0 = {0.3, -1.0, 0.2, 0.5, 1.5, -0.7};
  const arma::mat truth = system.orbit(x0, 5);
  for (const std::string method : {"gram", "svd"}) {
    CAPTURE(method);
    const KoopmanModel model = fit("name: edmd\nmethod: " + method, data, "name: identity");
    CHECK(spectrum_distance(system.eigenvalues, model.eigenvalues) < 1e-10);
    CHECK(model.diagnostics.at("gram") == (method == "gram" ? 1.0 : 0.0));
    CHECK(arma::norm(model.predict(x0, 5) - truth, "inf") < 1e-9);
    CHECK(arma::norm(model.reconstruct(10) - data.runs.front(), "inf") < 1e-8);
    CHECK(model.residuals.max() < 1e-10);
  }
}

TEST_CASE("edmd on x1' = mu x1, x2' = lambda x2 + c x1^2 with the dictionary {x1, x2, x1^2}: exact eigenfunctions") {
  const kooplab::testing::PolynomialMap map;
  const Trajectories data = map.data(4, 15, 5);
  const arma::cx_vec truth = {map.mu, map.lambda, map.mu * map.mu};
  kooplab::Rng rng(6);
  const arma::mat probe = 2.0 * rng.uniform(2, 7) - 1.0;
  const auto dictionary = make<kooplab::Observable>("name: polynomial\nexponents: [[1, 0], [0, 1], [2, 0]]");
  for (const auto method : {kooplab::EdmdOptions::Method::gram, kooplab::EdmdOptions::Method::svd}) {
    CAPTURE(int(method));
    kooplab::EdmdOptions options;
    options.method = method;
    // The library on trajectories, as the estimator calls it.
    const KoopmanModel model = kooplab::edmd(data, *dictionary, rng, options, "test");
    CHECK(spectrum_distance(truth, model.eigenvalues) < 1e-10);
    // Closed-form eigenfunctions: x1, x1², and x2 + β x1².
    const arma::cx_mat phi = model.eigenfunction_values(probe);
    for (arma::uword i = 0; i < 3; ++i) {
      arma::rowvec expected;
      if (std::abs(model.eigenvalues(i) - map.mu) < 1e-6)
        expected = probe.row(0);
      else if (std::abs(model.eigenvalues(i) - map.mu * map.mu) < 1e-6)
        expected = arma::square(probe.row(0));
      else
        expected = probe.row(1) + map.beta() * arma::square(probe.row(0));
      // φ_i is a multiple of the closed form: |⟨φ, f⟩| = ‖φ‖‖f‖.
      const arma::cx_rowvec got = phi.row(i);
      const double cosine =
          std::abs(arma::cdot(got, arma::cx_rowvec(expected, arma::zeros<arma::rowvec>(expected.n_elem)))) /
          (arma::norm(got) * arma::norm(expected));
      CHECK(cosine == doctest::Approx(1.0).epsilon(1e-10));
    }
    // The model maps the state exactly: x2' has the x1² term.
    const arma::mat image =
        arma::join_cols(map.mu * probe.row(0), map.lambda * probe.row(1) + map.c * arma::square(probe.row(0)));
    CHECK(arma::norm(model.advance(probe) - image, "inf") < 1e-10);
  }
}

TEST_CASE("edmd: the gram and svd formulations agree with Tikhonov regularisation and rank truncation") {
  const kooplab::testing::LinearSystem system;
  const Trajectories data = system.data(4, 12);
  for (const std::string options : {"regularization: 0.01", "rank: 4", "rank: 5\nregularization: 1e-3"}) {
    CAPTURE(options);
    const KoopmanModel gram =
        fit("name: edmd\nmethod: gram\n" + options, data, "name: polynomial\ndegree: 2\nconstant: true");
    const KoopmanModel svd =
        fit("name: edmd\nmethod: svd\n" + options, data, "name: polynomial\ndegree: 2\nconstant: true");
    // 1 + 6 + 21 monomials, of numerical rank 25 on these data: K comes in the kept basis.
    CHECK(gram.koopman_matrix.n_rows == gram.rank());
    CHECK(gram.diagnostics.at("koopman_matrix_reduced") == (gram.rank() < 28 ? 1.0 : 0.0));
    CHECK(spectrum_distance(svd.eigenvalues, gram.eigenvalues) < 1e-9);
    // The bases differ, the predictions may not. The Gram form squares the
    // conditioning of ψ(X), hence the looser tolerance.
    const kooplab::SnapshotPairs pairs = data.pairs();
    CHECK(arma::abs(gram.advance(pairs.x) - svd.advance(pairs.x)).max() < 1e-7 * arma::abs(pairs.y).max());
  }
  // K = Ψy Ψxᵀ (ΨxΨxᵀ + MεI)⁻¹ ≈ ΨyΨxᵀ/(Mε) vanishes as ε grows (seen 2e-4 at ε = 1e6).
  CHECK(arma::abs(fit("name: edmd\nregularization: 1e6", data, "name: identity").eigenvalues).max() < 1e-3);
}

TEST_CASE("EdmdGram: batches of any width, across block boundaries and flushes, sum to the direct products") {
  kooplab::Rng rng(7);
  const arma::mat psi_x = rng.normal(5, 103), psi_y = rng.normal(5, 103), x = rng.normal(2, 103);
  kooplab::EdmdGram sums(8);
  for (arma::uword first = 0, width = 1; first < psi_x.n_cols; first += width, width = width % 11 + 1) {
    const arma::span columns(first, std::min(first + width, psi_x.n_cols) - 1);
    sums.add(psi_x.cols(columns), psi_y.cols(columns), x.cols(columns));
    if (first == 45) sums.flush();  // a mid-way flush leaves a partial block behind
  }
  sums.flush();
  CHECK(sums.count() == 103);
  CHECK(arma::abs(sums.g() - psi_x * psi_x.t()).max() < 1e-12 * 103);
  CHECK(arma::abs(sums.a() - psi_y * psi_x.t()).max() < 1e-12 * 103);
  CHECK(arma::abs(sums.c() - x * psi_x.t()).max() < 1e-12 * 103);
}

TEST_CASE("edmd with a delay dictionary leaves the padded columns out") {
  // A scalar sum of two sinusoids is not Markov in x; with 4 delays it is.
  Trajectories data;
  data.runs.push_back(kooplab::testing::sinusoids({0.4, 0.9}, 80, 0.0, 1));
  data.runs.push_back(kooplab::testing::sinusoids({0.4, 0.9}, 50, 0.0, 2).cols(3, 50));
  const KoopmanModel model = fit("name: edmd\nmethod: svd", data, "name: delay\ndelays: 4");
  CHECK(arma::abs(kooplab::testing::positive_frequencies(model.eigenvalues) - arma::vec{0.4, 0.9}).max() < 1e-10);
  // So does the one-step error: each trajectory on its own, from its first
  // full window (padded windows, or windows across the two, miss by far more).
  CHECK(kooplab::one_step_error(model, data, 3) < 1e-10);
  CHECK(kooplab::one_step_error(model, data) > 0.01);
  // A trajectory shorter than the dictionary's history + 2 gives no pair.
  Trajectories too_short = data;
  too_short.runs[1] = too_short.runs[1].head_cols(4);
  CHECK_THROWS_WITH_AS(fit("name: edmd", too_short, "name: delay\ndelays: 4"),
                       doctest::Contains("trajectory 1 has 4 snapshots; the observable looks 3 steps back"),
                       kooplab::DataError);
}

TEST_CASE("edmd: bad options and a missing dictionary give clear errors") {
  CHECK_THROWS_WITH_AS(fit("name: edmd", kooplab::testing::LinearSystem().data(1, 5)),
                       doctest::Contains("needs an observable"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<kooplab::Estimator>("name: edmd\nmethod: qr"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<kooplab::Estimator>("name: edmd\nregularization: -1"), kooplab::ConfigError);
}

TEST_CASE("edmd method auto: the accurate svd form unless its memory passes max_svd_memory_gb") {
  // Monomials x1^a x2^b with a + 2b ≤ 5 span an invariant space of the
  // polynomial map: exact eigenvalues μ^a λ^b. The dictionary is ill
  // conditioned on [-1, 1]², which the gram form squares.
  const kooplab::testing::PolynomialMap map;
  const Trajectories data = map.data(6, 30, 8);
  std::string exponents = "[";
  std::vector<std::complex<double>> truth;
  for (int b = 0; b <= 2; ++b)
    for (int a = 0; a + 2 * b <= 5; ++a)
      if (a + b > 0) {
        exponents += fmt::format("{}[{}, {}]", exponents.size() > 1 ? ", " : "", a, b);
        truth.push_back(std::pow(map.mu, a) * std::pow(map.lambda, b));
      }
  const std::string dictionary = "name: polynomial\nexponents: " + exponents + "]";
  const KoopmanModel automatic = fit("name: edmd", data, dictionary),
                     gram = fit("name: edmd\nmethod: gram", data, dictionary),
                     by_memory = fit("name: edmd\nmax_svd_memory_gb: 1e-9", data, dictionary);
  const double automatic_error = spectrum_distance(arma::cx_vec(truth), automatic.eigenvalues),
               gram_error = spectrum_distance(arma::cx_vec(truth), gram.eigenvalues);
  CAPTURE(automatic_error);
  CAPTURE(gram_error);
  CHECK(automatic.diagnostics.at("gram") == 0.0);
  CHECK(automatic.diagnostics.count("svd_memory_gb") == 0);
  CHECK(automatic_error < 1e-12);
  CHECK(by_memory.diagnostics.at("gram") == 1.0);
  CHECK(by_memory.diagnostics.at("svd_memory_gb") > 1e-9);
  CHECK(spectrum_distance(gram.eigenvalues, by_memory.eigenvalues) == 0.0);
}
