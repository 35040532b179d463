#include "kooplab/runner/results_store.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "kooplab/error.hpp"
#include "kooplab/runner/run_checksums.hpp"
#include "kooplab/runner/summary.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/npy.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

std::filesystem::path with_runs_folder(std::filesystem::path root) {
  std::filesystem::create_directories(root / "runs");
  return root;
}

std::string number(double value) { return std::isfinite(value) ? fmt::format("{:.17g}", value) : "nan"; }

template <class Pairs>
std::string value_of(const Pairs& pairs, const std::string& key) {
  for (const auto& [k, v] : pairs)
    if (k == key) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>)
        return number(v);
      else
        return v;
    }
  return "";
}

StoredRun unusable(std::string problem) { return {std::nullopt, std::move(problem)}; }

// Every file an application or the store wrote into a run's folder (a saved
// model's files too), by its path inside the folder, in a stable order.
std::vector<std::string> files_in(const std::filesystem::path& folder) {
  std::vector<std::string> files;
  for (const auto& item : std::filesystem::recursive_directory_iterator(folder))
    if (item.is_regular_file()) files.push_back(std::filesystem::relative(item.path(), folder).generic_string());
  std::ranges::sort(files);
  return files;
}

// The files a completed run folder must hold and its checksums must cover.
std::vector<std::string> files_of(const RunRecord& record) {
  std::vector<std::string> files{"config.yaml", "record.json"};
  files.insert(files.end(), record.arrays.begin(), record.arrays.end());
  return files;
}

}  // namespace

ResultsStore::ResultsStore(std::filesystem::path root) : root_(with_runs_folder(std::move(root))) {
  lock_.emplace(root_);
}

ResultsStore::ResultsStore(std::filesystem::path root, Joined) : root_(with_runs_folder(std::move(root))) {}

void ResultsStore::remove_partial_runs() const {
  for (const auto& item : std::filesystem::directory_iterator(root_ / "runs"))
    if (item.path().filename().string().starts_with(".partial-")) std::filesystem::remove_all(item.path());
  // write_file_atomic's temporary names: .<file>.tmp-<pid>.
  for (const auto& item : std::filesystem::directory_iterator(root_)) {
    const std::string name = item.path().filename().string();
    if (item.is_regular_file() && name.starts_with(".") && name.find(".tmp-") != std::string::npos)
      std::filesystem::remove(item.path());
  }
}

std::filesystem::path ResultsStore::begin_run(const std::string& hash) const {
  const std::filesystem::path work = root_ / "runs" / fmt::format(".partial-{}-{}", hash, ::getpid());
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  return work;
}

void ResultsStore::commit_run(const std::filesystem::path& work_dir, const std::string& resolved_config,
                              RunRecord& record, const std::vector<NamedArray>& arrays) const {
  write_file_atomic(work_dir / "config.yaml", resolved_config);
  record.arrays.clear();
  for (const auto& array : arrays) {
    const std::string file = array.name + ".npy";
    std::visit([&](const auto& values) { write_file_atomic(work_dir / file, npy_bytes(values, array.is_vector)); },
               array.values);
    record.arrays.push_back(file);
  }
  write_file_atomic(work_dir / "record.json", record.dump(2) + "\n");
  write_run_checksums(work_dir, files_in(work_dir));
  const std::filesystem::path target = run_dir(record.hash);
  std::filesystem::remove_all(target);  // an earlier failed attempt
  std::filesystem::rename(work_dir, target);
}

StoredRun ResultsStore::stored(const std::string& hash) const {
  const std::filesystem::path folder = run_dir(hash);
  if (!std::filesystem::exists(folder / "record.json")) return {};
  try {
    const std::string config = read_file(folder / "config.yaml");
    if (hex_digest(stable_hash(config)) != hash) return unusable("config.yaml belongs to another run");
    RunRecord record = RunRecord::from_json(nlohmann::ordered_json::parse(read_file(folder / "record.json")));
    if (record.hash != hash) return unusable("record.json belongs to another run");
    if (std::string problem = run_checksum_problem(folder, files_of(record)); !problem.empty())
      return unusable(std::move(problem));
    return {std::move(record), {}};
  } catch (const std::exception& error) {
    return unusable(fmt::format("unreadable ({})", error.what()));
  }
}

void ResultsStore::write_tables(const std::vector<RunRecord>& records) const {
  const Summary summary = summarize(records);

  std::string jsonl;
  for (const auto& record : records) jsonl += record.dump() + "\n";
  write_file_atomic(root_ / "results.jsonl", jsonl);

  TextTable results{{"run", "index"}, {}};
  results.head.insert(results.head.end(), summary.params.begin(), summary.params.end());
  for (const char* fixed : {"seed", "status", "error", "seconds"}) results.head.emplace_back(fixed);
  results.head.insert(results.head.end(), summary.metrics.begin(), summary.metrics.end());
  for (const auto& record : records) {
    std::vector<std::string> row{record.hash, std::to_string(record.index)};
    for (const auto& key : summary.params) row.push_back(value_of(record.params, key));
    row.insert(row.end(), {std::to_string(record.seed), record.status, record.error, number(record.seconds)});
    for (const auto& name : summary.metrics) row.push_back(value_of(record.metrics, name));
    results.rows.push_back(std::move(row));
  }
  write_file_atomic(root_ / "results.csv", results.csv());

  // One row per parameter point: its runs and each metric over the successful ones.
  TextTable points{summary.params, {}};
  points.head.insert(points.head.end(), {"runs", "failed"});
  // A metric some successful runs lack also gets its count of values.
  for (const auto& name : summary.metrics) {
    points.head.insert(points.head.end(), {name + "_mean", name + "_std"});
    if (summary.incomplete(name)) points.head.push_back(name + "_runs");
  }
  for (const auto& point : summary.points) {
    std::vector<std::string> row;
    for (const auto& [key, value] : point.params) row.push_back(value);
    row.insert(row.end(), {std::to_string(point.runs.size()), std::to_string(point.failed)});
    for (const auto& name : summary.metrics) {
      const Statistic s = point.of(name);
      row.insert(row.end(), {number(s.mean), number(s.std)});
      if (summary.incomplete(name)) row.push_back(std::to_string(s.count));
    }
    points.rows.push_back(std::move(row));
  }
  write_file_atomic(root_ / "summary.csv", points.csv());
  write_file_atomic(root_ / "summary.md", summary_table(summary).markdown());
}

}  // namespace kooplab
