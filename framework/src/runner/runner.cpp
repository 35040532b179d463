#include "kooplab/runner/runner.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <optional>
#include <ostream>
#include <set>

#include "kooplab/application.hpp"
#include "kooplab/error.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/runner/progress.hpp"
#include "kooplab/runner/provenance.hpp"
#include "kooplab/runner/results_store.hpp"
#include "kooplab/runner/sweep.hpp"
#include "kooplab/util/blas.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

// Top-level keys the runner itself reads; plugin sections are read by plugins.
void read_runner_keys(const Config& config) {
  for (const char* key : {"seed", "plugin_path", "output", "description"}) config.has(key);
  if (!config.has("application")) config.fail("application", "missing section: every experiment names an application");
}

struct BuiltRun {
  std::map<std::string, std::shared_ptr<Plugin>> plugins;
  std::shared_ptr<Application> application;
};

// Builds every plugin the run's config names; this also validates all keys.
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

RunRecord execute(const RunSpec& run, const Provenance& build, const Registry& registry, const ResultsStore& store) {
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

std::filesystem::path output_folder(const RunnerOptions& options, const Config& config) {
  if (options.out) return *options.out;
  if (config.has("output")) return config.get<std::string>("output");
  return std::filesystem::path("results") / options.config_file.stem();
}

}  // namespace

RunOutcome run_experiment(const RunnerOptions& options, std::ostream& log) {
  if (options.jobs && (*options.jobs == 0 || *options.jobs > max_jobs))
    throw ConfigError(fmt::format("--jobs {}: expected 1 to {}", *options.jobs, max_jobs));
  if (!std::filesystem::is_regular_file(options.config_file))
    throw ConfigError(fmt::format("{}: config file not found", options.config_file.string()));
  const std::string text = read_file(options.config_file);
  const std::vector<RunSpec> runs = expand_sweep(text, options.config_file.string(), options.overrides);

  std::vector<std::filesystem::path> extra;
  const Config first = runs.front().config();
  if (first.has("plugin_path"))
    for (const auto& folder : first.get<std::vector<std::string>>("plugin_path")) {
      const std::filesystem::path path(folder);
      extra.push_back(path.is_absolute() ? path : first.base_dir() / path);
    }
  const Registry registry(Registry::default_folders(extra));
  for (const auto& problem : registry.problems())
    log << fmt::format("warning: plugin {}: {}\n", problem.file.string(), problem.reason);

  // Every point's config is checked before any run starts, so a typo in the
  // last point of a sweep cannot waste the first ones. The seeds of a point
  // (consecutive runs) differ in the runner's own key only: one of them is checked.
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (i == 0 || runs[i].params != runs[i - 1].params) build_plugins(runs[i].config(), registry);

  if (options.dry_run) {
    log << fmt::format("{} run(s):\n", runs.size());
    for (const auto& run : runs) log << "  " << run_label(run) << "\n";
    return {};
  }

  const std::filesystem::path out = output_folder(options, first);
  const ResultsStore store(out);
  store.remove_partial_runs();
  write_file_atomic(out / "config.yaml", text);

  // Every run holds BLAS at one thread, alone or in a sweep, so its numbers
  // depend only on its resolved config and seed, never on --jobs.
  set_blas_threads(1);
  const Provenance process = process_provenance();
  const PluginBuildIds plugin_builds = plugin_build_ids(registry);
  std::vector<Provenance> builds;
  for (const auto& run : runs) builds.push_back(run_provenance(process, run.config(), plugin_builds));

  std::vector<RunRecord> records(runs.size());
  std::vector<std::size_t> pending;
  // Identical runs (a grid listing a value twice) share a hash and a run folder:
  // the first of them runs, the others copy its record.
  std::map<std::string, std::size_t> runner_of;
  std::size_t identical = 0, stale = 0;
  std::set<std::string> stale_parts;
  for (const auto& run : runs) {
    std::optional<RunRecord> done = store.completed(run.hash);
    if (done) {
      // A completed run made by another build is stale: redone unless asked to keep it.
      if (const std::string difference = builds[run.index].build_difference(done->build); !difference.empty()) {
        ++stale;
        stale_parts.insert(difference);
        if (!options.reuse_stale) done.reset();
      }
    }
    if (done) {
      done->index = run.index;
      records[run.index] = std::move(*done);
    } else if (runner_of.emplace(run.hash, run.index).second) {
      pending.push_back(run.index);
    } else {
      ++identical;
    }
  }
  const std::size_t jobs =
      options.jobs.value_or(std::min(max_jobs, std::size_t(oneapi::tbb::info::default_concurrency())));
  if (stale)
    log << fmt::format("kooplab: {} completed run(s) were made by another build (differs: {}); {}\n", stale,
                       join_words({stale_parts.begin(), stale_parts.end()}, "; "),
                       options.reuse_stale ? "kept (--reuse-stale)" : "redoing them (--reuse-stale keeps them)");
  log << fmt::format("kooplab: {} run(s), {} already completed, {} to do{}, {} job(s); results in {}\n", runs.size(),
                     runs.size() - pending.size() - identical, pending.size(),
                     identical ? fmt::format(" ({} more identical to one of them)", identical) : "", jobs,
                     out.string());
  log.flush();

  Progress progress(log, pending.size(), ::isatty(STDERR_FILENO) && &log == &std::cerr);
  oneapi::tbb::task_arena arena{static_cast<int>(jobs)};
  arena.execute([&] {
    oneapi::tbb::parallel_for(
        oneapi::tbb::blocked_range<std::size_t>(0, pending.size(), 1),
        [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
          for (std::size_t i = range.begin(); i != range.end(); ++i) {
            const RunSpec& run = runs[pending[i]];
            records[run.index] = execute(run, builds[run.index], registry, store);
            const RunRecord& record = records[run.index];
            progress.finished(run_label(run), record.ok(), record.seconds, record.error);
          }
        },
        oneapi::tbb::simple_partitioner());
  });
  progress.close();
  for (const auto& run : runs)
    if (records[run.index].hash.empty()) {
      records[run.index] = records[runner_of.at(run.hash)];
      records[run.index].index = run.index;
    }

  store.write_tables(records);
  std::size_t failed = 0;
  for (const auto& record : records) failed += record.ok() ? 0 : 1;
  log << fmt::format("kooplab: {} ok, {} failed; summary in {}\n", records.size() - failed, failed,
                     (out / "summary.md").string());
  return {failed ? exit_runs_failed : exit_ok, out};
}

}  // namespace kooplab
