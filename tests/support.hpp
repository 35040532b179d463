#pragma once
// Helpers shared by the test suites.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <variant>

#include "kooplab/application.hpp"
#include "kooplab/config.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/network.hpp"
#include "kooplab/observable.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/run_context.hpp"

namespace kooplab::testing {

// A small sweep of exact DMD on a noisy linear system: 3 ranks × 3 seeds, well under a second.
inline const char* const linear_dmd_sweep = R"(seed: 4
dataset:
  name: linear_system
  eigenvalues: [0.9, [0.6, 0.5], 0.3]
  trajectories: 3
  steps: 20
  noise: 0.01
estimator:
  name: dmd
application:
  name: spectrum
sweep:
  grid:
    estimator.rank: [2, 3, 4]
  seeds: 3
)";

// The registry of the build's real plugins, loaded once per test executable.
inline const Registry& plugins() {
  static const Registry registry(Registry::default_folders());
  return registry;
}

// Creates the plugin described by a YAML section, e.g. "name: dmd\nrank: 3".
template <class T>
std::shared_ptr<T> make(const std::string& yaml) {
  const Config config = Config::parse(yaml, "test.yaml");
  return plugins().create<T>(config);
}

// The message of the exception of type E that `action` throws; "" when it throws none.
template <class E = Error>
std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const E& error) {
    return error.what();
  }
  return "";
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A metric a run reported, by name; throws (failing the test) when there is none.
inline double metric(const RunContext& context, const std::string& name) {
  for (const auto& [key, value] : context.metrics())
    if (key == name) return value;
  throw std::out_of_range("the run reported no metric " + name);
}

// An array a run reported, by name, as M (arma::mat or arma::cx_mat).
template <class M>
M array(const RunContext& context, const std::string& name) {
  for (const auto& entry : context.arrays())
    if (entry.name == name) return std::get<M>(entry.values);
  throw std::out_of_range("the run reported no array " + name);
}

// A fresh empty folder under the system's temporary folder.
inline std::filesystem::path temporary_folder(const std::string& name) {
  const auto folder =
      std::filesystem::temp_directory_path() / ("kooplab-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

// Runs a shell command, returning its exit status.
inline int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs the config's application with the plugins of its dataset, network,
// observable and estimator sections (those it has) and `seed`; the context
// keeps them, and refers to `config`, which must outlive it.
inline RunContext run_application(const Config& config, std::uint64_t seed) {
  std::map<std::string, std::shared_ptr<Plugin>> built;
  if (config.has("dataset")) built["dataset"] = plugins().create<Dataset>(config.child("dataset"));
  if (config.has("network")) built["network"] = plugins().create<Network>(config.child("network"));
  if (config.has("observable")) built["observable"] = plugins().create<Observable>(config.child("observable"));
  if (config.has("estimator")) built["estimator"] = plugins().create<Estimator>(config.child("estimator"));
  RunContext context(config, seed, plugins(), built, temporary_folder("application"));
  plugins().create<Application>(config.child("application"))->run(context);
  return context;
}

}  // namespace kooplab::testing
