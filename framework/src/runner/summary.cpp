#include "kooplab/runner/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

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

}  // namespace kooplab
