// Streaming DMD (after Hemati, Williams, Rowley 2014; estimator
// `streaming_dmd`): equal to batch exact DMD on the same pairs without
// forgetting, memory bounded by the data's rank, and forgetting that follows
// a system which changes.
#include <doctest/doctest.h>

#include <complex>

#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "kooplab/koopman/streaming_dmd.hpp"
#include "support.hpp"

using kooplab::KoopmanModel;
using kooplab::spectrum_distance;
using kooplab::StreamingDmd;
using kooplab::Trajectories;
using kooplab::testing::fit;
using kooplab::testing::LinearSystem;

namespace {

// Streams every pair of `data`, in trajectory order.
StreamingDmd streamed(const Trajectories& data, const kooplab::StreamingDmdOptions& options = {}) {
  StreamingDmd stream(data.state_dim(), options);
  for (const arma::mat& run : data.runs)
    for (arma::uword t = 0; t + 1 < run.n_cols; ++t) stream.update(run.col(t), run.col(t + 1));
  return stream;
}

}  // namespace

TEST_CASE("streaming_dmd equals batch exact DMD on the same pairs to round-off") {
  const LinearSystem system;  // 0.9 (twice), 0.8 ± 0.3i, 0, 0.5
  SUBCASE("exact data: the system's eigenvalues, zero residuals") {
    const Trajectories data = system.data(3, 10);
    const KoopmanModel model = fit("name: streaming_dmd", data), batch = fit("name: dmd", data);
    REQUIRE(model.rank() == 6);
    CHECK(model.diagnostics.at("pairs") == 30);
    CHECK(spectrum_distance(system.eigenvalues, model.eigenvalues) < 1e-10);
    CHECK(model.residuals.max() < 1e-10);
    CHECK(arma::norm(model.reconstruct(10) - batch.reconstruct(10), "inf") < 1e-10);
  }
  SUBCASE("noisy data (σ = 0.1): the same least-squares model, residuals and all") {
    const Trajectories data = system.data(5, 30, 0.1);
    const KoopmanModel model = fit("name: streaming_dmd", data), batch = fit("name: dmd", data);
    REQUIRE(model.rank() == 6);
    CHECK(spectrum_distance(batch.eigenvalues, model.eigenvalues) < 1e-12);
    const kooplab::SpectrumMatch match = kooplab::match_spectrum(batch.eigenvalues, model.eigenvalues);
    CHECK(arma::abs(model.residuals(match.partner) - batch.residuals).max() < 1e-12);
    // The Gram matrix squares X's condition number: the models agree to about cond(X)² ε.
    CHECK(arma::norm(model.advance(data.runs[2]) - batch.advance(data.runs[2]), "inf") < 1e-10);
    CHECK(arma::norm(model.reconstruct(30) - batch.reconstruct(30), "inf") < 1e-9);
  }
}

TEST_CASE("streaming_dmd keeps bases of the data's rank, not of the number of pairs") {
  // Rank-4 dynamics seen through 50 sensors, 400 pairs.
  const LinearSystem system({{0.95, 0.2}, 0.8, -0.5}, true);
  kooplab::Rng rng(4);
  const arma::mat sensors = rng.normal(50, 4);
  Trajectories data = system.data(10, 40);
  for (arma::mat& run : data.runs) run = sensors * run;
  const StreamingDmd stream = streamed(data);
  CHECK(stream.pairs() == 400);
  CHECK(stream.rank() == 4);
  const KoopmanModel model = stream.model(data.runs.front().col(0), "test");
  CHECK(spectrum_distance(system.eigenvalues, model.eigenvalues) < 1e-10);
  CHECK(model.residuals.max() < 1e-10);
}

TEST_CASE("streaming_dmd with forgetting follows a system that changes") {
  // 40 pairs of A then 40 pairs of A': without forgetting the model is the
  // least-squares mixture of both; with ρ = 0.5 the pairs of A weigh at most
  // 0.5⁴⁰ ≈ 1e-12 and the model is A'. A' keeps all four directions excited
  // (|λ| near 1), so the recent pairs alone determine it.
  const LinearSystem before({0.9, {0.7, 0.4}, 0.5}), after({std::polar(0.99, 0.5), std::polar(0.97, 1.2)});
  Trajectories data = before.data(1, 40);
  data.runs.push_back(after.data(1, 40, 0.0, 8).runs.front());
  const KoopmanModel mixed = fit("name: streaming_dmd", data);
  const KoopmanModel recent = fit("name: streaming_dmd\nforgetting: 0.5", data);
  INFO("distance to the new spectrum: mixed " << spectrum_distance(after.eigenvalues, mixed.eigenvalues)
                                              << ", forgetting "
                                              << spectrum_distance(after.eigenvalues, recent.eigenvalues));
  CHECK(spectrum_distance(after.eigenvalues, mixed.eigenvalues) > 1e-2);
  CHECK(spectrum_distance(after.eigenvalues, recent.eigenvalues) < 1e-6);
}

TEST_CASE("streaming_dmd refuses pairs of the wrong dimension and a stream of zeros") {
  StreamingDmd stream(3, {});
  CHECK_THROWS_WITH_AS(stream.update(arma::vec(3, arma::fill::ones), arma::vec(2, arma::fill::ones)),
                       doctest::Contains("dimension 3"), kooplab::DataError);
  stream.update(arma::vec(3, arma::fill::zeros), arma::vec(3, arma::fill::zeros));
  CHECK_THROWS_WITH_AS(stream.model(arma::vec(3, arma::fill::zeros), "test"), doctest::Contains("rank 0"),
                       kooplab::NumericalError);
}
