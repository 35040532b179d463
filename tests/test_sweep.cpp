// Sweep expansion: grid, zip, seeds and command-line lists.
#include <doctest/doctest.h>

#include "kooplab/error.hpp"
#include "kooplab/runner/sweep.hpp"
#include "kooplab/util/text.hpp"

using kooplab::expand_sweep;

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

const char* const base = "seed: 10\nestimator:\n  name: dmd\n  rank: 2\napplication:\n  name: spectrum\n";

std::vector<std::string> labels(const std::vector<kooplab::RunSpec>& runs) {
  std::vector<std::string> out;
  for (const auto& run : runs) {
    std::string label;
    for (const auto& [key, value] : run.params) label += key + "=" + value + " ";
    out.push_back(label + "seed=" + std::to_string(run.seed));
  }
  return out;
}

}  // namespace

TEST_CASE("no sweep gives one run with the base seed") {
  const auto runs = expand_sweep(base, "e.yaml", {});
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].seed == 10);
  CHECK(runs[0].config().child("estimator").get<int>("rank") == 2);
}

TEST_CASE("grid is a cartesian product, last key fastest, seeds innermost") {
  const std::string text =
      std::string(base) + "sweep:\n  grid:\n    estimator.rank: [1, 2]\n    dataset.noise: [0, 0.1]\n  seeds: 2\n";
  const auto runs = expand_sweep(text, "e.yaml", {});
  CHECK(labels(runs) == std::vector<std::string>{
                            "estimator.rank=1 dataset.noise=0 seed=10", "estimator.rank=1 dataset.noise=0 seed=11",
                            "estimator.rank=1 dataset.noise=0.1 seed=10", "estimator.rank=1 dataset.noise=0.1 seed=11",
                            "estimator.rank=2 dataset.noise=0 seed=10", "estimator.rank=2 dataset.noise=0 seed=11",
                            "estimator.rank=2 dataset.noise=0.1 seed=10",
                            "estimator.rank=2 dataset.noise=0.1 seed=11"});
  CHECK(runs[2].config().child("dataset").get<double>("noise") == 0.1);
  CHECK(runs[2].config().child("estimator").get<int>("rank") == 1);
  CHECK(!runs[0].config().has("sweep"));
  CHECK(runs[0].config().get<int>("seed") == 10);
  CHECK(runs[1].config().get<int>("seed") == 11);
  for (std::size_t i = 0; i < runs.size(); ++i) CHECK(runs[i].index == i);
}

TEST_CASE("zip walks lists together and combines with the grid") {
  const std::string text = std::string(base) +
                           "sweep:\n  zip:\n    dataset.steps: [50, 100]\n    dataset.trajectories: [4, 2]\n"
                           "  grid:\n    estimator.rank: [1, 3]\n";
  CHECK(labels(expand_sweep(text, "e.yaml", {})) ==
        std::vector<std::string>{"dataset.steps=50 dataset.trajectories=4 estimator.rank=1 seed=10",
                                 "dataset.steps=50 dataset.trajectories=4 estimator.rank=3 seed=10",
                                 "dataset.steps=100 dataset.trajectories=2 estimator.rank=1 seed=10",
                                 "dataset.steps=100 dataset.trajectories=2 estimator.rank=3 seed=10"});
}

TEST_CASE("zip lists of unequal length are an error naming the key") {
  const std::string text = std::string(base) + "sweep:\n  zip:\n    a.b: [1, 2]\n    a.c: [1, 2, 3]\n";
  CHECK_THROWS_WITH_AS(
      expand_sweep(text, "e.yaml", {}),
      "e.yaml:10:10: sweep.zip.a.c: zip lists must have equal lengths: this one has 3, the first has 2",
      kooplab::ConfigError);
}

TEST_CASE("command-line overrides set keys, and comma lists sweep (replacing the grid entry)") {
  const std::string text = std::string(base) + "sweep:\n  grid:\n    estimator.rank: [1, 2]\n";
  const auto runs = expand_sweep(text, "e.yaml", {"estimator.rank=5,10,20", "dataset.noise=0.5", "seed=3"});
  CHECK(labels(runs) ==
        std::vector<std::string>{"estimator.rank=5 seed=3", "estimator.rank=10 seed=3", "estimator.rank=20 seed=3"});
  CHECK(runs[0].config().child("dataset").get<double>("noise") == 0.5);
  CHECK(labels(expand_sweep(base, "e.yaml", {"dataset.matrix=[[1,2],[3,4]]"})) == std::vector<std::string>{"seed=10"});
}

TEST_CASE("a single-value override of a swept key wins: that key is no longer swept") {
  const std::string text = std::string(base) +
                           "sweep:\n  grid:\n    estimator.rank: [4, 7]\n    dataset.noise: [0, 0.1]\n"
                           "  zip:\n    dataset.steps: [50, 100]\n    dataset.trajectories: [4, 2]\n";
  const auto runs = expand_sweep(text, "e.yaml", {"estimator.rank=7", "dataset.steps=80"});
  CHECK(labels(runs) == std::vector<std::string>{"dataset.trajectories=4 dataset.noise=0 seed=10",
                                                 "dataset.trajectories=4 dataset.noise=0.1 seed=10",
                                                 "dataset.trajectories=2 dataset.noise=0 seed=10",
                                                 "dataset.trajectories=2 dataset.noise=0.1 seed=10"});
  for (const auto& run : runs) {
    CHECK(run.config().child("estimator").get<int>("rank") == 7);
    CHECK(run.config().child("dataset").get<int>("steps") == 80);
  }
  // Fixing every key of the zip removes it; the run count is the grid's.
  CHECK(expand_sweep(text, "e.yaml", {"dataset.steps=80", "dataset.trajectories=3", "dataset.noise=0"}).size() == 2);
  // The quickstart-style case of the issue: one rank, one run.
  const auto one =
      expand_sweep(std::string(base) + "sweep:\n  grid:\n    estimator.rank: [4, 7]\n", "e.yaml", {"estimator.rank=7"});
  REQUIRE(one.size() == 1);
  CHECK(one[0].params.empty());
  CHECK(one[0].config().child("estimator").get<int>("rank") == 7);
}

TEST_CASE("every run has a stable hash of its resolved config") {
  const std::string text = std::string(base) + "sweep:\n  seeds: 3\n";
  const auto first = expand_sweep(text, "e.yaml", {});
  const auto second = expand_sweep(text, "e.yaml", {});
  REQUIRE(first.size() == 3);
  CHECK(first[0].hash == second[0].hash);
  CHECK(first[0].hash != first[1].hash);
  CHECK(first[1].hash != first[2].hash);
  CHECK(first[0].hash.size() == 16);
}

TEST_CASE("unknown sweep keys and malformed overrides are errors") {
  CHECK_THROWS_WITH_AS(
      expand_sweep(std::string(base) + "sweep:\n  seed: 3\n", "e.yaml", {}),
      "e.yaml:8:9: sweep.seed: unknown key 'seed' in sweep (did you mean 'seeds'?); expected grid, zip or seeds",
      kooplab::ConfigError);
  CHECK_THROWS_WITH_AS(expand_sweep(base, "e.yaml", {"rank"}), "override 'rank': expected key.path=value",
                       kooplab::ConfigError);
  CHECK_THROWS_AS(expand_sweep(base, "e.yaml", {"a..b=1"}), kooplab::ConfigError);
}

TEST_CASE("a sweep over the run limit is refused before it is expanded, with its count") {
  CHECK_THROWS_WITH_AS(expand_sweep(std::string(base) + "sweep:\n  seeds: 2000000\n", "e.yaml", {}),
                       "e.yaml: the sweep has 2000000 runs (2000000 (seeds)), more than the limit of 1000000",
                       kooplab::ConfigError);
  // 10^3 × 10^3 × 10^3 × 2 seeds: refused at once, nothing of it built.
  std::string thousand = "0";
  for (int i = 1; i < 1000; ++i) thousand += "," + std::to_string(i);
  CHECK_THROWS_WITH_AS(expand_sweep(std::string(base) + "sweep:\n  seeds: 2\n", "e.yaml",
                                    {"a.b=" + thousand, "a.c=" + thousand, "a.d=" + thousand}),
                       "e.yaml: the sweep has 2000000000 runs (1000 (a.b) × 1000 (a.c) × 1000 (a.d) × 2 (seeds)), "
                       "more than the limit of 1000000",
                       kooplab::ConfigError);
}

TEST_CASE("a run's config, made again when asked for, is the one its hash was taken of") {
  const std::string text = std::string(base) + "sweep:\n  grid:\n    estimator.rank: [1, 2]\n  seeds: 2\n";
  for (const auto& run : expand_sweep(text, "e.yaml", {"dataset.noise=0.5"})) {
    CHECK(run.hash == kooplab::hex_digest(kooplab::stable_hash(run.config().dump())));
    CHECK(run.config().get<std::uint64_t>("seed") == run.seed);
  }
}

TEST_CASE(
    "command-line sweeps: empty values and the sweep section itself are refused; a fixed key below a swept one wins") {
  CHECK_THROWS_WITH_AS(expand_sweep(base, "e.yaml", {"estimator.rank=2,,4"}),
                       "override 'estimator.rank=2,,4': value 2 of 3 is empty", kooplab::ConfigError);
  CHECK_THROWS_WITH_AS(expand_sweep(base, "e.yaml", {"sweep.grid={estimator.rank: [1, 2]}"}),
                       doctest::Contains("the sweep's grid and zip are read from the config only"),
                       kooplab::ConfigError);
  CHECK(expand_sweep(std::string(base) + "sweep:\n  seeds: 2\n", "e.yaml", {"sweep.seeds=3"}).size() == 3);
  // A grid of whole estimator sections with estimator.rank fixed on the command line.
  const std::string sections =
      std::string(base) + "sweep:\n  grid:\n    estimator: [{name: dmd, rank: 1}, {name: dmd_rrr, rank: 2}]\n";
  const auto runs = expand_sweep(sections, "e.yaml", {"estimator.rank=5"});
  REQUIRE(runs.size() == 2);
  for (const auto& run : runs) CHECK(run.config().child("estimator").get<int>("rank") == 5);
  CHECK(runs[1].config().child("estimator").get<std::string>("name") == "dmd_rrr");
}
