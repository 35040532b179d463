#pragma once
// What an application sees of its run: the resolved config, its seed and
// random stream, the plugins built from the config's sections, and the sinks
// for metrics and arrays.
#include <armadillo>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "kooplab/config.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

struct NamedArray {
  std::string name;
  std::variant<arma::mat, arma::cx_mat> values;
  bool is_vector = false;  // saved 1-D
};

class RunContext {
 public:
  RunContext(const Config& config, std::uint64_t seed, const Registry& registry,
             std::map<std::string, std::shared_ptr<Plugin>> plugins, std::filesystem::path work_dir);

  const Config& config() const { return config_; }
  std::uint64_t seed() const { return seed_; }
  Rng& rng() { return rng_; }
  const Registry& registry() const { return registry_; }
  // A folder of the run's own for files beyond metrics and arrays.
  const std::filesystem::path& work_dir() const { return work_dir_; }

  // The plugin built from the config section of T's kind; throws a
  // ConfigError naming the missing section when there is none.
  template <class T>
  T& require() const {
    if (T* found = find<T>()) return *found;
    missing(T::kind);
  }
  template <class T>
  T* find() const {
    const auto it = plugins_.find(T::kind);
    return it == plugins_.end() ? nullptr : dynamic_cast<T*>(it->second.get());
  }

  void metric(const std::string& name, double value);
  void array(const std::string& name, const arma::mat& values);
  void array(const std::string& name, const arma::cx_mat& values);
  void array(const std::string& name, const arma::vec& values);
  void array(const std::string& name, const arma::cx_vec& values);

  const std::vector<std::pair<std::string, double>>& metrics() const { return metrics_; }
  const std::vector<NamedArray>& arrays() const { return arrays_; }

 private:
  [[noreturn]] void missing(const char* kind) const;
  void add_array(NamedArray array);

  const Config& config_;
  std::uint64_t seed_;
  Rng rng_;
  const Registry& registry_;
  std::map<std::string, std::shared_ptr<Plugin>> plugins_;
  std::filesystem::path work_dir_;
  std::vector<std::pair<std::string, double>> metrics_;
  std::vector<NamedArray> arrays_;
};

}  // namespace kooplab
