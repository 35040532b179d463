#pragma once
// The paper values an experiment is compared with: a YAML file beside its
// configs, laid out like the paper's tables.
//
//   source: koopman-mode-analysis.md, Supplement, Table 1   # paper and table
//   tables:
//     - title: HSVR depth                # optional
//       key: dataset.function            # the swept key a row's `at` names (optional)
//       columns:                         # one per metric, in the paper's order
//         - {metric: fft_layers, title: layers (FFT), tolerance: 0}
//         - {metric: epsilon, title: ε, relative: 0.05}
//         - {metric: success, statistic: median, direction: at_least}
//       rows:
//         - at: sin(2*pi*x)              # the key's value, or a map of keys
//           label: sin(2πx)              # optional, default: the value
//           paper: [1, 0.02, 0.02]       # one per column, ~ where the paper has none
//           source: row 1                # optional, appended to the table's source
//           gaps: {epsilon: why kooplab differs}   # known disagreements
//
// A column's rule: `tolerance` (|kooplab − paper| ≤ t), `relative`
// (≤ r |paper|) or `direction: at_least | at_most` (one-sided; a tolerance or
// relative slack may be added); a column without a rule has no paper values
// (~), only kooplab's. `statistic: mean` (default) or `median` over
// the seeds; `digits` (default 3) significant digits shown.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kooplab {

enum class Direction { both, at_least, at_most };

struct ReferenceColumn {
  std::string metric, title;
  Direction direction = Direction::both;
  double tolerance = 0.0;  // absolute slack
  double relative = 0.0;   // slack as a fraction of |paper|
  bool median = false;
  int digits = 3;
  bool has_rule = false;  // a column without one shows kooplab's values only (paper: ~)
};

struct ReferenceRow {
  std::string label;
  std::vector<std::pair<std::string, std::string>> at;  // swept key -> value (YAML text)
  std::vector<std::optional<double>> paper;             // per column
  std::vector<std::string> paper_text;                  // as written in the file
  std::map<std::string, std::string> gaps;              // metric -> why kooplab differs
  std::string source;
};

struct ReferenceTable {
  std::string title, key;
  std::vector<ReferenceColumn> columns;
  std::vector<ReferenceRow> rows;
};

struct Reference {
  std::string source;
  std::vector<ReferenceTable> tables;
};

// Reads and checks a reference file; ConfigError with file:line:column and key on a mistake.
Reference read_reference(const std::filesystem::path& file);

}  // namespace kooplab
