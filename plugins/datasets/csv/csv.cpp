// Dataset `csv`: a user's snapshot matrix from a CSV file, each column (or
// row) a time step, cut into trajectories at given time steps. Every error in
// the file names its line and field. Keys: `kooplab plugins csv`.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"

namespace {

using kooplab::Config;
using kooplab::DataError;

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// Reads rows of numbers; every error names file, line and field.
arma::mat read_csv(const std::filesystem::path& file, bool header) {
  std::ifstream in(file);
  if (!in) throw DataError(fmt::format("{}: cannot open CSV file", file.string()));
  std::vector<std::vector<double>> rows;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if ((header && line_number == 1) || trim(line).empty()) continue;
    std::vector<double> row;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) {
      const std::string text = trim(field);
      double value = 0.0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw DataError(
            fmt::format("{}:{}: field {} is not a number: '{}'", file.string(), line_number, row.size() + 1, text));
      if (!std::isfinite(value))
        throw DataError(
            fmt::format("{}:{}: field {} is not finite ({})", file.string(), line_number, row.size() + 1, text));
      row.push_back(value);
    }
    if (!rows.empty() && row.size() != rows.front().size())
      throw DataError(fmt::format("{}:{}: {} fields, earlier lines have {}", file.string(), line_number, row.size(),
                                  rows.front().size()));
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw DataError(fmt::format("{}: no data", file.string()));
  arma::mat out(rows.size(), rows.front().size());
  for (arma::uword i = 0; i < out.n_rows; ++i)
    for (arma::uword j = 0; j < out.n_cols; ++j) out(i, j) = rows[i][j];
  return out;
}

enum class Layout { columns, rows };

struct Settings {
  std::filesystem::path path;
  Layout layout = Layout::columns;
  bool header = false;
  std::vector<int> trajectory_starts{0};
  std::optional<double> dt;
};

bool starts_at_zero_and_increases(const std::vector<int>& starts) {
  if (starts.empty() || starts.front() != 0) return false;
  return std::adjacent_find(starts.begin(), starts.end(), std::greater_equal<>()) == starts.end();
}

class Csv : public kooplab::Dataset {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .require("path", &Settings::path, "the CSV file (relative to the config file)")
            .choice("layout", &Settings::layout, {{"columns", Layout::columns}, {"rows", Layout::rows}},
                    "whether each column or each row is a time step")
            .add("header", &Settings::header, "skip the first line")
            .add(
                "trajectory_starts", &Settings::trajectory_starts, "first time step of each trajectory",
                kooplab::Check<std::vector<int>>(starts_at_zero_and_increases, "starting at 0 and strictly increasing"))
            .add("dt", &Settings::dt, "sampling interval", kooplab::greater_than(0));
    return options;
  }

  explicit Csv(const Config& section) : settings_(options().read(section)) {}

  kooplab::Trajectories trajectories(kooplab::Rng&) const override {
    const std::filesystem::path& file = settings_.path;
    arma::mat snapshots = read_csv(file, settings_.header);
    if (settings_.layout == Layout::rows) snapshots = snapshots.t();
    const std::vector<int>& starts = settings_.trajectory_starts;
    kooplab::Trajectories data;
    data.dt = settings_.dt;
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const arma::uword first = arma::uword(starts[k]);
      const arma::uword end = k + 1 < starts.size() ? arma::uword(starts[k + 1]) : snapshots.n_cols;
      if (end > snapshots.n_cols || first >= end)
        throw DataError(fmt::format("{}: trajectory {} starts at step {} but the file has {} time steps", file.string(),
                                    k, first, snapshots.n_cols));
      data.runs.push_back(snapshots.cols(first, end - 1));
    }
    data.validate(file.string());
    return data;
  }

 private:
  Settings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(Csv, kooplab::Dataset, "csv",
               "A snapshot matrix from a CSV file (columns or rows are time steps), split into trajectories")
