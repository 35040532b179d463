#pragma once
// What made a run's numbers beyond its resolved config and seed: the builds of
// the numerical code (libkooplab and the plugins the run named) and the BLAS
// library with its thread count; plus, for the reader, the kooplab version
// and the host. Stored in every record: a completed run whose numerical code
// or BLAS differs from this build's is stale (the runner redoes it). The
// version alone does not make a run stale, so a commit that changes no code
// keeps the results.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "kooplab/config.hpp"
#include "kooplab/registry.hpp"

namespace kooplab {

struct PluginBuild {
  std::string kind, name, build_id;
  bool operator==(const PluginBuild&) const = default;
};

struct Provenance {
  std::string kooplab_version;  // project version and git describe at build time
  std::string framework_build;  // build id of libkooplab
  std::vector<PluginBuild> plugins;
  std::string blas_library;
  int blas_threads = 0;
  std::string host;

  nlohmann::ordered_json to_json() const;
  // A record written before provenance was stored gives an empty one.
  static Provenance from_json(const nlohmann::ordered_json& json);
  // What differs in code or BLAS between the builds that made this and
  // `other` ("" when nothing does: both give the same numbers).
  std::string build_difference(const Provenance& other) const;
};

// Build ids of every plugin a registry found, by (kind, name).
using PluginBuildIds = std::map<std::pair<std::string, std::string>, std::string>;
PluginBuildIds plugin_build_ids(const Registry& registry);

// The provenance of this process (everything but the plugins).
Provenance process_provenance();
// `process` with the plugins `config` names: every map with a `name` key that
// names a plugin, nested sections (concat's parts) included.
Provenance run_provenance(const Provenance& process, const Config& config, const PluginBuildIds& builds);

}  // namespace kooplab
