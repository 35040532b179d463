#pragma once
// One run of a sweep on this process: its plugins built from its resolved
// config, its application run, its folder committed to the results store.
// Every launcher (threads of one process, MPI ranks) executes runs this way.
#include <map>
#include <memory>
#include <string>

#include "kooplab/application.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/runner/provenance.hpp"
#include "kooplab/runner/results_store.hpp"
#include "kooplab/runner/run_record.hpp"
#include "kooplab/runner/sweep.hpp"

namespace kooplab {

struct BuiltRun {
  std::map<std::string, std::shared_ptr<Plugin>> plugins;
  std::shared_ptr<Application> application;
};

// Builds every plugin the run's config names; this also validates all keys.
BuiltRun build_plugins(const Config& config, const Registry& registry);

// "1a2b3c4d estimator.rank=4 seed=2": how logs name a run.
std::string run_label(const RunSpec& run);

// Runs `run` and commits its folder; a run that throws, reports a non-finite
// metric or cannot be stored gives a failed record, never an exception.
RunRecord execute_run(const RunSpec& run, const Provenance& build, const Registry& registry, const ResultsStore& store);

}  // namespace kooplab
