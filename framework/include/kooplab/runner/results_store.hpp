#pragma once
// The experiment's output folder:
//   <out>/config.yaml              the config as given
//   <out>/runs/<hash>/config.yaml  the resolved config of each run
//   <out>/runs/<hash>/record.json  its record; <name>.npy its arrays
//   <out>/runs/<hash>/checksums    digests of those files (run_checksums.hpp)
//   <out>/results.jsonl, results.csv   one record per run
//   <out>/summary.md, summary.csv      metrics as mean ± std over seeds
// A run folder is filled under a temporary name and renamed into place, so it
// either exists whole or not at all; every file is written through a
// temporary file and a rename. The store holds <out>/.lock while it exists, so a
// second kooplab process on the same folder stops with an error instead of
// removing the first one's runs in progress. The other processes of an MPI
// job join the folder rank 0 holds: they only add run folders.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kooplab/run_context.hpp"
#include "kooplab/runner/folder_lock.hpp"
#include "kooplab/runner/run_record.hpp"
#include "kooplab/util/files.hpp"

namespace kooplab {

// What the folder of a run holds: its record when the folder is whole, or why
// a folder that is there cannot be reused; neither when the run never finished.
struct StoredRun {
  std::optional<RunRecord> record;
  std::string problem;
};

class ResultsStore {
 public:
  explicit ResultsStore(std::filesystem::path root);
  struct Joined {};
  // For a process of the job that holds `root` (MPI rank 0 does): no lock of its own.
  ResultsStore(std::filesystem::path root, Joined);

  const std::filesystem::path& root() const { return root_; }
  // Removes folders left by runs that were killed before they finished, and
  // temporary files of the folder's own tables a killed process left.
  void remove_partial_runs() const;
  // A fresh, empty folder for a run in progress.
  std::filesystem::path begin_run(const std::string& hash) const;
  // Writes config, arrays and record into `work_dir` and moves it into place.
  void commit_run(const std::filesystem::path& work_dir, const std::string& resolved_config, RunRecord& record,
                  const std::vector<NamedArray>& arrays) const;
  // The stored record of a run, completed or failed, if any: its own hash and
  // that of the config stored beside it must be the run's, and every file must
  // match its checksum, else the run is redone.
  StoredRun stored(const std::string& hash) const;

  // results.jsonl, results.csv, summary.md, summary.csv from `records` (in order).
  void write_tables(const std::vector<RunRecord>& records) const;

 private:
  std::filesystem::path run_dir(const std::string& hash) const { return root_ / "runs" / hash; }
  std::filesystem::path root_;
  std::optional<FolderLock> lock_;
};

}  // namespace kooplab
