#pragma once
// A results folder's numbers beside the paper's: for every cell of the
// reference tables, kooplab's statistic over the seeds of the matching runs,
// the gap and the status (✓ within the column's rule, ✗ outside, — no paper
// value). Cells the reference marks as known gaps show ✗ but do not fail a check.
#include <optional>
#include <string>
#include <vector>

#include "kooplab/report/reference.hpp"
#include "kooplab/runner/summary.hpp"
#include "kooplab/util/text_table.hpp"

namespace kooplab {

enum class Status { within, outside, no_paper_value };

struct Cell {
  const ReferenceTable* table;
  const ReferenceRow* row;
  const ReferenceColumn* column;
  std::optional<double> paper;
  std::string paper_text;
  Statistic kooplab;            // over the successful runs of the matching points
  std::optional<double> value;  // its mean or median; none when no run has the metric
  Status status;
  std::string known_gap;  // why kooplab differs, when the reference says so
};

struct Comparison {
  std::vector<Cell> cells;  // table by table, row by row, column by column

  std::size_t with_paper_value() const;
  std::size_t within() const;
  // ✗ cells without a known gap: what `--check` fails on.
  std::vector<const Cell*> unexpected() const;
  // Known gaps now within the rule.
  std::vector<const Cell*> closed_gaps() const;

  // One table per reference table, laid out like the paper's: a row per
  // reference row, a cell "paper / kooplab ✓" per column; a one-column table
  // shows paper, kooplab, gap and status side by side.
  std::vector<TextTable> tables() const;
  // Every cell on a row of its own: table, row, metric, paper, kooplab, n, gap, status, source, known gap.
  TextTable cell_list() const;
  // "12 of 15 paper values within tolerance"
  std::string count_text() const;
};

Comparison compare(const Reference& reference, const Summary& summary);

// "✓", "✗" or "—".
const char* status_mark(Status status);
// kooplab's value as shown in a cell: "0.0205", "0.88 ± 0.1" (mean ± std), "0.88" (a
// median: the column's title says so), "no value".
std::string kooplab_text(const Cell& cell);
// kooplab − paper, with the relative gap when the column's rule is relative.
std::string gap_text(const Cell& cell);

}  // namespace kooplab
