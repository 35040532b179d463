#include "kooplab/runner/sweep_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <set>

#include "kooplab/error.hpp"
#include "kooplab/runner/run_execution.hpp"
#include "kooplab/util/blas.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

// The registry's folders: the default ones and the config's `plugin_path`.
std::vector<std::filesystem::path> plugin_folders(const Config& config) {
  std::vector<std::filesystem::path> extra;
  if (config.has("plugin_path"))
    for (const auto& folder : config.get<std::vector<std::string>>("plugin_path")) {
      const std::filesystem::path path(folder);
      extra.push_back(path.is_absolute() ? path : config.base_dir() / path);
    }
  return Registry::default_folders(extra);
}

std::filesystem::path output_folder(const RunnerOptions& options, const Config& config) {
  if (options.out) return *options.out;
  if (config.has("output")) return config.get<std::string>("output");
  return std::filesystem::path("results") / options.config_file.stem();
}

}  // namespace

std::string read_config_file(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file))
    throw ConfigError(fmt::format("{}: config file not found", file.string()));
  return read_file(file);
}

SweepSession::SweepSession(const RunnerOptions& options, std::string config_text, std::ostream& log)
    : options_(options),
      config_text_(std::move(config_text)),
      runs_(expand_sweep(config_text_, options.config_file.string(), options.overrides)),
      registry_(plugin_folders(runs_.front().config())),
      out_(output_folder(options, runs_.front().config())) {
  for (const auto& problem : registry_.problems())
    log << fmt::format("warning: plugin {}: {}\n", problem.file.string(), problem.reason);
}

void SweepSession::check_all_runs() const {
  // The seeds of a point (consecutive runs) differ in the runner's own key only: one of them is checked.
  for (std::size_t i = 0; i < runs_.size(); ++i)
    if (i == 0 || runs_[i].params != runs_[i - 1].params) build_plugins(runs_[i].config(), registry_);
}

void SweepSession::list_runs(std::ostream& log) const {
  log << fmt::format("{} run(s):\n", runs_.size());
  for (const auto& run : runs_) log << "  " << run_label(run) << "\n";
}

void SweepSession::set_up_execution() {
  // Every run holds BLAS at one thread, alone or in a sweep, so its numbers
  // depend only on its resolved config and seed, never on --jobs.
  set_blas_threads(1);
  const Provenance process = process_provenance();
  const PluginBuildIds plugin_builds = plugin_build_ids(registry_);
  for (const auto& run : runs_) builds_.push_back(run_provenance(process, run.config(), plugin_builds));
}

void SweepSession::open(std::ostream& log, const std::string& executors) {
  store_.emplace(out_);
  store_->remove_partial_runs();
  write_file_atomic(out_ / "config.yaml", config_text_);
  set_up_execution();

  records_.resize(runs_.size());
  std::size_t identical = 0, stale = 0;
  std::set<std::string> stale_parts;
  std::vector<std::string> damaged;
  for (const auto& run : runs_) {
    StoredRun stored = store_->stored(run.hash);
    if (!stored.problem.empty()) damaged.push_back(fmt::format("runs/{}: {}", run.hash, stored.problem));
    std::optional<RunRecord>& done = stored.record;
    if (done && !done->ok()) {
      previous_seconds_[run.index] = done->seconds;
      done.reset();
    }
    if (done) {
      // A completed run made by another build is stale: redone unless asked to keep it.
      if (const std::string difference = builds_[run.index].build_difference(done->build); !difference.empty()) {
        ++stale;
        stale_parts.insert(difference);
        previous_seconds_[run.index] = done->seconds;
        if (!options_.reuse_stale) done.reset();
      }
    }
    if (done) {
      // The same resolved config, perhaps swept differently when it ran (a
      // single override then, a grid point now): this sweep's point names it.
      done->index = run.index;
      done->params = run.params;
      records_[run.index] = std::move(*done);
    } else if (runner_of_.emplace(run.hash, run.index).second) {
      pending_.push_back(run.index);
    } else {
      ++identical;
    }
  }
  if (!damaged.empty()) {
    constexpr std::size_t shown = 8;
    log << fmt::format("kooplab: {} stored run(s) cannot be reused and are redone: {}{}\n", damaged.size(),
                       join_words({damaged.begin(), damaged.begin() + std::min(shown, damaged.size())}, "; "),
                       damaged.size() > shown ? "; ..." : "");
  }
  if (stale)
    log << fmt::format("kooplab: {} completed run(s) were made by another build (differs: {}); {}\n", stale,
                       join_words({stale_parts.begin(), stale_parts.end()}, "; "),
                       options_.reuse_stale ? "kept (--reuse-stale)" : "redoing them (--reuse-stale keeps them)");
  log << fmt::format("kooplab: {} run(s), {} already completed, {} to do{}, {}; results in {}\n", runs_.size(),
                     runs_.size() - pending_.size() - identical, pending_.size(),
                     identical ? fmt::format(" ({} more identical to one of them)", identical) : "", executors,
                     out_.string());
  log.flush();
}

void SweepSession::join() {
  store_.emplace(out_, ResultsStore::Joined{});
  set_up_execution();
}

std::optional<double> SweepSession::previous_seconds(std::size_t index) const {
  const auto found = previous_seconds_.find(index);
  if (found == previous_seconds_.end()) return std::nullopt;
  return found->second;
}

RunRecord SweepSession::execute(std::size_t index) const {
  return execute_run(runs_.at(index), builds_.at(index), registry_, *store_);
}

void SweepSession::record(RunRecord record) {
  const std::size_t index = record.index;
  records_.at(index) = std::move(record);
}

RunOutcome SweepSession::finish(std::ostream& log) {
  for (const auto& run : runs_)
    if (records_[run.index].hash.empty()) {
      records_[run.index] = records_[runner_of_.at(run.hash)];
      records_[run.index].index = run.index;
    }
  store_->write_tables(records_);
  std::size_t failed = 0;
  for (const auto& record : records_) failed += record.ok() ? 0 : 1;
  log << fmt::format("kooplab: {} ok, {} failed; summary in {}\n", records_.size() - failed, failed,
                     (out_ / "summary.md").string());
  return {failed ? exit_runs_failed : exit_ok, out_};
}

}  // namespace kooplab
