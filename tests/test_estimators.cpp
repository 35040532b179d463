// Estimators edmd, dmd_rrr, delay_dmd (and dmd as the reference) against
// closed-form spectra.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <complex>

#include "kooplab/koopman/edmd.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "support.hpp"

using kooplab::Estimator;
using kooplab::KoopmanModel;
using kooplab::Observable;
using kooplab::Trajectories;
using kooplab::testing::make;

namespace {

// Largest distance from a true eigenvalue to its own estimate, matched one to
// one (greedy by distance), so a repeated eigenvalue must be found twice.
double eigenvalue_error(const arma::cx_vec& truth, const arma::cx_vec& estimate) {
  REQUIRE(truth.n_elem == estimate.n_elem);
  std::vector<bool> used(estimate.n_elem, false);
  double worst = 0.0;
  for (const auto& lambda : truth) {
    double best = arma::datum::inf;
    arma::uword pick = 0;
    for (arma::uword j = 0; j < estimate.n_elem; ++j)
      if (!used[j] && std::abs(estimate(j) - lambda) < best) best = std::abs(estimate(j) - lambda), pick = j;
    used[pick] = true;
    worst = std::max(worst, best);
  }
  return worst;
}

// A = Q · blocks · Q⁻¹ with eigenvalues 0.9 (twice), 0.8 ± 0.3i, 0, 0.5.
struct LinearSystem {
  arma::mat a;
  arma::cx_vec eigenvalues;
  LinearSystem() {
    arma::mat blocks(6, 6, arma::fill::zeros);
    blocks(0, 0) = blocks(1, 1) = 0.9;
    blocks(2, 2) = blocks(3, 3) = 0.8;
    blocks(2, 3) = -0.3;
    blocks(3, 2) = 0.3;
    blocks(5, 5) = 0.5;
    kooplab::Rng rng(11);
    const arma::mat q = rng.normal(6, 6);
    a = q * blocks * arma::inv(q);
    eigenvalues = {0.9, 0.9, {0.8, 0.3}, {0.8, -0.3}, 0.0, 0.5};
  }
  Trajectories data(arma::uword runs, arma::uword steps, double noise = 0.0, std::uint64_t seed = 3) const {
    kooplab::Rng rng(seed);
    Trajectories out;
    out.dt = 0.5;
    for (arma::uword k = 0; k < runs; ++k) {
      arma::mat run(6, steps + 1);
      run.col(0) = rng.normal(6, 1);
      for (arma::uword t = 0; t < steps; ++t) run.col(t + 1) = a * run.col(t);
      if (noise > 0) run += noise * rng.normal(6, steps + 1);
      out.runs.push_back(run);
    }
    return out;
  }
};

KoopmanModel fit(const std::string& estimator, const Trajectories& data, const std::string& observable = "") {
  kooplab::Rng rng(1);
  const auto fitted = make<Estimator>(estimator);
  if (observable.empty()) return fitted->fit(data, nullptr, rng);
  // A run owns its observable and the model refers to it: keep it alive here.
  static std::vector<std::shared_ptr<Observable>> dictionaries;
  dictionaries.push_back(make<Observable>(observable));
  return fitted->fit(data, dictionaries.back().get(), rng);
}

// A sum of sinusoids a_k cos(ω_k t + θ_k), t = 0..steps.
arma::mat sinusoids(const arma::vec& omega, arma::uword steps, double noise, std::uint64_t seed) {
  kooplab::Rng rng(seed);
  arma::rowvec signal(steps + 1, arma::fill::zeros);
  const arma::rowvec t = arma::regspace<arma::rowvec>(0, double(steps));
  for (arma::uword k = 0; k < omega.n_elem; ++k) signal += (1.0 + 0.5 * double(k)) * arma::cos(omega(k) * t + 0.3 + double(k));
  if (noise > 0) signal += noise * rng.normal(1, steps + 1);
  return signal;
}

// The frequencies arg λ > 0 of a model, sorted.
arma::vec positive_frequencies(const KoopmanModel& model) {
  const arma::vec angles = arma::arg(model.eigenvalues);
  return arma::sort(arma::vec(angles.elem(arma::find(angles > 1e-6))));
}

}  // namespace

TEST_CASE("linear system with complex, repeated and zero eigenvalues: every estimator to 1e-10") {
  const LinearSystem system;
  const Trajectories data = system.data(3, 10);
  // delay_dmd maps modes to the newest state of a window, where the λ = 0
  // component has died out: its reconstruction is exact from x_{d−1} on.
  for (const auto& [estimator, skip] : std::vector<std::pair<std::string, arma::uword>>{
           {"name: dmd", 0}, {"name: dmd_rrr", 0}, {"name: dmd_rrr\nrefine: false", 0},
           {"name: dmd_rrr\nscale_columns: false\nrefined_rayleigh: true", 0}, {"name: edmd\nmethod: gram", 0},
           {"name: edmd\nmethod: svd", 0}, {"name: delay_dmd\ndelays: 1", 0}, {"name: delay_dmd\ndelays: 3\ninner: dmd_rrr", 2}}) {
    CAPTURE(estimator);
    const KoopmanModel model = fit(estimator, data, "name: identity");
    CHECK(eigenvalue_error(system.eigenvalues, model.eigenvalues) < 1e-10);
    REQUIRE(model.dt);
    CHECK(*model.dt == 0.5);
    // Reconstruction of the first trajectory from its amplitudes.
    const arma::mat& first = data.runs.front();
    CHECK(arma::norm(model.reconstruct(first.n_cols - 1).cols(skip, first.n_cols - 1) - first.cols(skip, first.n_cols - 1), "inf") < 1e-8);
  }
}

TEST_CASE("state-space predictions of dmd, dmd_rrr and edmd match A^k x_0") {
  const LinearSystem system;
  const Trajectories data = system.data(3, 10);
  const arma::vec x0 = {0.3, -1.0, 0.2, 0.5, 1.5, -0.7};
  arma::mat truth(6, 6);
  truth.col(0) = x0;
  for (arma::uword k = 1; k < 6; ++k) truth.col(k) = system.a * truth.col(k - 1);
  for (const std::string estimator : {"name: dmd", "name: dmd_rrr", "name: edmd"}) {
    CAPTURE(estimator);
    const KoopmanModel model = fit(estimator, data, "name: identity");
    CHECK(arma::norm(model.predict(x0, 5) - truth, "inf") < 1e-9);
    const kooplab::SnapshotPairs pairs = data.pairs();
    CHECK(arma::norm(model.advance(pairs.x) - pairs.y, "inf") < 1e-9);
    REQUIRE(model.residuals.n_elem == 6);
    CHECK(model.residuals.max() < 1e-10);
  }
}

TEST_CASE("edmd on x1' = mu x1, x2' = lambda x2 + c x1^2 with the dictionary {x1, x2, x1^2}") {
  const double mu = 0.9, lambda = 0.5, c = 0.3;
  kooplab::Rng rng(5);
  Trajectories data;
  for (int k = 0; k < 4; ++k) {
    arma::mat run(2, 16);
    run.col(0) = 2.0 * rng.uniform(2, 1) - 1.0;
    for (arma::uword t = 0; t + 1 < run.n_cols; ++t)
      run.col(t + 1) = arma::vec{mu * run(0, t), lambda * run(1, t) + c * run(0, t) * run(0, t)};
    data.runs.push_back(run);
  }
  const arma::cx_vec truth = {mu, lambda, mu * mu};
  // Closed-form eigenfunctions: x1, x1², and x2 + β x1² with β = c / (λ − μ²).
  const double beta = c / (lambda - mu * mu);
  const arma::mat probe = 2.0 * rng.uniform(2, 7) - 1.0;
  for (const std::string method : {"gram", "svd"}) {
    CAPTURE(method);
    const KoopmanModel model = fit("name: edmd\nmethod: " + method, data, "name: polynomial\nexponents: [[1, 0], [0, 1], [2, 0]]");
    CHECK(eigenvalue_error(truth, model.eigenvalues) < 1e-10);
    const arma::cx_mat phi = model.eigenfunction_values(probe);
    for (arma::uword i = 0; i < 3; ++i) {
      arma::rowvec expected;
      if (std::abs(model.eigenvalues(i) - mu) < 1e-6) expected = probe.row(0);
      else if (std::abs(model.eigenvalues(i) - mu * mu) < 1e-6) expected = arma::square(probe.row(0));
      else expected = probe.row(1) + beta * arma::square(probe.row(0));
      // φ_i is a multiple of the closed form: |⟨φ, f⟩| = ‖φ‖‖f‖.
      const arma::cx_rowvec got = phi.row(i);
      const double cosine = std::abs(arma::cdot(got, arma::cx_rowvec(expected, arma::zeros<arma::rowvec>(expected.n_elem)))) /
                            (arma::norm(got) * arma::norm(expected));
      CHECK(cosine == doctest::Approx(1.0).epsilon(1e-10));
    }
    // The model maps the state exactly: x2' has the x1² term.
    CHECK(arma::norm(model.advance(probe) - arma::join_cols(mu * probe.row(0), lambda * probe.row(1) + c * arma::square(probe.row(0))),
                     "inf") < 1e-10);
  }
}

TEST_CASE("edmd: the gram and svd formulations agree with Tikhonov regularisation and rank truncation") {
  const LinearSystem system;
  const Trajectories data = system.data(4, 12);
  for (const std::string options : {"regularization: 0.01", "rank: 4", "rank: 5\nregularization: 1e-3"}) {
    CAPTURE(options);
    const KoopmanModel gram = fit("name: edmd\nmethod: gram\n" + options, data, "name: polynomial\ndegree: 2\nconstant: true");
    const KoopmanModel svd = fit("name: edmd\nmethod: svd\n" + options, data, "name: polynomial\ndegree: 2\nconstant: true");
    // 1 + 6 + 21 monomials, of numerical rank 25 on these data: K comes in the kept basis.
    CHECK(gram.koopman_matrix.n_rows == gram.rank());
    CHECK(gram.diagnostics.at("koopman_matrix_reduced") == (gram.rank() < 28 ? 1.0 : 0.0));
    CHECK(eigenvalue_error(svd.eigenvalues, gram.eigenvalues) < 1e-9);
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

TEST_CASE("dmd_rrr residuals: round-off for exact pairs, large for spurious ones on noisy data") {
  // A rotation 0.95·e^{±0.3i} seen through a random 40 × 2 map; 24 pairs, so
  // with noise the full rank k = 24 < n leaves room for residuals.
  kooplab::Rng rng(7);
  const arma::mat embed = rng.normal(40, 2);
  const double angle = 0.3, radius = 0.95;
  const arma::mat rotation = radius * arma::mat{{std::cos(angle), -std::sin(angle)}, {std::sin(angle), std::cos(angle)}};
  arma::mat latent(2, 25);
  latent.col(0) = rng.normal(2, 1);
  for (arma::uword t = 0; t + 1 < latent.n_cols; ++t) latent.col(t + 1) = rotation * latent.col(t);
  Trajectories clean;
  clean.runs.push_back(embed * latent);
  const arma::cx_vec truth = {std::polar(radius, angle), std::polar(radius, -angle)};

  const KoopmanModel exact = fit("name: dmd_rrr", clean);
  REQUIRE(exact.rank() == 2);
  CHECK(eigenvalue_error(truth, exact.eigenvalues) < 1e-12);
  CHECK(exact.residuals.max() < 1e-13);

  Trajectories noisy = clean;
  noisy.runs[0] += 1e-3 * rng.normal(40, 25);
  const KoopmanModel model = fit("name: dmd_rrr", noisy);
  REQUIRE(model.rank() == 24);
  for (arma::uword i = 0; i < model.rank(); ++i) {
    const bool genuine = arma::abs(truth - model.eigenvalues(i)).min() < 1e-2;
    CAPTURE(model.eigenvalues(i));
    CAPTURE(model.residuals(i));
    // Seen: 3.4e-5 for the genuine pair, 0.066 to 0.21 for the spurious ones.
    if (genuine) CHECK(model.residuals(i) < 1e-3);
    else CHECK(model.residuals(i) > 0.05);
  }
  CHECK(arma::accu(model.residuals < 1e-3) == 2);
}

TEST_CASE("dmd_rrr Ritz values equal exact DMD's at full rank; amplitude options") {
  // Random data, so no eigenpair is exact. Column scaling weights the least
  // squares when pairs outnumber states (8 × 30), so it stays off there.
  kooplab::Rng rng(9);
  for (const auto& [rows, options] : std::vector<std::pair<arma::uword, std::string>>{
           {8, "\nscale_columns: false"}, {8, "\nscale_columns: false\nrefine: false"}, {50, ""}, {50, "\nrefine: false"}}) {
    CAPTURE(options);
    Trajectories data;
    data.runs.push_back(rng.normal(rows, 31));
    const KoopmanModel exact = fit("name: dmd", data), rrr = fit("name: dmd_rrr" + options, data);
    REQUIRE(rrr.rank() == std::min<arma::uword>(rows, 30));
    CHECK(eigenvalue_error(exact.eigenvalues, rrr.eigenvalues) < 1e-10);
  }
  Trajectories data;
  data.runs.push_back(rng.normal(50, 31));
  // Refined vectors never have larger residuals than Ritz vectors.
  const KoopmanModel ritz = fit("name: dmd_rrr\nrefine: false", data), refined = fit("name: dmd_rrr", data);
  CHECK(arma::all(arma::sort(refined.residuals) <= arma::sort(ritz.residuals) + 1e-12));

  // Noise-free: trajectory amplitudes reproduce the whole first trajectory;
  // order: amplitude ranks modes by their share of x_0.
  const Trajectories clean = LinearSystem().data(2, 12);
  const KoopmanModel whole = fit("name: dmd_rrr\namplitudes: trajectory", clean);
  CHECK(arma::norm(whole.reconstruct(12) - clean.runs.front(), "inf") < 1e-9);
  const KoopmanModel sorted = fit("name: dmd_rrr\norder: amplitude", clean);
  const arma::vec weight = arma::abs(sorted.amplitudes) % arma::sqrt(arma::sum(arma::square(arma::abs(sorted.modes)), 0)).t();
  CHECK(arma::all(arma::diff(weight) <= 1e-14));
  CHECK(arma::norm(sorted.reconstruct(12) - clean.runs.front(), "inf") < 1e-9);
  const kooplab::SnapshotPairs pairs = clean.pairs();
  CHECK(arma::norm(sorted.advance(pairs.x) - pairs.y, "inf") < 1e-9);
}

TEST_CASE("delay_dmd recovers K sinusoid frequencies for d >= 2K, with and without noise") {
  const arma::vec omega = {0.3, 0.7, 1.3};
  for (const arma::uword delays : {6u, 10u}) {
    for (const std::string inner : {"dmd", "dmd_rrr"}) {
      CAPTURE(delays);
      CAPTURE(inner);
      Trajectories data;
      data.runs.push_back(sinusoids(omega, 200, 0.0, 1));
      const KoopmanModel model = fit(fmt::format("name: delay_dmd\ninner: {}\ndelays: {}", inner, delays), data);
      REQUIRE(model.rank() == 6);
      CHECK(arma::abs(positive_frequencies(model) - omega).max() < 1e-10);
      CHECK(arma::abs(arma::abs(model.eigenvalues) - 1.0).max() < 1e-10);
      CHECK(model.modes.n_rows == 1);
      CHECK(arma::norm(model.reconstruct(200) - data.runs.front(), "inf") < 1e-8);
    }
  }
  // Noise of std 0.05 on amplitudes 1–2, rank fixed to 2K.
  Trajectories noisy;
  noisy.runs.push_back(sinusoids(omega, 1000, 0.05, 2));
  for (const std::string inner : {"dmd", "dmd_rrr"}) {
    CAPTURE(inner);
    const KoopmanModel model = fit("name: delay_dmd\ndelays: 60\ninner: {name: " + inner + ", rank: 6}", noisy);
    REQUIRE(positive_frequencies(model).n_elem == 3);
    CHECK(arma::abs(positive_frequencies(model) - omega).max() < 2e-3);
  }
}

TEST_CASE("delay_dmd windows never straddle trajectories; predictions are states") {
  const LinearSystem system;
  const Trajectories data = system.data(3, 8);
  const KoopmanModel model = fit("name: delay_dmd\ndelays: 2\ninner: dmd_rrr\norder: amplitude", data);
  CHECK(eigenvalue_error(system.eigenvalues, model.eigenvalues) < 1e-10);
  const arma::mat& run = data.runs[1];
  // A window [x_0; x_1] continues from x_1.
  CHECK(arma::norm(model.predict(arma::join_cols(run.col(0), run.col(1)), 7) - run.cols(1, 8), "inf") < 1e-9);
  // Consecutive states stand for the windows ending at them: exact from the second on.
  const arma::mat next = model.advance(run.cols(0, 7));
  CHECK(arma::norm(next.cols(1, 7) - run.cols(2, 8), "inf") < 1e-9);
  CHECK_THROWS_AS(model.eigenfunction_values(arma::mat(5, 2, arma::fill::ones)), kooplab::DataError);
}

TEST_CASE("edmd with a delay dictionary leaves the padded columns out") {
  // A scalar sum of two sinusoids is not Markov in x; with 4 delays it is.
  Trajectories data;
  data.runs.push_back(sinusoids({0.4, 0.9}, 80, 0.0, 1));
  data.runs.push_back(sinusoids({0.4, 0.9}, 50, 0.0, 2).cols(3, 50));
  const KoopmanModel model = fit("name: edmd\nmethod: svd", data, "name: delay\ndelays: 4");
  CHECK(arma::abs(positive_frequencies(model) - arma::vec{0.4, 0.9}).max() < 1e-10);
}

TEST_CASE("bad inputs give clear errors, constant data a clean answer") {
  const LinearSystem system;
  for (const std::string estimator : {"name: dmd_rrr", "name: edmd", "name: delay_dmd\ndelays: 2"}) {
    CAPTURE(estimator);
    Trajectories nan = system.data(2, 5);
    nan.runs[1](2, 3) = arma::datum::nan;
    CHECK_THROWS_WITH_AS(fit(estimator, nan, "name: identity"), doctest::Contains("non-finite"), kooplab::DataError);
    Trajectories short_run = system.data(2, 5);
    short_run.runs[0] = short_run.runs[0].col(0);
    CHECK_THROWS_WITH_AS(fit(estimator, short_run, "name: identity"), doctest::Contains("at least 2"), kooplab::DataError);
    Trajectories zero = system.data(1, 5);
    zero.runs[0].zeros();
    CHECK_THROWS_WITH_AS(fit(estimator, zero, "name: identity"), doctest::Contains("rank 0"), kooplab::NumericalError);
    // Rank-deficient data with an explicit rank above the numerical rank.
    Trajectories flat;
    flat.runs.push_back(arma::vec{1.0, -2.0, 0.5, 0.0} * arma::exp(std::log(0.7) * arma::regspace<arma::rowvec>(0, 12)));
    CHECK_THROWS_WITH_AS(fit(estimator + "\nrank: 3", flat, "name: identity"), doctest::Contains("numerical rank"),
                         kooplab::NumericalError);
    // A constant trajectory is the eigenvalue 1, exactly.
    Trajectories constant;
    constant.runs.push_back(arma::repmat(arma::vec{1.0, -2.0, 0.5}, 1, 9));
    const KoopmanModel model = fit(estimator, constant, "name: identity");
    REQUIRE(model.rank() == 1);
    CHECK(std::abs(model.eigenvalues(0) - 1.0) < 1e-12);
  }
  Trajectories short_windows = system.data(2, 5);
  CHECK_THROWS_WITH_AS(fit("name: delay_dmd\ndelays: 6", short_windows), doctest::Contains("6 delays need at least 7"),
                       kooplab::DataError);
  CHECK_THROWS_WITH_AS(fit("name: edmd", system.data(1, 5)), doctest::Contains("needs an observable"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<Estimator>("name: delay_dmd\ninner: dmd\nrefine: true"), kooplab::ConfigError);  // a dmd_rrr key
  CHECK_THROWS_AS(make<Estimator>("name: edmd\nmethod: qr"), kooplab::ConfigError);
}
