#pragma once
// The report of a results folder: the paper comparison, the figures, the
// summary, the runs' own reports and the config, written as report.md (figures
// linked from figures/) and report.html (everything embedded), with
// comparison.csv holding every paper value on a row of its own.
//
// An experiment config asks for it in a `report` section, which the runs never see:
//   report:
//     reference: reference.yaml    # the paper's values (reference.hpp), relative to the config
//     default_figures: true        # the application's own figures (figure_spec.hpp)
//     figures: [...]               # more figures
// `kooplab run` copies the reference into the results folder (reference.yaml),
// so a report needs nothing but the folder.
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kooplab/report/comparison.hpp"
#include "kooplab/report/figure_spec.hpp"
#include "kooplab/report/reference.hpp"
#include "kooplab/report/results_folder.hpp"
#include "kooplab/runner/summary.hpp"

namespace kooplab {

struct ReportSettings {
  std::optional<std::filesystem::path> reference;  // resolved against the config's folder
  bool default_figures = true;
  std::vector<FigureSpec> figures;
};

// The `report` section of an experiment config (checked: unknown keys and
// figure types are ConfigErrors naming the key; read_reference() checks the file).
ReportSettings read_report_settings(const std::string& config_text, const std::string& source);

// After a run: puts the config's reference into the results folder as
// reference.yaml (removing an older one when the config has none).
void attach_reference(const ReportSettings& settings, const std::filesystem::path& results_folder);

class Report {
 public:
  // Reads the folder, the report settings of its config.yaml and its reference.yaml.
  explicit Report(const std::filesystem::path& results_folder);
  Report(const Report&) = delete;
  Report& operator=(const Report&) = delete;

  const Comparison* comparison() const { return comparison_ ? &*comparison_ : nullptr; }
  // The comparison tables for a terminal, with the count and the known gaps; "" without a reference.
  std::string comparison_text() const;
  // Writes report.md, report.html, comparison.csv and figures/ into `folder`;
  // what could not be drawn goes to `log`.
  void write(const std::filesystem::path& folder, std::ostream& log) const;

 private:
  ResultsFolder results_;
  ReportSettings settings_;
  std::string application_, title_;
  Summary summary_;
  std::optional<Reference> reference_;
  std::optional<Comparison> comparison_;
};

}  // namespace kooplab
