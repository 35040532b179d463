#pragma once
// A results folder written by `kooplab run`, read back for a report: the
// config as given, every run's record and, on demand, its arrays.
#include <armadillo>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kooplab/runner/run_record.hpp"

namespace kooplab {

struct ResultsFolder {
  std::filesystem::path root;
  std::string config_text;         // config.yaml
  std::vector<RunRecord> records;  // results.jsonl, in run order

  // The run's array `name` (<root>/runs/<hash>/<name>.npy) as complex numbers;
  // none when the run did not write it.
  std::optional<arma::cx_mat> array(const RunRecord& record, const std::string& name) const;
  // A file of the run's folder, e.g. the report.md an application wrote.
  std::filesystem::path run_file(const RunRecord& record, const std::string& name) const;
};

// Throws DataError naming the folder when it holds no finished sweep.
ResultsFolder read_results_folder(const std::filesystem::path& root);

}  // namespace kooplab
