// Dataset `rnn`, the analytical null-space eigenfunctions of Claveau et al.
// and application `rnn_eigenfunctions`, checked against the paper's example
// and against closed forms on random low-rank networks.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <map>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/dynamics/null_space_eigenfunctions.hpp"
#include "kooplab/dynamics/rnn_families.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/util/memory.hpp"
#include "support.hpp"

using kooplab::ElementwiseFunction;
using kooplab::NetworkDynamics;
using kooplab::testing::make;

namespace {

const arma::mat paper_w = {{-1, 0, -2}, {3, 1, 2}, {0, -1, 4}};

kooplab::NetworkDynamicsSource::Sample sample(const std::string& yaml, std::uint64_t seed = 0) {
  const auto dataset = make<kooplab::Dataset>(yaml);
  const auto* source = dynamic_cast<const kooplab::NetworkDynamicsSource*>(dataset.get());
  REQUIRE(source != nullptr);
  kooplab::Rng rng(seed);
  return source->sample(rng);
}

// Runs the application of a full experiment config in-process and returns its metrics.
std::map<std::string, double> run_metrics(const std::string& yaml, std::uint64_t seed = 0) {
  const kooplab::Config config = kooplab::Config::parse(yaml, "test.yaml");
  std::map<std::string, std::shared_ptr<kooplab::Plugin>> built;
  for (const auto& kind : kooplab::plugin_kinds())
    if (config.has(kind)) built[kind] = kooplab::testing::plugins().create(kind, config.child(kind));
  config.check_all_keys_used();
  kooplab::RunContext context(config, seed, kooplab::testing::plugins(), built,
                              kooplab::testing::temporary_folder("rnn"));
  dynamic_cast<const kooplab::Application&>(*built.at("application")).run(context);
  std::map<std::string, double> metrics(context.metrics().begin(), context.metrics().end());
  return metrics;
}

}  // namespace

TEST_CASE("elementwise functions: values, derivatives and invertibility") {
  const arma::vec x = {-1.5, 0.0, 0.7};
  const ElementwiseFunction affine(ElementwiseFunction::Base::identity, {2.0}, {-1.0, 0.0, 1.0});
  CHECK(arma::approx_equal(affine.value(x), arma::vec{-4.0, 0.0, 2.4}, "absdiff", 1e-15));
  CHECK(arma::approx_equal(affine.derivative(x), arma::vec{2.0, 2.0, 2.0}, "absdiff", 1e-15));
  const ElementwiseFunction asinh(ElementwiseFunction::Base::asinh, {1.0}, {0.0});
  CHECK(asinh.value(x)(0) == doctest::Approx(std::asinh(-1.5)).epsilon(1e-14));
  CHECK(asinh.derivative(x)(2) == doctest::Approx(1 / std::sqrt(1 + 0.49)).epsilon(1e-14));
  const ElementwiseFunction sigmoid(ElementwiseFunction::Base::sigmoid, {3.0}, {0.0});
  const double s = 1 / (1 + std::exp(-2.1));
  CHECK(sigmoid.derivative(x)(2) == doctest::Approx(3 * s * (1 - s)).epsilon(1e-14));
  CHECK(ElementwiseFunction(ElementwiseFunction::Base::softplus, {1.0}, {0.0}).value(x)(1) ==
        doctest::Approx(std::log(2.0)));
  CHECK(!ElementwiseFunction(ElementwiseFunction::Base::relu, {1.0}, {0.0}).strictly_monotone());
  CHECK(!ElementwiseFunction(ElementwiseFunction::Base::tanh, {0.0}, {0.0}).strictly_monotone());
  CHECK(ElementwiseFunction(ElementwiseFunction::Base::tanh, {-2.0}, {0.0}).strictly_monotone());
}

TEST_CASE("the paper's example: u3 ∝ (3, 1, 1)/√11, φ = 3x1 + x2 + x3, λ = −1") {
  NetworkDynamics dynamics;
  dynamics.weights = paper_w;
  dynamics.h = ElementwiseFunction(ElementwiseFunction::Base::tanh, {1.0}, {0.0});
  const auto analytical = kooplab::null_space_eigenfunctions(dynamics);
  CHECK(analytical.rank == 2);
  REQUIRE(analytical.count() == 1);
  const arma::vec expected = arma::vec{3, 1, 1} / std::sqrt(11.0);
  CHECK(arma::abs(analytical.null_vectors().col(0) - expected).max() < 1e-8);
  CHECK(std::abs(analytical.eigenvalues(0) + 1.0) < 1e-8);
  // φ(x) = (3x1 + x2 + x3)/√11 and y3 = φ in y = Uᵀx.
  const arma::mat states = {{1.0, -0.5}, {2.0, 0.25}, {3.0, 4.0}};
  const arma::rowvec phi = analytical.evaluate(states);
  CHECK(std::abs(phi(0) - 8 / std::sqrt(11.0)) < 1e-8);
  CHECK(std::abs(phi(1) - 2.75 / std::sqrt(11.0)) < 1e-8);
  CHECK(arma::abs(analytical.coordinates(states).row(2) - phi).max() < 1e-14);
  // The generator applied to φ: ∇φ · F = −φ at any state.
  CHECK(arma::abs(expected.t() * dynamics.rate(states) + expected.t() * states).max() < 1e-12);
}

TEST_CASE("dataset rnn reproduces the example's W and its trajectories keep φ(x(t)) = e^{−t} φ(x(0))") {
  const auto [dynamics, data] = sample(
      "name: rnn\nweights: [[-1, 0, -2], [3, 1, 2], [0, -1, 4]]\ntrajectories: 5\nsteps: 40\ndt: 0.1\n"
      "abs_tolerance: 1.0e-10\nrel_tolerance: 1.0e-10\n");
  CHECK(arma::approx_equal(dynamics.weights, paper_w, "absdiff", 0.0));
  REQUIRE(data.dt);
  CHECK(*data.dt == 0.1);
  REQUIRE(data.runs.size() == 5);
  CHECK(data.runs[0].n_rows == 3);
  CHECK(data.runs[0].n_cols == 41);
  REQUIRE(data.true_eigenvalues);
  CHECK(std::abs((*data.true_eigenvalues)(0) - std::exp(-0.1)) < 1e-15);
  const arma::rowvec u = arma::rowvec{3, 1, 1};
  for (const auto& run : data.runs) {
    const arma::rowvec phi = u * run;
    const arma::rowvec exact = phi(0) * arma::exp(-0.1 * arma::regspace<arma::rowvec>(0, 40));
    CHECK(arma::abs(phi - exact).max() < 1e-8 * std::max(1.0, arma::abs(run).max()));
  }
}

TEST_CASE("application rnn_eigenfunctions: verification at the integrator tolerance, for each family") {
  // Samples Δt = 1 apart, so the step control (not the sampling grid) sets the steps.
  for (const std::string integrator : {"dopri5", "cash_karp54"}) {
    for (const double tolerance : {1e-6, 1e-9, 1e-12}) {
      CAPTURE(integrator);
      CAPTURE(tolerance);
      const auto metrics =
          run_metrics(fmt::format("dataset:\n  name: rnn\n  weights: [[-1, 0, -2], [3, 1, 2], [0, -1, 4]]\n  theta: "
                                  "[0.2, -0.1, 0.3]\n  trajectories: 8\n"
                                  "  steps: 8\n  dt: 1\n  integrator: {}\n  abs_tolerance: {}\n  rel_tolerance: "
                                  "{}\napplication:\n  name: rnn_eigenfunctions\n",
                                  integrator, tolerance, tolerance));
      CHECK(metrics.at("rank") == 2);
      CHECK(metrics.at("analytical_eigenvalue") == -1.0);
      CHECK(metrics.at("null_residual") < 1e-14);
      CHECK(metrics.at("verification_error_absolute") < 10 * tolerance);
      CHECK(metrics.at("verification_error_absolute") > 1e-3 * tolerance);
      CHECK(std::abs(metrics.at("null_rate") + 1) < 10 * tolerance);
    }
  }
}

TEST_CASE("family one with an invertible nonlinear ζ: φ = uᵀ asinh(x), λ = −1") {
  const auto metrics = run_metrics(
      "dataset:\n  name: rnn\n  model: family1\n  size: 6\n  rank: 3\n  zeta: asinh\n  h: {name: sigmoid, gain: 2}\n"
      "  abs_tolerance: 1.0e-11\n  rel_tolerance: 1.0e-11\napplication:\n  name: rnn_eigenfunctions\n");
  CHECK(metrics.at("null_dimension") == 3);
  CHECK(metrics.at("verification_error_absolute") < 1e-8);
  CHECK(metrics.at("null_rate_error") < 1e-8);
}

TEST_CASE("family two: φ = exp(uᵀ sinh(x)), λ = −uᵀc") {
  const auto [dynamics, data] =
      sample("name: rnn\nmodel: family2\nsize: 5\nrank: 3\nzeta: sinh\nh: tanh\nc: [0.5, -0.2, 0.1, 0.3, 0.4]\n");
  const auto analytical = kooplab::null_space_eigenfunctions(dynamics);
  REQUIRE(analytical.count() == 2);
  const arma::mat null = analytical.null_vectors();
  // First null vector along P c (the only non-zero λ = −‖P c‖), the second orthogonal to c.
  const arma::vec c = dynamics.drive;
  CHECK(std::abs(analytical.eigenvalues(0) + arma::norm(null.t() * c)) < 1e-12);
  CHECK(std::abs(analytical.eigenvalues(1)) < 1e-12);
  CHECK(arma::abs(dynamics.weights.t() * null).max() < 1e-12);
  const auto metrics = run_metrics(
      "dataset:\n  name: rnn\n  model: family2\n  size: 5\n  rank: 3\n  zeta: sinh\n  h: tanh\n  c: [0.5, -0.2, 0.1, "
      "0.3, 0.4]\n"
      "  abs_tolerance: 1.0e-11\n  rel_tolerance: 1.0e-11\napplication:\n  name: rnn_eigenfunctions\n");
  CHECK(metrics.at("verification_error") < 1e-8);
  CHECK(metrics.at("null_rate_error") < 1e-8);
}

TEST_CASE("the example through dmd: the data-driven eigenvalue is e^{−Δt}") {
  const auto metrics = run_metrics(
      "dataset:\n  name: rnn\n  weights: [[-1, 0, -2], [3, 1, 2], [0, -1, 4]]\n  abs_tolerance: 1.0e-12\n  "
      "rel_tolerance: 1.0e-12\n"
      "estimator:\n  name: dmd\napplication:\n  name: rnn_eigenfunctions\n");
  CHECK(metrics.at("exact_eigenvalue") == doctest::Approx(std::exp(-0.1)).epsilon(1e-15));
  CHECK(std::abs(metrics.at("data_eigenvalue") - std::exp(-0.1)) < 1e-8);
  CHECK(std::abs(metrics.at("data_continuous_eigenvalue") + 1) < 1e-7);
  CHECK(metrics.at("eigenvalues_found") == 1);
  CHECK(metrics.at("eigenfunction_angle") < 1e-9);
  CHECK(metrics.at("eigenfunction_residual") < 1e-8);
}

TEST_CASE("dataset rnn rejects what the families cannot use") {
  CHECK_THROWS_AS(make<kooplab::Dataset>("name: rnn\nmodel: family1\nsize: 4\nrank: 2\nzeta: relu\n"),
                  kooplab::ConfigError);
  CHECK_THROWS_AS(
      make<kooplab::Dataset>("name: rnn\nmodel: family1\nsize: 4\nrank: 2\nzeta: {name: affine, gain: 0}\n"),
      kooplab::ConfigError);
  CHECK_THROWS_AS(make<kooplab::Dataset>("name: rnn\nsize: 4\nrank: 5\n"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<kooplab::Dataset>("name: rnn\nsize: 4\n"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<kooplab::Dataset>("name: rnn\nsize: 4\nrank: 2\ntheta: [1, 2]\n"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<kooplab::Dataset>("name: rnn\nsize: 4\nrank: 2\nzeta: sinh\n"),
                  kooplab::ConfigError);  // rnn has θ, not ζ
  CHECK_THROWS_AS(make<kooplab::Dataset>("name: rnn\nmodel: family1\nsize: 4\nrank: 2\nc: 1\n"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<kooplab::Dataset>("name: rnn\nsize: 4\nrank: 2\nsigma: cosine\n"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<kooplab::Dataset>("name: rnn\nsize: 4\nrank: 2\nintegrator: euler\n"), kooplab::ConfigError);
}

TEST_CASE("dataset rnn names the key and the file position of what it refuses") {
  const auto error = [](const std::string& yaml) {
    return kooplab::testing::error_of<kooplab::ConfigError>([&] { make<kooplab::Dataset>(yaml); });
  };
  const std::string random = "name: rnn\nsize: 4\nrank: 2\n";
  CHECK(error(random + "dt: -0.1") == "test.yaml:4:5: dt: expected a number > 0, got -0.1");
  CHECK(error(random + "initial_scale: .nan") == "test.yaml:4:16: initial_scale: expected a finite number, got nan");
  CHECK(error(random + "trajectories: 0") == "test.yaml:4:15: trajectories: expected an integer ≥ 1, got 0");
  CHECK(error(random + "abs_tolerance: 0") == "test.yaml:4:16: abs_tolerance: expected a number > 0, got 0");
  CHECK(error(random + "theta: [1, .inf, 0, 0]") ==
        "test.yaml:4:8: theta: expected finite numbers, got [1, inf, 0, 0]");
  CHECK(
      error(random + "sigma: tahn") ==
      "test.yaml:4:8: sigma: expected one of identity, affine, tanh, sigmoid, sinh, asinh, softplus, relu, got 'tahn' "
      "(did you mean 'tanh'?)");
  CHECK(error(random + "sigma: {name: identity, bias: 1}") ==
        "test.yaml:4:15: sigma.name: identity takes no gain or bias; use affine");
  CHECK(error(random + "sigma: {gain: 2}") ==
        "test.yaml:4:8: sigma.name: missing key (expected one of identity, affine, tanh, sigmoid, sinh, asinh, "
        "softplus, relu)");
  CHECK(error(random + "zeta: sinh") == "test.yaml:4:7: zeta: does not apply to model rnn");
  CHECK(error("name: rnn\nmodel: family1\nsize: 4\nrank: 2\nc: 1") ==
        "test.yaml:5:4: c: does not apply to model family1");
  CHECK(error("name: rnn\nrank: 2") ==
        "test.yaml:1:1: size: missing key (N, the number of units of a random W of rank r)");
  CHECK(error("name: rnn\nweights: [[1]]\nsize: 1") ==
        "test.yaml:3:7: size: goes with rank (a random W), not with weights");
  CHECK(error("name: rnn\nweights: [[1]]\nrank: 1") ==
        "test.yaml:1:1: <top>: give exactly one of weights, rank (given: weights, rank)");
  CHECK(error("name: rnn\nmodel: family3\nweights: [[1]]") ==
        "test.yaml:2:8: model: expected one of rnn, family1, family2, got 'family3' (did you mean 'family1'?)");
}

TEST_CASE("random low-rank RNNs: EDMD on [1; x] finds N − r eigenvalues at e^{−Δt}") {
  for (const int rank : {1, 3, 5, 8}) {
    CAPTURE(rank);
    const auto metrics =
        run_metrics(fmt::format("dataset:\n  name: rnn\n  size: 10\n  rank: {}\n  weight_scale: 2\n  theta: 0.2\n  "
                                "initial_scale: 2\n  trajectories: 20\n"
                                "  steps: 50\n  dt: 0.1\n  abs_tolerance: 1.0e-12\n  rel_tolerance: 1.0e-12\n"
                                "observable:\n  name: identity\n  constant: true\nestimator:\n  name: edmd\n"
                                "application:\n  name: rnn_eigenfunctions\n  match_tolerance: 1.0e-6\n",
                                rank),
                    std::uint64_t(rank));
    CHECK(metrics.at("null_dimension") == 10 - rank);
    CHECK(metrics.at("eigenvalues_found") == 10 - rank);
    CHECK(metrics.at("eigenvalue_distance") < 1e-6);
    CHECK(metrics.at("eigenfunction_angle") < 1e-9);
    CHECK(metrics.at("verification_error_absolute") < 1e-9);
  }
}

TEST_CASE("sizes whose memory exceeds the budget are refused before allocating, naming the key and the size") {
  const auto error = [](const std::string& yaml) {
    return kooplab::testing::error_of<kooplab::ConfigError>([&] { make<kooplab::Dataset>(yaml); });
  };
  // W alone would be 8·10¹⁸ bytes: refused at once, not after filling memory.
  const std::string huge = error("name: rnn\nrank: 1\nsize: 1000000000\n");
  CHECK(huge.find("size: N = 1000000000 units (W, N × N) with 20 trajectories of 51 snapshots needs about 6.94 EB, "
                  "more than the budget of") != std::string::npos);
  CHECK(huge.find("(physical memory)") != std::string::npos);
  // The budget set as --max-memory sets it: a small network fits, a larger one does not.
  kooplab::set_memory_budget(1 << 20);
  CHECK(error("name: rnn\nrank: 1\nsize: 100\n").empty());  // 8·(10⁴ + 20·51·100) bytes ≈ 0.9 MB
  CHECK(error("name: rnn\nrank: 1\nsize: 200\n").find("more than the budget of 1 MB (--max-memory)") !=
        std::string::npos);
  CHECK(error("name: yinyang\ntrain_size: 100000\n").find("train_size: 100000 train samples needs about 6.87 MB") !=
        std::string::npos);
  kooplab::set_memory_budget(0);
  CHECK(error("name: yinyang\ntrain_size: 100000\n").empty());
}
