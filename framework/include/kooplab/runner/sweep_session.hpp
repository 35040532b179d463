#pragma once
// One `kooplab run` of an experiment, whatever executes its runs (threads of
// this process, or MPI ranks): the sweep expanded and its plugins loaded; then
// either the output folder opened (locked, completed runs taken from it, the
// rest listed as pending) and, once every pending run has a record, the
// result tables written; or, on an MPI worker rank, the folder joined to
// write run folders into while rank 0 holds it.
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kooplab/registry.hpp"
#include "kooplab/runner/provenance.hpp"
#include "kooplab/runner/results_store.hpp"
#include "kooplab/runner/run_record.hpp"
#include "kooplab/runner/runner.hpp"
#include "kooplab/runner/sweep.hpp"

namespace kooplab {

class SweepSession {
 public:
  // Expands `config_text` (the text of options.config_file) and loads the
  // plugins, with their load problems as warnings on `log`.
  SweepSession(const RunnerOptions& options, std::string config_text, std::ostream& log);

  const std::string& config_text() const { return config_text_; }
  const std::vector<RunSpec>& runs() const { return runs_; }
  // The output folder: --out, else the config's `output`, else results/<config name>.
  const std::filesystem::path& out() const { return out_; }
  // Builds every run's plugins, so a typo in the last point of a sweep stops
  // it before the first run; throws the first problem found.
  void check_all_runs() const;
  // The dry run's listing.
  void list_runs(std::ostream& log) const;

  // Locks the output folder, removes runs left partial by a killed
  // invocation, takes every completed run of this build and logs what is
  // left to do by `executors` ("2 job(s)").
  void open(std::ostream& log, const std::string& executors);
  // For a process writing run folders into the folder another process of the
  // same job has opened (and locked).
  void join();
  // Runs to execute, in index order; identical runs are executed once.
  const std::vector<std::size_t>& pending() const { return pending_; }
  // How long a pending run took when this folder last ran it (a stale or
  // failed record), if it did.
  std::optional<double> previous_seconds(std::size_t index) const;

  // Executes runs()[index] (on any thread) and commits its run folder.
  RunRecord execute(std::size_t index) const;
  // Takes the record of a pending run, from this process or another.
  void record(RunRecord record);
  // Writes the result tables once every pending run has its record.
  RunOutcome finish(std::ostream& log);

 private:
  void set_up_execution();

  const RunnerOptions options_;
  const std::string config_text_;
  const std::vector<RunSpec> runs_;
  const Registry registry_;
  std::filesystem::path out_;
  std::optional<ResultsStore> store_;
  std::vector<Provenance> builds_;
  std::vector<RunRecord> records_;
  std::vector<std::size_t> pending_;
  std::map<std::size_t, double> previous_seconds_;
  // Identical runs (a grid listing a value twice) share a hash and a run
  // folder: the first of them runs, the others copy its record.
  std::map<std::string, std::size_t> runner_of_;
};

// The text of the config file, or a ConfigError when it is missing.
std::string read_config_file(const std::filesystem::path& file);

}  // namespace kooplab
