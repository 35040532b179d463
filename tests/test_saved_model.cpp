// Saved Koopman models (kooplab/koopman/saved_model.hpp): a round trip keeps
// every number bit for bit, and a bad folder is a DataError naming the file.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <regex>

#include "build_paths.hpp"
#include "kooplab/error.hpp"
#include "kooplab/koopman/saved_model.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/npy.hpp"
#include "support.hpp"

using kooplab::KoopmanModel;
using kooplab::LoadedModel;
using kooplab::testing::contains;
using kooplab::testing::error_of;
using kooplab::testing::fit;
using kooplab::testing::LinearSystem;
using kooplab::testing::temporary_folder;
using kooplab::testing::write;

namespace {

template <class Matrix>
bool identical(const Matrix& a, const Matrix& b) {
  return arma::size(a) == arma::size(b) && arma::all(arma::vectorise(a == b));
}

// Saves `model` with its estimator section, loads it back and checks that
// every number and every prediction is the same, bit for bit.
void check_round_trip(const std::string& estimator, const KoopmanModel& model, const arma::mat& states) {
  CAPTURE(estimator);
  const auto folder = temporary_folder("saved-model");
  kooplab::save_model(model, folder, YAML::Load(estimator));
  const LoadedModel loaded = kooplab::load_model(folder);
  CHECK(loaded.header["estimator"]["name"] == YAML::Load(estimator)["name"].Scalar());
  CHECK_FALSE(loaded.eigenfunctions_missing);
  CHECK(identical(loaded.model.eigenvalues, model.eigenvalues));
  CHECK(identical(loaded.model.modes, model.modes));
  CHECK(identical(loaded.model.amplitudes, model.amplitudes));
  CHECK(identical(loaded.model.residuals, model.residuals));
  CHECK(identical(loaded.model.koopman_matrix, model.koopman_matrix));
  CHECK(loaded.model.dt == model.dt);
  CHECK(loaded.model.diagnostics == model.diagnostics);
  CHECK(identical(loaded.model.eigenfunction_values(states), model.eigenfunction_values(states)));
  CHECK(identical(loaded.model.advance(states), model.advance(states)));
  CHECK(identical(loaded.model.predict(states.col(0), 7), model.predict(states.col(0), 7)));
  CHECK(identical(loaded.model.reconstruct(7), model.reconstruct(7)));
}

}  // namespace

TEST_CASE("a saved model loads with the same numbers and the same predictions, bit for bit") {
  const LinearSystem system;
  const kooplab::Trajectories data = system.data(3, 12);
  const arma::mat states = kooplab::Rng(5).normal(system.dimension(), 4);
  // Projected eigenfunctions (exact DMD, forward-backward), reordered ones
  // (dmd_rrr by amplitude), delay windows around them, and kernel ones.
  for (const std::string estimator : {"name: dmd", "name: dmd_rrr\norder: amplitude", "name: tlsdmd",
                                      "name: delay_dmd\ndelays: 3\ninner: {name: dmd}",
                                      "name: delay_dmd\ndelays: 2\ninner: {name: dmd_rrr, order: amplitude}"})
    check_round_trip(estimator, fit(estimator, data), states);
  const kooplab::Trajectories invertible = LinearSystem({0.9, {0.8, 0.3}, -0.6, 0.4}).data(3, 12);
  check_round_trip("name: fbdmd", fit("name: fbdmd", invertible), invertible.runs.front());
  for (const std::string estimator : {"name: kernel_edmd\nkernel: polynomial\ndegree: 2\nrank: 6",
                                      "name: rrr\nkernel: gaussian\nlength_scale: 2\nrank: 4"}) {
    const kooplab::Trajectories polynomial = kooplab::testing::PolynomialMap().data(4, 10, 7);
    check_round_trip(estimator, fit(estimator, polynomial), polynomial.runs.front());
  }
}

TEST_CASE("a model whose eigenfunctions the format does not store keeps its spectrum and says why") {
  const kooplab::Trajectories data = kooplab::testing::PolynomialMap().data(4, 10, 7);
  const KoopmanModel model = fit("name: edmd", data, "name: polynomial\ndegree: 2");
  const auto folder = temporary_folder("saved-model-dictionary");
  kooplab::save_model(model, folder, YAML::Load("name: edmd"));
  const LoadedModel loaded = kooplab::load_model(folder);
  REQUIRE(loaded.eigenfunctions_missing);
  CHECK(contains(*loaded.eigenfunctions_missing, "not stored"));
  CHECK_FALSE(loaded.model.eigenfunctions);
  CHECK(identical(loaded.model.eigenvalues, model.eigenvalues));
  CHECK(identical(loaded.model.reconstruct(5), model.reconstruct(5)));
  CHECK_THROWS_AS(loaded.model.predict(data.runs.front().col(0), 3), kooplab::Error);
}

TEST_CASE("a missing, corrupt or foreign saved model is a DataError naming the file") {
  const auto good = temporary_folder("saved-model-good");
  kooplab::save_model(fit("name: dmd", LinearSystem().data(2, 10)), good, YAML::Load("name: dmd"));
  const auto header = kooplab::read_file(good / "model.json");
  const auto load_error = [](const std::filesystem::path& folder) {
    return error_of<kooplab::DataError>([&] { kooplab::load_model(folder); });
  };
  const auto copy = [&](const std::string& name) {
    const auto folder = temporary_folder("saved-model-" + name);
    std::filesystem::copy(good, folder, std::filesystem::copy_options::recursive);
    return folder;
  };

  const auto empty = temporary_folder("saved-model-empty");
  CHECK(contains(load_error(empty), (empty / "model.json").string() + ": no saved model here"));

  const auto garbage = copy("garbage");
  write(garbage / "model.json", "{\"format\": ");
  CHECK(contains(load_error(garbage), (garbage / "model.json").string() + ": not valid JSON"));

  const auto newer = copy("newer");
  write(newer / "model.json", std::regex_replace(header, std::regex("\"version\": 1"), "\"version\": 2"));
  CHECK(contains(load_error(newer),
                 (newer / "model.json").string() + ": format version 2; this kooplab reads version 1"));

  const auto foreign = copy("foreign");
  write(foreign / "model.json", "{\"format\": \"something else\", \"version\": 1}");
  CHECK(contains(load_error(foreign), "not a saved kooplab model"));

  const auto no_rank = copy("no-rank");
  write(no_rank / "model.json", std::regex_replace(header, std::regex("\"rank\""), "\"rnak\""));
  CHECK(contains(load_error(no_rank), (no_rank / "model.json").string() + ": malformed header"));

  const auto truncated = copy("truncated");
  const std::string modes = kooplab::read_file(good / "modes.npy");
  write(truncated / "modes.npy", modes.substr(0, modes.size() - 8));
  CHECK(contains(load_error(truncated), (truncated / "modes.npy").string() + ": .npy data has the wrong size"));

  const auto reshaped = copy("reshaped");
  write(reshaped / "modes.npy", kooplab::npy_bytes(arma::cx_mat(3, 2, arma::fill::ones)));
  CHECK(contains(load_error(reshaped), (reshaped / "modes.npy").string() + ": expected shape"));

  const auto missing = copy("missing");
  std::filesystem::remove(missing / "eigenfunctions.coefficients.npy");
  CHECK(contains(load_error(missing), (missing / "eigenfunctions.coefficients.npy").string() + ": missing"));

  const auto text = copy("text");
  write(text / "eigenvalues.npy", "eigenvalues");
  CHECK(contains(load_error(text), (text / "eigenvalues.npy").string() + ": not a .npy file"));
}

TEST_CASE("predict evaluates a model saved by spectrum on new data, with spectrum's metrics") {
  // The run's seed draws the initial states; the system is the same for every seed.
  const std::string dataset =
      "dataset: {name: linear_system, eigenvalues: [0.95, [0.8, 0.5], 0.3], trajectories: 2, steps: 25}\n";
  const kooplab::Config fitted = kooplab::Config::parse(
      dataset + "estimator: {name: dmd_rrr, order: amplitude}\napplication: {name: spectrum, save_model: true}\n",
      "spectrum.yaml");
  const kooplab::RunContext spectrum = kooplab::testing::run_application(fitted, 1);
  REQUIRE(std::filesystem::exists(spectrum.work_dir() / "model" / "model.json"));
  // Each run_application starts from an empty work folder: keep the model apart.
  const auto saved = temporary_folder("saved-model-of-spectrum");
  std::filesystem::copy(spectrum.work_dir() / "model", saved, std::filesystem::copy_options::recursive);

  // The same data: the same one-step error as spectrum's, bit for bit.
  const kooplab::Config same = kooplab::Config::parse(
      dataset + fmt::format("application: {{name: predict, model: '{}'}}\n", saved.string()), "predict.yaml");
  const kooplab::RunContext again = kooplab::testing::run_application(same, 1);
  using kooplab::testing::metric;
  CHECK(metric(again, "one_step_error") == metric(spectrum, "one_step_error"));
  CHECK(metric(again, "rank") == metric(spectrum, "rank"));
  CHECK(metric(again, "max_residual") == metric(spectrum, "max_residual"));
  CHECK(metric(again, "eigenvalue_error") == metric(spectrum, "eigenvalue_error"));

  // New trajectories of the same noise-free system: exact DMD has the system,
  // so one step and 25 steps ahead are right to round-off.
  const kooplab::Config fresh = kooplab::Config::parse(
      dataset + fmt::format("application: {{name: predict, model: '{}', horizon: 25}}\n", saved.string()),
      "predict.yaml");
  const kooplab::RunContext predicted = kooplab::testing::run_application(fresh, 9);
  CHECK(metric(predicted, "one_step_error") < 1e-12);
  CHECK(metric(predicted, "prediction_error") < 1e-10);
  CHECK(kooplab::testing::array<arma::mat>(predicted, "prediction").n_cols == 26);

  // A model of other states is refused naming both dimensions.
  const kooplab::Config other =
      kooplab::Config::parse("dataset: {name: linear_system, eigenvalues: [0.9, 0.5], steps: 10}\n" +
                                 fmt::format("application: {{name: predict, model: '{}'}}\n", saved.string()),
                             "predict.yaml");
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::testing::run_application(other, 0); }),
                 "the data's states have dimension 2, the model's 4"));
}

TEST_CASE("the committed version-1 model of configs/ still loads and predicts its system") {
  // configs/models/linear_dmd: exact DMD of configs/predict_linear.yaml's system
  // (eigenvalues 0.95, 0.8 ± 0.5i, 0.3), saved by format version 1.
  const LoadedModel loaded = kooplab::load_model(kooplab::testing::source_dir() / "configs/models/linear_dmd");
  CHECK(loaded.header["version"] == 1);
  const arma::cx_vec truth = {{0.95, 0}, {0.8, 0.5}, {0.8, -0.5}, {0.3, 0}};
  CHECK(kooplab::spectrum_distance(truth, loaded.model.eigenvalues) < 1e-10);
}
