#include "kooplab/runner/results_store.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <map>

#include "kooplab/error.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/npy.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::filesystem::path with_runs_folder(std::filesystem::path root) {
  std::filesystem::create_directories(root / "runs");
  return root;
}

std::string number(double value) { return std::isfinite(value) ? fmt::format("{:.17g}", value) : "nan"; }

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + csv_field(fields[i]);
  return line + "\n";
}

// Every parameter and metric name, in order of first appearance.
struct Columns {
  std::vector<std::string> params, metrics;
  explicit Columns(const std::vector<RunRecord>& records) {
    for (const auto& record : records) {
      for (const auto& [key, value] : record.params)
        if (std::find(params.begin(), params.end(), key) == params.end()) params.push_back(key);
      for (const auto& [name, value] : record.metrics)
        if (std::find(metrics.begin(), metrics.end(), name) == metrics.end()) metrics.push_back(name);
    }
  }
};

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

struct Statistic {
  double mean = std::nan(""), std = std::nan("");
  std::size_t count = 0;
};

Statistic statistic(const std::vector<double>& values) {
  Statistic s;
  s.count = values.size();
  if (values.empty()) return s;
  double sum = 0.0;
  for (const double v : values) sum += v;
  s.mean = sum / double(values.size());
  if (values.size() > 1) {
    double squares = 0.0;
    for (const double v : values) squares += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(squares / double(values.size() - 1));  // sample standard deviation
  }
  return s;
}

std::string mean_pm_std(const Statistic& s) {
  if (s.count == 0) return "—";
  if (s.count == 1) return fmt::format("{:.6g}", s.mean);
  return fmt::format("{:.6g} ± {:.2g}", s.mean, s.std);
}

}  // namespace

ResultsStore::ResultsStore(std::filesystem::path root) : root_(with_runs_folder(std::move(root))), lock_(root_) {}

void ResultsStore::remove_partial_runs() const {
  for (const auto& item : std::filesystem::directory_iterator(root_ / "runs"))
    if (item.path().filename().string().starts_with(".partial-")) std::filesystem::remove_all(item.path());
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
  const std::filesystem::path target = run_dir(record.hash);
  std::filesystem::remove_all(target);  // an earlier failed attempt
  std::filesystem::rename(work_dir, target);
}

std::optional<RunRecord> ResultsStore::completed(const std::string& hash) const {
  const std::filesystem::path file = run_dir(hash) / "record.json";
  if (!std::filesystem::exists(file)) return std::nullopt;
  try {
    RunRecord record = RunRecord::from_json(nlohmann::ordered_json::parse(read_file(file)));
    if (record.ok()) return record;
  } catch (const std::exception&) {
    // An unreadable record is treated as not completed: the run is redone.
  }
  return std::nullopt;
}

void ResultsStore::write_tables(const std::vector<RunRecord>& records) const {
  const Columns columns(records);

  std::string jsonl;
  for (const auto& record : records) jsonl += record.dump() + "\n";
  write_file_atomic(root_ / "results.jsonl", jsonl);

  std::vector<std::string> head{"run", "index"};
  head.insert(head.end(), columns.params.begin(), columns.params.end());
  for (const char* fixed : {"seed", "status", "error", "seconds"}) head.emplace_back(fixed);
  head.insert(head.end(), columns.metrics.begin(), columns.metrics.end());
  std::string csv = csv_line(head);
  for (const auto& record : records) {
    std::vector<std::string> row{record.hash, std::to_string(record.index)};
    for (const auto& key : columns.params) row.push_back(value_of(record.params, key));
    row.insert(row.end(), {std::to_string(record.seed), record.status, record.error, number(record.seconds)});
    for (const auto& name : columns.metrics) row.push_back(value_of(record.metrics, name));
    csv += csv_line(row);
  }
  write_file_atomic(root_ / "results.csv", csv);

  // Group runs that differ only in their seed; aggregate over successful runs.
  std::vector<std::string> group_order;
  std::map<std::string, std::vector<const RunRecord*>> groups;
  for (const auto& record : records) {
    std::string key;
    for (const auto& param : columns.params) key += value_of(record.params, param) + "\x1f";
    if (!groups.contains(key)) group_order.push_back(key);
    groups[key].push_back(&record);
  }
  std::vector<std::string> summary_head = columns.params;
  summary_head.insert(summary_head.end(), {"runs", "failed"});
  for (const auto& name : columns.metrics) summary_head.insert(summary_head.end(), {name + "_mean", name + "_std"});
  std::string summary_csv = csv_line(summary_head);

  std::vector<std::string> md_head = columns.params;
  md_head.insert(md_head.end(), {"runs", "failed"});
  md_head.insert(md_head.end(), columns.metrics.begin(), columns.metrics.end());
  std::string markdown = "| " + join_words(md_head, " | ") + " |\n|";
  for (std::size_t i = 0; i < md_head.size(); ++i) markdown += " --- |";
  markdown += "\n";

  for (const auto& key : group_order) {
    const auto& members = groups[key];
    std::vector<std::string> row;
    for (const auto& param : columns.params) row.push_back(value_of(members.front()->params, param));
    std::size_t failed = 0;
    for (const auto* record : members) failed += record->ok() ? 0 : 1;
    row.insert(row.end(), {std::to_string(members.size()), std::to_string(failed)});
    std::vector<std::string> csv_row = row, md_row = row;
    for (const auto& name : columns.metrics) {
      std::vector<double> values;
      for (const auto* record : members)
        if (record->ok())
          for (const auto& [metric, value] : record->metrics)
            if (metric == name) values.push_back(value);
      const Statistic s = statistic(values);
      csv_row.insert(csv_row.end(), {number(s.mean), number(s.std)});
      md_row.push_back(mean_pm_std(s));
    }
    summary_csv += csv_line(csv_row);
    markdown += "| " + join_words(md_row, " | ") + " |\n";
  }
  write_file_atomic(root_ / "summary.csv", summary_csv);
  write_file_atomic(root_ / "summary.md", markdown);
}

}  // namespace kooplab
