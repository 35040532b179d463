#pragma once
// Runs an experiment: expands the sweep, checks every run's config, executes
// the runs in parallel (oneTBB threads, or the ranks of an MPI job) and writes
// the results folder.
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace kooplab {

// Who executes the runs: the --jobs threads of this process, or every rank of
// the MPI job this process belongs to (mpirun, srun), --jobs threads each.
enum class Launcher { local, mpi };

// --jobs: 1 to max_jobs runs at once (each run holds a thread and its memory;
// oneTBB caps an arena's threads far below what an unsigned count can say).
inline constexpr std::size_t max_jobs = 1024;

struct RunnerOptions {
  std::filesystem::path config_file;
  std::vector<std::string> overrides;        // key.path=value, key.path=a,b,c
  std::optional<std::size_t> jobs;           // 1..max_jobs; default: all cores (local), 1 per rank (mpi)
  std::optional<std::filesystem::path> out;  // default: config's `output`, else results/<config name>
  bool dry_run = false;
  // Keep completed runs made by another build instead of redoing them.
  bool reuse_stale = false;
  Launcher launcher = Launcher::local;
};

// Exit codes of `kooplab run`.
inline constexpr int exit_ok = 0;
inline constexpr int exit_runs_failed = 1;
inline constexpr int exit_bad_input = 2;
// `--check`: a paper value outside its tolerance that the reference does not list as a known gap.
inline constexpr int exit_check_failed = 3;

struct RunOutcome {
  int exit_code = exit_ok;                      // exit_ok, or exit_runs_failed when any run failed
  std::optional<std::filesystem::path> folder;  // the results folder (none for a dry run or an MPI worker rank)
};

// Throws kooplab::Error (ConfigError, PluginError, ...) for problems found
// before any run starts.
RunOutcome run_experiment(const RunnerOptions& options, std::ostream& log);

}  // namespace kooplab
