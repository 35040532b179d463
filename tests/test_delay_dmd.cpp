// Time-delay (Hankel) DMD (estimator `delay_dmd`, kooplab::fit_on_delays)
// around any inner estimator: closed-form spectra, sinusoid frequencies and
// the composition of its section.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "support.hpp"

using kooplab::KoopmanModel;
using kooplab::spectrum_distance;
using kooplab::Trajectories;
using kooplab::testing::fit;
using kooplab::testing::make;
using kooplab::testing::positive_frequencies;
using kooplab::testing::sinusoids;

TEST_CASE("delay_dmd on a linear system with complex, repeated and zero eigenvalues: spectrum to 1e-10") {
  const kooplab::testing::LinearSystem system;
  const Trajectories data = system.data(3, 10);
  // Modes are the newest state of a window, where the λ = 0 component has died
  // out: with d delays the reconstruction is exact from x_{d−1} on.
  for (const auto& [estimator, skip] : std::vector<std::pair<std::string, arma::uword>>{
           {"name: delay_dmd\ndelays: 1", 0}, {"name: delay_dmd\ndelays: 3\ninner: dmd_rrr", 2}}) {
    CAPTURE(estimator);
    const KoopmanModel model = fit(estimator, data);
    CHECK(spectrum_distance(system.eigenvalues, model.eigenvalues) < 1e-10);
    REQUIRE(model.dt);
    CHECK(*model.dt == 0.5);
    const arma::mat& first = data.runs.front();
    CHECK(arma::norm(model.reconstruct(10).cols(skip, 10) - first.cols(skip, 10), "inf") < 1e-8);
  }
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
      CHECK(arma::abs(positive_frequencies(model.eigenvalues) - omega).max() < 1e-10);
      CHECK(arma::abs(arma::abs(model.eigenvalues) - 1.0).max() < 1e-10);
      CHECK(model.modes.n_rows == 1);
      CHECK(arma::norm(model.reconstruct(200) - data.runs.front(), "inf") < 1e-8);
    }
  }
  // Noise of std 0.05 on amplitudes 1–2, the inner rank fixed to 2K.
  Trajectories noisy;
  noisy.runs.push_back(sinusoids(omega, 1000, 0.05, 2));
  for (const std::string inner : {"dmd", "dmd_rrr"}) {
    CAPTURE(inner);
    const KoopmanModel model = fit("name: delay_dmd\ndelays: 60\ninner: {name: " + inner + ", rank: 6}", noisy);
    REQUIRE(positive_frequencies(model.eigenvalues).n_elem == 3);
    CHECK(arma::abs(positive_frequencies(model.eigenvalues) - omega).max() < 2e-3);
  }
}

TEST_CASE("delay_dmd windows never straddle trajectories; predictions are states") {
  const kooplab::testing::LinearSystem system;
  const Trajectories data = system.data(3, 8);
  const KoopmanModel model = fit("name: delay_dmd\ndelays: 2\norder: amplitude\ninner: dmd_rrr", data);
  CHECK(spectrum_distance(system.eigenvalues, model.eigenvalues) < 1e-10);
  const arma::vec weight =
      arma::abs(model.amplitudes) % arma::sqrt(arma::sum(arma::square(arma::abs(model.modes)), 0)).t();
  CHECK(arma::all(arma::diff(weight) <= 1e-14));
  const arma::mat& run = data.runs[1];
  // A window [x_0; x_1] continues from x_1.
  CHECK(arma::norm(model.predict(arma::join_cols(run.col(0), run.col(1)), 7) - run.cols(1, 8), "inf") < 1e-9);
  // Consecutive states stand for the windows ending at them: exact from the second on.
  const arma::mat next = model.advance(run.cols(0, 7));
  CHECK(arma::norm(next.cols(1, 7) - run.cols(2, 8), "inf") < 1e-9);
  CHECK_THROWS_AS(model.eigenfunction_values(arma::mat(5, 2, arma::fill::ones)), kooplab::DataError);
}

TEST_CASE("delay_dmd composes any estimator: a name is the section {name: ...}, the inner keys stay inner") {
  Trajectories data;
  data.runs.push_back(sinusoids({0.3, 0.7}, 120, 0.0, 3));
  // A plain name and the section with only that name build the same fit.
  const KoopmanModel word = fit("name: delay_dmd\ndelays: 5\ninner: dmd_rrr", data);
  const KoopmanModel section = fit("name: delay_dmd\ndelays: 5\ninner: {name: dmd_rrr}", data);
  CHECK(arma::approx_equal(word.eigenvalues, section.eigenvalues, "absdiff", 0.0));
  // The default inner estimator is exact DMD; its rank applies to the windows.
  const KoopmanModel plain = fit("name: delay_dmd\ndelays: 5", data),
                     exact = fit("name: delay_dmd\ndelays: 5\ninner: dmd", data);
  CHECK(arma::approx_equal(plain.eigenvalues, exact.eigenvalues, "absdiff", 0.0));
  CHECK(fit("name: delay_dmd\ndelays: 5\ninner: {name: dmd, rank: 2}", data).rank() == 2);
  // Any registered estimator fits the windows: EDMD with an identity dictionary, TLS-DMD.
  const KoopmanModel edmd = fit("name: delay_dmd\ndelays: 5\ninner: {name: edmd, method: svd}", data, "name: identity");
  const KoopmanModel tls = fit("name: delay_dmd\ndelays: 5\ninner: tlsdmd", data);
  for (const KoopmanModel* model : {&edmd, &tls}) {
    CHECK(arma::abs(positive_frequencies(model->eigenvalues) - arma::vec{0.3, 0.7}).max() < 1e-10);
    CHECK(arma::norm(model->reconstruct(120) - data.runs.front(), "inf") < 1e-8);
  }
}

TEST_CASE("delay_dmd: bad sections and short trajectories give clear errors") {
  const kooplab::testing::LinearSystem system;
  CHECK_THROWS_WITH_AS(fit("name: delay_dmd\ndelays: 6", system.data(2, 5)),
                       doctest::Contains("6 delays need at least 7"), kooplab::DataError);
  // The inner estimator's keys belong in its section.
  CHECK_THROWS_WITH_AS(make<kooplab::Estimator>("name: delay_dmd\nrank: 3"), doctest::Contains("rank: unknown key"),
                       kooplab::ConfigError);
  CHECK_THROWS_WITH_AS(make<kooplab::Estimator>("name: delay_dmd\ninner: {name: dmd, refine: true}"),
                       doctest::Contains("inner.refine: unknown key"), kooplab::ConfigError);
  CHECK_THROWS_WITH_AS(make<kooplab::Estimator>("name: delay_dmd\ninner: dnd"),
                       doctest::Contains("inner.name: unknown estimator plugin 'dnd' (did you mean 'dmd'?)"),
                       kooplab::ConfigError);
  CHECK_THROWS_AS(make<kooplab::Estimator>("name: delay_dmd\ndelays: 0"), kooplab::ConfigError);
}

TEST_CASE("spectrum's errors of a delay model cover the pairs and steps with a full window, from x_{d-1}") {
  // λ = 0 dies within one step: the model rebuilds the trajectory exactly from
  // x_{d−1} on, but cannot extrapolate it back to x_0.
  const std::string yaml = R"(
dataset: {name: linear_system, eigenvalues: [0.9, 0.0, [0.8, 0.3]], trajectories: 2, steps: 20}
estimator: {name: delay_dmd, delays: 3}
application: {name: spectrum, save_modes: false}
)";
  const kooplab::Config config = kooplab::Config::parse(yaml, "test.yaml");
  const kooplab::RunContext context = kooplab::testing::run_application(config, 0);
  CHECK(kooplab::testing::metric(context, "reconstruction_error") < 1e-10);
  CHECK(kooplab::testing::metric(context, "reconstruction_error_all") > 1e-3);
  // Padded windows, or windows across the two trajectories, would miss by far more.
  CHECK(kooplab::testing::metric(context, "one_step_error") < 1e-10);
  const kooplab::Config plain = kooplab::Config::parse(
      "dataset: {name: linear_system, eigenvalues: [0.9, [0.8, 0.3]], trajectories: 2, steps: 20}\n"
      "estimator: {name: dmd}\napplication: {name: spectrum, save_modes: false}\n",
      "test.yaml");
  const kooplab::RunContext dmd = kooplab::testing::run_application(plain, 0);
  CHECK(kooplab::testing::metric(dmd, "reconstruction_error") < 1e-10);
  CHECK_THROWS_AS(kooplab::testing::metric(dmd, "reconstruction_error_all"), std::out_of_range);
}
