#include "kooplab/runner/runner.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <ostream>

#include "kooplab/error.hpp"
#include "kooplab/runner/mpi_launcher.hpp"
#include "kooplab/runner/progress.hpp"
#include "kooplab/runner/run_execution.hpp"
#include "kooplab/runner/sweep_session.hpp"

namespace kooplab {
namespace {

RunOutcome run_on_threads(const RunnerOptions& options, std::ostream& log) {
  SweepSession session(options, read_config_file(options.config_file), log);
  session.check_all_runs();
  if (options.dry_run) {
    session.list_runs(log);
    return {};
  }
  const std::size_t jobs =
      options.jobs.value_or(std::min(max_jobs, std::size_t(oneapi::tbb::info::default_concurrency())));
  session.open(log, fmt::format("{} job(s)", jobs));

  const std::vector<std::size_t>& pending = session.pending();
  Progress progress(log, pending.size(), ::isatty(STDERR_FILENO) && &log == &std::cerr);
  oneapi::tbb::task_arena arena{static_cast<int>(jobs)};
  std::vector<RunRecord> records(pending.size());
  arena.execute([&] {
    oneapi::tbb::parallel_for(
        oneapi::tbb::blocked_range<std::size_t>(0, pending.size(), 1),
        [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
          for (std::size_t i = range.begin(); i != range.end(); ++i) {
            records[i] = session.execute(pending[i]);
            progress.finished(run_label(session.runs()[pending[i]]), records[i].ok(), records[i].seconds,
                              records[i].error);
          }
        },
        oneapi::tbb::simple_partitioner());
  });
  progress.close();
  for (auto& record : records) session.record(std::move(record));
  return session.finish(log);
}

}  // namespace

RunOutcome run_experiment(const RunnerOptions& options, std::ostream& log) {
  if (options.jobs && (*options.jobs == 0 || *options.jobs > max_jobs))
    throw ConfigError(fmt::format("--jobs {}: expected 1 to {}", *options.jobs, max_jobs));
  if (options.launcher == Launcher::mpi) return run_on_mpi_ranks(options, log);
  return run_on_threads(options, log);
}

}  // namespace kooplab
