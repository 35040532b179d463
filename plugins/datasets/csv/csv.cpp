// Dataset `csv`: a user's snapshot matrix from a CSV file.
//
// dataset:
//   name: csv
//   path: data/snapshots.csv        # relative to the config file
//   layout: columns | rows          # columns: each column is a time step (default)
//   header: false                   # skip the first line
//   trajectory_starts: [0, 120]     # first time step of each trajectory (default: one)
//   dt: 1                           # sampling interval (optional)
#include <fmt/format.h>

#include <charconv>
#include <fstream>
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
        throw DataError(fmt::format("{}:{}: field {} is not a number: '{}'", file.string(), line_number, row.size() + 1, text));
      if (!std::isfinite(value))
        throw DataError(fmt::format("{}:{}: field {} is not finite ({})", file.string(), line_number, row.size() + 1, text));
      row.push_back(value);
    }
    if (!rows.empty() && row.size() != rows.front().size())
      throw DataError(fmt::format("{}:{}: {} fields, earlier lines have {}", file.string(), line_number, row.size(), rows.front().size()));
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw DataError(fmt::format("{}: no data", file.string()));
  arma::mat out(rows.size(), rows.front().size());
  for (arma::uword i = 0; i < out.n_rows; ++i)
    for (arma::uword j = 0; j < out.n_cols; ++j) out(i, j) = rows[i][j];
  return out;
}

class Csv : public kooplab::Dataset {
 public:
  explicit Csv(const Config& section)
      : file_(section.resolve_path("path")),
        header_(section.get_or<bool>("header", false)),
        starts_(section.get_or<std::vector<int>>("trajectory_starts", {0})) {
    const std::string layout = section.get_or<std::string>("layout", "columns");
    if (layout != "columns" && layout != "rows") section.fail("layout", fmt::format("expected columns or rows, got '{}'", layout));
    rows_are_steps_ = layout == "rows";
    if (section.has("dt")) {
      dt_ = section.get<double>("dt");
      if (!(*dt_ > 0)) section.fail("dt", "expected a positive sampling interval");
    }
    if (starts_.empty() || starts_.front() != 0) section.fail("trajectory_starts", "expected a list starting with 0");
    for (std::size_t i = 1; i < starts_.size(); ++i)
      if (starts_[i] <= starts_[i - 1]) section.fail("trajectory_starts", "expected strictly increasing time steps");
  }

  kooplab::Trajectories trajectories(kooplab::Rng&) const override {
    arma::mat snapshots = read_csv(file_, header_);
    if (rows_are_steps_) snapshots = snapshots.t();
    kooplab::Trajectories data;
    data.dt = dt_;
    for (std::size_t k = 0; k < starts_.size(); ++k) {
      const arma::uword first = arma::uword(starts_[k]);
      const arma::uword end = k + 1 < starts_.size() ? arma::uword(starts_[k + 1]) : snapshots.n_cols;
      if (end > snapshots.n_cols || first >= end)
        throw DataError(fmt::format("{}: trajectory {} starts at step {} but the file has {} time steps", file_.string(), k,
                                    first, snapshots.n_cols));
      data.runs.push_back(snapshots.cols(first, end - 1));
    }
    data.validate(file_.string());
    return data;
  }

 private:
  std::filesystem::path file_;
  bool header_;
  std::vector<int> starts_;
  bool rows_are_steps_ = false;
  std::optional<double> dt_;
};

}  // namespace

KOOPLAB_PLUGIN(Csv, kooplab::Dataset, "csv", "A snapshot matrix from a CSV file (columns or rows are time steps), split into trajectories")
