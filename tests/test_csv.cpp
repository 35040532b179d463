// The `csv` dataset: layouts, trajectory splits and bad files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "support.hpp"

using kooplab::testing::make;

TEST_CASE("the csv dataset reads snapshots, splits trajectories and reports bad files") {
  const auto folder = kooplab::testing::temporary_folder("csv");
  {
    std::ofstream out(folder / "good.csv");
    out << "t0,t1,t2,t3,t4\n1,2,3,4,5\n6,7,8,9,10\n";
    std::ofstream bad(folder / "bad.csv");
    bad << "1,2,3\n4,x,6\n";
    std::ofstream ragged(folder / "ragged.csv");
    ragged << "1,2,3\n4,5\n";
  }
  kooplab::Rng rng(0);
  const std::string config =
      "name: csv\npath: " + (folder / "good.csv").string() + "\nheader: true\ntrajectory_starts: [0, 3]\ndt: 0.5\n";
  const auto data = make<kooplab::Dataset>(config)->trajectories(rng);
  REQUIRE(data.runs.size() == 2);
  CHECK(arma::approx_equal(data.runs[0], arma::mat{{1, 2, 3}, {6, 7, 8}}, "absdiff", 0));
  CHECK(arma::approx_equal(data.runs[1], arma::mat{{4, 5}, {9, 10}}, "absdiff", 0));
  CHECK(*data.dt == 0.5);

  const auto rows =
      make<kooplab::Dataset>("name: csv\nlayout: rows\npath: " + (folder / "good.csv").string() + "\nheader: true\n")
          ->trajectories(rng);
  CHECK(rows.runs[0].n_rows == 5);
  CHECK(rows.runs[0].n_cols == 2);

  CHECK_THROWS_WITH_AS(
      make<kooplab::Dataset>("name: csv\npath: " + (folder / "bad.csv").string() + "\n")->trajectories(rng),
      std::string((folder / "bad.csv").string() + ":2: field 2 is not a number: 'x'").c_str(), kooplab::DataError);
  CHECK_THROWS_WITH_AS(
      make<kooplab::Dataset>("name: csv\npath: " + (folder / "ragged.csv").string() + "\n")->trajectories(rng),
      std::string((folder / "ragged.csv").string() + ":2: 2 fields, earlier lines have 3").c_str(), kooplab::DataError);
  CHECK_THROWS_WITH_AS(
      make<kooplab::Dataset>("name: csv\npath: " + (folder / "missing.csv").string() + "\n")->trajectories(rng),
      std::string((folder / "missing.csv").string() + ": cannot open CSV file").c_str(), kooplab::DataError);
  std::filesystem::remove_all(folder);
}
