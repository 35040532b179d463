#pragma once
// Helpers shared by the test suites.
#include <sys/wait.h>
#include <unistd.h>

#include <armadillo>
#include <complex>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "kooplab/application.hpp"
#include "kooplab/config.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/network.hpp"
#include "kooplab/observable.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/run_context.hpp"
#include "kooplab/trajectories.hpp"

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

// The message of the ConfigError that `action` throws; "" when it throws none.
inline std::string config_error_of(const std::function<void()>& action) { return error_of<ConfigError>(action); }

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

// Writes `bytes` to `file` as they are, replacing what it held; returns the file.
inline std::filesystem::path write(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
  return file;
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

// ---- Systems with known spectra ----

// x' = A x with A = Q · blocks · Q⁻¹ of given eigenvalues: a real one is a 1 × 1
// block, a complex one a + bi (b > 0) the 2 × 2 rotation block of a ± bi. Q is
// random (basis_seed), or the identity for a diagonal system.
struct LinearSystem {
  arma::mat a;
  arma::cx_vec eigenvalues;  // every eigenvalue, conjugates included

  // 0.9 (twice), 0.8 ± 0.3i, 0, 0.5: complex, repeated and zero eigenvalues.
  LinearSystem() : LinearSystem({0.9, 0.9, {0.8, 0.3}, 0.0, 0.5}) {}
  explicit LinearSystem(const std::vector<std::complex<double>>& blocks, bool mixed = true,
                        std::uint64_t basis_seed = 11) {
    arma::uword n = 0;
    for (const auto& lambda : blocks) n += lambda.imag() > 0 ? 2 : 1;
    arma::mat diagonal(n, n, arma::fill::zeros);
    eigenvalues.set_size(n);
    arma::uword k = 0;
    for (const auto& lambda : blocks) {
      diagonal(k, k) = lambda.real();
      eigenvalues(k) = lambda;
      if (lambda.imag() > 0) {
        diagonal(k + 1, k + 1) = lambda.real();
        diagonal(k, k + 1) = -lambda.imag();
        diagonal(k + 1, k) = lambda.imag();
        eigenvalues(++k) = std::conj(lambda);
      }
      ++k;
    }
    if (!mixed) {
      a = diagonal;
      return;
    }
    Rng rng(basis_seed);
    const arma::mat q = rng.normal(n, n);
    a = q * diagonal * arma::inv(q);
  }
  arma::uword dimension() const { return a.n_rows; }
  // x_0, A x_0, ..., A^steps x_0 side by side.
  arma::mat orbit(const arma::vec& x0, arma::uword steps) const {
    arma::mat out(dimension(), steps + 1);
    out.col(0) = x0;
    for (arma::uword k = 0; k < steps; ++k) out.col(k + 1) = a * out.col(k);
    return out;
  }

  // `runs` trajectories of steps + 1 states from standard normal initial states,
  // with white noise of standard deviation `noise` added to every snapshot; dt = 0.5.
  Trajectories data(arma::uword runs, arma::uword steps, double noise = 0.0, std::uint64_t seed = 3) const {
    Rng rng(seed);
    Trajectories out;
    out.dt = 0.5;
    for (arma::uword k = 0; k < runs; ++k) {
      arma::mat run = orbit(rng.normal(dimension(), 1), steps);
      if (noise > 0) run += noise * rng.normal(dimension(), steps + 1);
      out.runs.push_back(std::move(run));
    }
    return out;
  }
};

// x1' = μ x1, x2' = λ x2 + c x1²: span{x1, x2, x1²} is invariant, with
// eigenvalues μ, λ, μ² and eigenfunctions x1, x2 + β x1² (β = c / (λ − μ²)), x1².
struct PolynomialMap {
  double mu = 0.9, lambda = 0.5, c = 0.3;

  double beta() const { return c / (lambda - mu * mu); }
  arma::vec step(const arma::vec& x) const { return {mu * x(0), lambda * x(1) + c * x(0) * x(0)}; }
  // `runs` trajectories of steps + 1 states from uniform initial states in [-1, 1]².
  Trajectories data(arma::uword runs, arma::uword steps, std::uint64_t seed) const {
    Rng rng(seed);
    Trajectories out;
    for (arma::uword k = 0; k < runs; ++k) {
      arma::mat run(2, steps + 1);
      run.col(0) = 2.0 * rng.uniform(2, 1) - 1.0;
      for (arma::uword t = 0; t < steps; ++t) run.col(t + 1) = step(run.col(t));
      out.runs.push_back(std::move(run));
    }
    return out;
  }
};

// The scalar signal Σ_k (1 + k/2) cos(ω_k t + 0.3 + k), t = 0..steps, with white
// noise of standard deviation `noise`: a sum of K sinusoids needs 2K delays.
inline arma::mat sinusoids(const arma::vec& omega, arma::uword steps, double noise, std::uint64_t seed) {
  Rng rng(seed);
  arma::rowvec signal(steps + 1, arma::fill::zeros);
  const arma::rowvec t = arma::regspace<arma::rowvec>(0, double(steps));
  for (arma::uword k = 0; k < omega.n_elem; ++k)
    signal += (1.0 + 0.5 * double(k)) * arma::cos(omega(k) * t + 0.3 + double(k));
  if (noise > 0) signal += noise * rng.normal(1, steps + 1);
  return signal;
}

// The frequencies arg λ > 0 of a set of eigenvalues, sorted.
inline arma::vec positive_frequencies(const arma::cx_vec& eigenvalues) {
  const arma::vec angles = arma::arg(eigenvalues);
  return arma::sort(arma::vec(angles.elem(arma::find(angles > 1e-6))));
}

// Fits the estimator of a YAML section to `data`, with the observable of
// another section when given. The observable must outlive the model (its
// eigenfunctions evaluate it), so the helper keeps every one it makes.
inline KoopmanModel fit(const std::string& estimator, const Trajectories& data, const std::string& observable = "") {
  Rng rng(1);
  const auto fitted = make<Estimator>(estimator);
  if (observable.empty()) return fitted->fit(data, nullptr, rng);
  static std::vector<std::shared_ptr<Observable>> dictionaries;
  dictionaries.push_back(make<Observable>(observable));
  return fitted->fit(data, dictionaries.back().get(), rng);
}

}  // namespace kooplab::testing
