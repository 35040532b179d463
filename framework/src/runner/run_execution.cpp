#include "kooplab/runner/run_execution.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <new>

#include "kooplab/error.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

// Top-level keys the runner itself reads; plugin sections are read by plugins.
void read_runner_keys(const Config& config) {
  for (const char* key : {"seed", "plugin_path", "output", "description"}) config.has(key);
  if (!config.has("application")) config.fail("application", "missing section: every experiment names an application");
}

}  // namespace

BuiltRun build_plugins(const Config& config, const Registry& registry) {
  read_runner_keys(config);
  BuiltRun built;
  for (const auto& kind : plugin_kinds()) {
    if (kind == "application" || !config.has(kind)) continue;
    built.plugins[kind] = registry.create(kind, config.child(kind));
  }
  built.application = registry.create<Application>(config.child("application"));
  built.plugins["application"] = built.application;
  config.check_all_keys_used();
  return built;
}

std::string run_label(const RunSpec& run) {
  std::string label = run.hash.substr(0, 8);
  for (const auto& [key, value] : run.params) label += fmt::format(" {}={}", key, value);
  return label + fmt::format(" seed={}", run.seed);
}

RunRecord execute_run(const RunSpec& run, const Provenance& build, const Registry& registry,
                      const ResultsStore& store) {
  const auto start = std::chrono::steady_clock::now();
  RunRecord record;
  record.hash = run.hash;
  record.index = run.index;
  for (const auto& [key, value] : run.params) record.params.emplace_back(key, valid_utf8(value));
  record.seed = run.seed;
  record.build = build;
  std::vector<NamedArray> arrays;
  std::filesystem::path work_dir;
  const Config config = run.config();
  try {
    work_dir = store.begin_run(run.hash);
    BuiltRun built = build_plugins(config, registry);
    RunContext context(config, run.seed, registry, built.plugins, work_dir);
    built.application->run(context);
    record.metrics = context.metrics();
    arrays = context.arrays();
    for (const auto& [name, value] : record.metrics)
      if (!std::isfinite(value)) throw NumericalError(fmt::format("metric '{}' is {}", name, value));
    record.status = "ok";
  } catch (const std::bad_alloc&) {
    record.status = "failed";
    record.error =
        "out of memory (std::bad_alloc): the run needs more memory than it may use; a dataset file larger than "
        "memory can be read in blocks (application spectrum, in_memory: false)";
  } catch (const std::exception& e) {
    record.status = "failed";
    record.error = valid_utf8(e.what());
  }
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // A run whose folder cannot be written fails alone; the sweep goes on.
  if (work_dir.empty()) return record;
  try {
    store.commit_run(work_dir, config.dump(), record, arrays);
  } catch (const std::exception& e) {
    record.status = "failed";
    record.error = valid_utf8(fmt::format("cannot store the run: {}", e.what()));
  }
  return record;
}

}  // namespace kooplab
