#pragma once
// Runs grouped into parameter points (runs that differ only in their seed),
// with each metric's statistics over the point's successful runs: what
// summary.md shows and what reports compare with papers and plot.
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kooplab/runner/run_record.hpp"
#include "kooplab/util/text_table.hpp"

namespace kooplab {

struct Statistic {
  double mean, std, median;  // NaN when there are no values (std also with one)
  std::size_t count = 0;
};
Statistic statistic(const std::vector<double>& values);
// "0.123457 ± 0.0012" (mean ± sample std), the mean alone for one value, "—" for none.
std::string mean_pm_std(const Statistic& s);

struct PointSummary {
  std::vector<std::pair<std::string, std::string>> params;  // every swept key of the sweep ("" when a run lacks it)
  std::vector<const RunRecord*> runs;                       // in record order
  std::size_t failed = 0;
  std::map<std::string, std::vector<double>> values;  // metric -> its values over the successful runs
  Statistic of(const std::string& metric) const;
  std::size_t succeeded() const { return runs.size() - failed; }
  // Whether the point has each of these swept values; numbers compare by
  // value (1e-6 matches 1.0e-06), anything else by its YAML scalar.
  bool matches(const std::vector<std::pair<std::string, std::string>>& at) const;
  // "rank=6 noise=0.1": the last part of each swept key and its value (the
  // value alone for a plugin's name: "dmd").
  std::string label() const;
};

struct Summary {
  std::vector<std::string> params, metrics;  // in order of first appearance
  std::vector<PointSummary> points;          // in order of first appearance
  // Whether some successful run lacks the metric (then its statistics are over
  // fewer runs than the point has, and the tables say over how many).
  bool incomplete(const std::string& metric) const;
};
// Points of `records`, which must outlive the summary.
Summary summarize(const std::vector<RunRecord>& records);
// summary.md: a row per point with its swept values, runs, failed runs and
// each metric as mean ± std, followed by "(k of n runs)" where only k of the
// point's n successful runs report it.
TextTable summary_table(const Summary& summary);

}  // namespace kooplab
