#include "kooplab/runner/summary.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

void add_new(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

std::string param_of(const RunRecord& record, const std::string& key) {
  for (const auto& [name, value] : record.params)
    if (name == key) return value;
  return "";
}

// A swept value (YAML text) against a wanted one.
bool same_value(const std::string& swept, const std::string& wanted) {
  const auto scalar = [](const std::string& text) {
    try {
      const YAML::Node node = YAML::Load(text);
      return node.IsScalar() ? node.Scalar() : text;
    } catch (const YAML::Exception&) {
      return text;
    }
  };
  const std::string a = scalar(swept), b = scalar(wanted);
  if (a == b) return true;
  try {
    std::size_t used_a = 0, used_b = 0;
    const double x = std::stod(a, &used_a), y = std::stod(b, &used_b);
    return used_a == a.size() && used_b == b.size() && x == y;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

Statistic statistic(const std::vector<double>& values) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Statistic s{nan, nan, nan, values.size()};
  if (values.empty()) return s;
  double sum = 0.0;
  for (const double v : values) sum += v;
  s.mean = sum / double(values.size());
  if (values.size() > 1) {
    double squares = 0.0;
    for (const double v : values) squares += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(squares / double(values.size() - 1));  // sample standard deviation
  }
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t middle = sorted.size() / 2;
  s.median = sorted.size() % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return s;
}

std::string mean_pm_std(const Statistic& s) {
  if (s.count == 0) return "—";
  if (s.count == 1) return fmt::format("{:.6g}", s.mean);
  return fmt::format("{:.6g} ± {:.2g}", s.mean, s.std);
}

Statistic PointSummary::of(const std::string& metric) const {
  const auto found = values.find(metric);
  return statistic(found == values.end() ? std::vector<double>{} : found->second);
}

bool PointSummary::matches(const std::vector<std::pair<std::string, std::string>>& at) const {
  for (const auto& [key, value] : at) {
    const auto found =
        std::find_if(params.begin(), params.end(), [&](const auto& param) { return param.first == key; });
    if (found == params.end() || !same_value(found->second, value)) return false;
  }
  return true;
}

std::string PointSummary::label() const {
  std::vector<std::string> parts;
  for (const auto& [key, value] : params) {
    const std::string last = key.substr(key.rfind('.') + 1);
    parts.push_back(last == "name" ? value : last + "=" + value);  // estimator.name=dmd says "dmd"
  }
  return join_words(parts, " ");
}

Summary summarize(const std::vector<RunRecord>& records) {
  Summary summary;
  for (const auto& record : records) {
    for (const auto& [key, value] : record.params) add_new(summary.params, key);
    for (const auto& [name, value] : record.metrics) add_new(summary.metrics, name);
  }
  std::map<std::vector<std::string>, std::size_t> point_of;
  for (const auto& record : records) {
    std::vector<std::string> key;
    for (const auto& param : summary.params) key.push_back(param_of(record, param));
    const auto [at, added] = point_of.emplace(key, summary.points.size());
    if (added) {
      PointSummary point;
      for (std::size_t i = 0; i < key.size(); ++i) point.params.emplace_back(summary.params[i], key[i]);
      summary.points.push_back(std::move(point));
    }
    PointSummary& point = summary.points[at->second];
    point.runs.push_back(&record);
    if (!record.ok()) {
      ++point.failed;
      continue;
    }
    for (const auto& [name, value] : record.metrics) point.values[name].push_back(value);
  }
  return summary;
}

bool Summary::incomplete(const std::string& metric) const {
  return std::any_of(points.begin(), points.end(),
                     [&](const PointSummary& point) { return point.of(metric).count < point.succeeded(); });
}

TextTable summary_table(const Summary& summary) {
  TextTable table;
  table.head = summary.params;
  table.head.insert(table.head.end(), {"runs", "failed"});
  table.head.insert(table.head.end(), summary.metrics.begin(), summary.metrics.end());
  for (const auto& point : summary.points) {
    std::vector<std::string> row;
    for (const auto& [key, value] : point.params) row.push_back(value);
    row.insert(row.end(), {std::to_string(point.runs.size()), std::to_string(point.failed)});
    for (const auto& name : summary.metrics) {
      const Statistic s = point.of(name);
      const bool partial = s.count < point.succeeded();
      row.push_back(mean_pm_std(s) + (partial ? fmt::format(" ({} of {} runs)", s.count, point.succeeded()) : ""));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace kooplab
