#include "kooplab/report/comparison.hpp"

#include <fmt/format.h>

#include <cmath>

namespace kooplab {
namespace {

bool within_rule(const ReferenceColumn& column, double paper, double value) {
  const double slack = column.tolerance + column.relative * std::abs(paper);
  switch (column.direction) {
    case Direction::at_least:
      return value >= paper - slack;
    case Direction::at_most:
      return value <= paper + slack;
    case Direction::both:
      break;
  }
  return std::abs(value - paper) <= slack;
}

std::string significant(double value, int digits) { return fmt::format("{:.{}g}", value, digits); }

}  // namespace

const char* status_mark(Status status) {
  switch (status) {
    case Status::within:
      return "✓";
    case Status::outside:
      return "✗";
    case Status::no_paper_value:
      break;
  }
  return "—";
}

Comparison compare(const Reference& reference, const Summary& summary) {
  Comparison comparison;
  for (const auto& table : reference.tables)
    for (const auto& row : table.rows)
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const ReferenceColumn& column = table.columns[c];
        std::vector<double> values;
        for (const auto& point : summary.points)
          if (point.matches(row.at))
            if (const auto found = point.values.find(column.metric); found != point.values.end())
              values.insert(values.end(), found->second.begin(), found->second.end());
        Cell cell{&table,
                  &row,
                  &column,
                  row.paper[c],
                  row.paper_text[c],
                  statistic(values),
                  std::nullopt,
                  Status::no_paper_value,
                  ""};
        if (!values.empty()) cell.value = column.median ? cell.kooplab.median : cell.kooplab.mean;
        if (cell.paper)
          cell.status = cell.value && within_rule(column, *cell.paper, *cell.value) ? Status::within : Status::outside;
        if (const auto gap = row.gaps.find(column.metric); gap != row.gaps.end()) cell.known_gap = gap->second;
        comparison.cells.push_back(std::move(cell));
      }
  return comparison;
}

std::string kooplab_text(const Cell& cell) {
  if (!cell.value) return "no value";
  const int digits = cell.column->digits;
  if (cell.column->median) return significant(*cell.value, digits);
  if (cell.kooplab.count > 1) return fmt::format("{} ± {:.2g}", significant(*cell.value, digits), cell.kooplab.std);
  return significant(*cell.value, digits);
}

std::string gap_text(const Cell& cell) {
  if (!cell.paper || !cell.value) return "—";
  const double gap = *cell.value - *cell.paper;
  std::string text = fmt::format("{:+.2g}", gap);
  if (cell.column->relative > 0 && *cell.paper != 0)
    text += fmt::format(" ({:+.0f} %)", 100 * gap / std::abs(*cell.paper));
  return text;
}

std::size_t Comparison::with_paper_value() const {
  return std::count_if(cells.begin(), cells.end(), [](const Cell& cell) { return cell.paper.has_value(); });
}

std::size_t Comparison::within() const {
  return std::count_if(cells.begin(), cells.end(), [](const Cell& cell) { return cell.status == Status::within; });
}

std::vector<const Cell*> Comparison::unexpected() const {
  std::vector<const Cell*> found;
  for (const auto& cell : cells)
    if (cell.status == Status::outside && cell.known_gap.empty()) found.push_back(&cell);
  return found;
}

std::vector<const Cell*> Comparison::closed_gaps() const {
  std::vector<const Cell*> found;
  for (const auto& cell : cells)
    if (cell.status == Status::within && !cell.known_gap.empty()) found.push_back(&cell);
  return found;
}

std::vector<TextTable> Comparison::tables() const {
  std::vector<TextTable> out;
  const ReferenceTable* current = nullptr;
  const ReferenceRow* row = nullptr;
  for (const auto& cell : cells) {
    const bool single = cell.table->columns.size() == 1;
    if (cell.table != current) {
      current = cell.table;
      row = nullptr;
      TextTable table;
      table.head.push_back(current->key);
      const auto title = [](const ReferenceColumn& column) {
        return column.title + (column.median ? " (median)" : "");
      };
      if (single)
        table.head.insert(table.head.end(), {title(current->columns.front()) + " paper", "kooplab", "gap", "status"});
      for (const auto& column : current->columns)
        if (!single) table.head.push_back(title(column) + " paper / kooplab");
      out.push_back(std::move(table));
    }
    if (cell.row != row) {
      row = cell.row;
      out.back().rows.push_back({row->label});
    }
    auto& cells_of_row = out.back().rows.back();
    if (single) {
      cells_of_row.insert(cells_of_row.end(),
                          {cell.paper_text, kooplab_text(cell), gap_text(cell), status_mark(cell.status)});
    } else {
      const std::string mark = cell.status == Status::no_paper_value ? "" : std::string(" ") + status_mark(cell.status);
      cells_of_row.push_back(fmt::format("{} / {}{}", cell.paper_text, kooplab_text(cell), mark));
    }
  }
  return out;
}

TextTable Comparison::cell_list() const {
  TextTable list{{"table", "row", "metric", "paper", "kooplab", "runs", "gap", "status", "source", "known gap"}, {}};
  for (const auto& cell : cells) {
    std::string source;
    for (const std::string& part : {cell.table->title, cell.row->source})
      if (!part.empty()) source += (source.empty() ? "" : ", ") + part;
    list.rows.push_back({cell.table->title, cell.row->label, cell.column->metric, cell.paper_text, kooplab_text(cell),
                         std::to_string(cell.kooplab.count), gap_text(cell), status_mark(cell.status), source,
                         cell.known_gap});
  }
  return list;
}

std::string Comparison::count_text() const {
  return fmt::format("{} of {} paper values within tolerance", within(), with_paper_value());
}

}  // namespace kooplab
