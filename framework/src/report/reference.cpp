#include "kooplab/report/reference.hpp"

#include <fmt/format.h>

#include "kooplab/config.hpp"
#include "kooplab/error.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

std::string scalar_text(const YAML::Node& node) {
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

ReferenceColumn read_column(const Config& item) {
  ReferenceColumn column;
  column.metric = item.get<std::string>("metric");
  column.title = item.get_or<std::string>("title", column.metric);
  column.tolerance = item.get_or<double>("tolerance", 0.0);
  column.relative = item.get_or<double>("relative", 0.0);
  if (column.tolerance < 0) item.fail("tolerance", "expected a tolerance of at least 0");
  if (column.relative < 0) item.fail("relative", "expected a relative tolerance of at least 0");
  const std::string direction = item.get_or<std::string>("direction", "both");
  if (direction == "at_least")
    column.direction = Direction::at_least;
  else if (direction == "at_most")
    column.direction = Direction::at_most;
  else if (direction != "both")
    item.fail("direction", "expected at_least, at_most or both");
  column.has_rule = column.direction != Direction::both || item.has("tolerance") || item.has("relative");
  const std::string statistic = item.get_or<std::string>("statistic", "mean");
  if (statistic != "mean" && statistic != "median") item.fail("statistic", "expected mean or median");
  column.median = statistic == "median";
  column.digits = item.get_or<int>("digits", 3);
  if (column.digits < 1 || column.digits > 17) item.fail("digits", "expected 1 to 17 significant digits");
  return column;
}

ReferenceRow read_row(const Config& item, const ReferenceTable& table) {
  ReferenceRow row;
  if (item.has("at")) {
    const YAML::Node at = item.node()["at"];
    if (at.IsMap()) {
      const Config keys = item.child("at");
      for (const auto& key : keys.keys())
        if (keys.has(key)) row.at.emplace_back(key, scalar_text(at[key]));
    } else {
      if (table.key.empty()) item.fail("at", "a single value needs the table's `key`; or give a map of keys");
      row.at.emplace_back(table.key, scalar_text(at));
    }
  }
  std::vector<std::string> labels;
  for (const auto& [key, value] : row.at) labels.push_back(value);
  row.label = item.get_or<std::string>("label", labels.empty() ? "—" : join_words(labels));
  row.source = item.get_or<std::string>("source", "");
  if (!item.has("paper")) item.fail("paper", "missing: the paper's values, one per column (~ where it has none)");
  const YAML::Node paper = item.node()["paper"];
  YAML::Node values = paper.IsSequence() ? paper : YAML::Node(YAML::NodeType::Sequence);
  if (!paper.IsSequence()) values.push_back(paper);
  if (values.size() != table.columns.size())
    item.fail("paper", fmt::format("expected {} values, one per column, got {}", table.columns.size(), values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].IsNull()) {
      row.paper.emplace_back();
      row.paper_text.emplace_back("—");
      continue;
    }
    if (!table.columns[i].has_rule)
      item.fail(fmt::format("paper[{}]", i),
                fmt::format("column '{}' has no rule for paper values: give it a tolerance, "
                            "relative or direction",
                            table.columns[i].metric));
    try {
      row.paper.emplace_back(values[i].as<double>());
    } catch (const YAML::Exception&) {
      item.fail(fmt::format("paper[{}]", i), fmt::format("expected a number or ~, got '{}'", scalar_text(values[i])));
    }
    row.paper_text.push_back(values[i].Scalar());
  }
  if (item.has("gaps")) {
    const Config gaps = item.child("gaps");
    for (const auto& metric : gaps.keys()) {
      const bool known = std::any_of(table.columns.begin(), table.columns.end(),
                                     [&](const ReferenceColumn& column) { return column.metric == metric; });
      if (!known) gaps.fail(metric, "not a column of this table");
      row.gaps[metric] = gaps.get<std::string>(metric);
    }
  }
  return row;
}

}  // namespace

Reference read_reference(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file))
    throw ConfigError(fmt::format("{}: reference file not found", file.string()));
  const Config config = Config::load_file(file);
  Reference reference;
  reference.source = config.get_or<std::string>("source", "");
  for (const Config& item : config.items("tables")) {
    ReferenceTable table;
    table.title = item.get_or<std::string>("title", "");
    table.key = item.get_or<std::string>("key", "");
    for (const Config& column : item.items("columns")) table.columns.push_back(read_column(column));
    if (table.columns.empty()) item.fail("columns", "expected at least one column");
    for (const Config& row : item.items("rows")) table.rows.push_back(read_row(row, table));
    reference.tables.push_back(std::move(table));
  }
  config.check_all_keys_used();
  return reference;
}

}  // namespace kooplab
