// Dataset `csv`: a user's snapshot matrix from a CSV file, each column (or
// row) a time step, cut into trajectories at given time steps. Every error in
// the file names its line and field. Keys: `kooplab plugins csv`.
#include "kooplab/data/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"

namespace {

using kooplab::Config;
using kooplab::DataError;

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
    arma::mat snapshots = kooplab::read_csv(file, settings_.header);
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
