#include "kooplab/run_context.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"

namespace kooplab {

RunContext::RunContext(const Config& config, std::uint64_t seed, const Registry& registry,
                       std::map<std::string, std::shared_ptr<Plugin>> plugins, std::filesystem::path work_dir)
    : config_(config),
      seed_(seed),
      rng_(seed),
      registry_(registry),
      plugins_(std::move(plugins)),
      work_dir_(std::move(work_dir)) {}

void RunContext::missing(const char* kind) const {
  const auto application = plugins_.find("application");
  const std::string who = application == plugins_.end() ? "the application" : application->second->identity();
  throw ConfigError(fmt::format("{}: {} needs a '{}' section", config_.source(), who, kind));
}

void RunContext::metric(const std::string& name, double value) {
  const auto same = std::find_if(metrics_.begin(), metrics_.end(), [&](const auto& m) { return m.first == name; });
  if (same != metrics_.end())
    same->second = value;
  else
    metrics_.emplace_back(name, value);
}

void RunContext::add_array(NamedArray array) {
  if (array.name.empty() || array.name.find_first_of("/\\") != std::string::npos || array.name.front() == '.')
    throw Error(fmt::format("array name '{}' is not a plain file name", array.name));
  const auto same = std::find_if(arrays_.begin(), arrays_.end(), [&](const auto& a) { return a.name == array.name; });
  if (same != arrays_.end())
    *same = std::move(array);
  else
    arrays_.push_back(std::move(array));
}

void RunContext::array(const std::string& name, const arma::mat& values) { add_array({name, values, false}); }
void RunContext::array(const std::string& name, const arma::cx_mat& values) { add_array({name, values, false}); }
void RunContext::array(const std::string& name, const arma::vec& values) { add_array({name, arma::mat(values), true}); }
void RunContext::array(const std::string& name, const arma::cx_vec& values) {
  add_array({name, arma::cx_mat(values), true});
}

}  // namespace kooplab
