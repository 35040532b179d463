#include "kooplab/runner/provenance.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <set>

#include "kooplab/runner/build_id.hpp"
#include "kooplab/runner/version.hpp"
#include "kooplab/util/blas.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

std::string host_name() {
  char name[256] = {};
  return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : "unknown";
}

void collect_names(const YAML::Node& node, std::set<std::string>& names) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      if (entry.first.Scalar() == "name" && entry.second.IsScalar()) names.insert(entry.second.Scalar());
      collect_names(entry.second, names);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) collect_names(item, names);
  }
}

std::string plugin_label(const PluginBuild& plugin) { return fmt::format("{} '{}'", plugin.kind, plugin.name); }

}  // namespace

nlohmann::ordered_json Provenance::to_json() const {
  nlohmann::ordered_json json;
  json["kooplab"] = kooplab_version;
  json["framework_build"] = framework_build;
  json["plugins"] = nlohmann::ordered_json::array();
  for (const auto& plugin : plugins)
    json["plugins"].push_back({{"kind", plugin.kind}, {"name", plugin.name}, {"build", plugin.build_id}});
  json["blas"] = {{"library", blas_library}, {"threads", blas_threads}};
  json["host"] = host;
  return json;
}

Provenance Provenance::from_json(const nlohmann::ordered_json& json) {
  Provenance provenance;
  if (!json.is_object()) return provenance;
  provenance.kooplab_version = json.value("kooplab", "");
  provenance.framework_build = json.value("framework_build", "");
  if (json.contains("plugins"))
    for (const auto& plugin : json.at("plugins"))
      provenance.plugins.push_back({plugin.value("kind", ""), plugin.value("name", ""), plugin.value("build", "")});
  if (json.contains("blas")) {
    provenance.blas_library = json.at("blas").value("library", "");
    provenance.blas_threads = json.at("blas").value("threads", 0);
  }
  provenance.host = json.value("host", "");
  return provenance;
}

std::string Provenance::build_difference(const Provenance& other) const {
  if (framework_build.empty() || other.framework_build.empty()) return "no build recorded";
  std::vector<std::string> differences;
  if (framework_build != other.framework_build) differences.push_back("libkooplab");
  if (plugins != other.plugins) {
    for (const auto& plugin : plugins)
      if (std::find(other.plugins.begin(), other.plugins.end(), plugin) == other.plugins.end())
        differences.push_back(plugin_label(plugin));
    for (const auto& plugin : other.plugins)
      if (std::none_of(plugins.begin(), plugins.end(),
                       [&](const PluginBuild& p) { return p.kind == plugin.kind && p.name == plugin.name; }))
        differences.push_back(plugin_label(plugin));
  }
  if (blas_library != other.blas_library) differences.push_back("BLAS library");
  if (blas_threads != other.blas_threads) differences.push_back("BLAS threads");
  return join_words(differences);
}

PluginBuildIds plugin_build_ids(const Registry& registry) {
  PluginBuildIds ids;
  for (const auto& plugin : registry.plugins()) ids[{plugin.kind, plugin.name}] = build_id_of(plugin.file);
  return ids;
}

Provenance process_provenance() {
  Provenance provenance;
  provenance.kooplab_version = kooplab_version();
  provenance.framework_build = build_id_at(reinterpret_cast<const void*>(&plugin_kinds));
  provenance.blas_library = blas_library();
  provenance.blas_threads = blas_threads();
  provenance.host = host_name();
  return provenance;
}

Provenance run_provenance(const Provenance& process, const Config& config, const PluginBuildIds& builds) {
  std::set<std::string> names;
  collect_names(config.node(), names);
  Provenance provenance = process;
  for (const auto& [key, id] : builds)
    if (names.contains(key.second)) provenance.plugins.push_back({key.first, key.second, id});
  return provenance;
}

}  // namespace kooplab
