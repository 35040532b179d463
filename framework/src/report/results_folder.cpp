#include "kooplab/report/results_folder.hpp"

#include <fmt/format.h>

#include <fstream>

#include "kooplab/error.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/npy.hpp"

namespace kooplab {

std::optional<arma::cx_mat> ResultsFolder::array(const RunRecord& record, const std::string& name) const {
  const std::string file = name + ".npy";
  if (std::find(record.arrays.begin(), record.arrays.end(), file) == record.arrays.end()) return std::nullopt;
  const std::filesystem::path path = run_file(record, file);
  return read_npy_complex(read_file(path), path.string());
}

std::filesystem::path ResultsFolder::run_file(const RunRecord& record, const std::string& name) const {
  return root / "runs" / record.hash / name;
}

ResultsFolder read_results_folder(const std::filesystem::path& root) {
  const std::filesystem::path results = root / "results.jsonl";
  if (!std::filesystem::is_regular_file(results) || !std::filesystem::is_regular_file(root / "config.yaml"))
    throw DataError(
        fmt::format("{}: not a finished kooplab results folder (no results.jsonl or config.yaml); "
                    "`kooplab run CONFIG --out {}` makes one",
                    root.string(), root.string()));
  ResultsFolder folder{root, read_file(root / "config.yaml"), {}};
  std::ifstream in(results);
  std::size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty()) continue;
    try {
      folder.records.push_back(RunRecord::from_json(nlohmann::ordered_json::parse(line)));
    } catch (const std::exception& e) {
      throw DataError(fmt::format("{}:{}: not a run record: {}", results.string(), line_number, e.what()));
    }
  }
  return folder;
}

}  // namespace kooplab
