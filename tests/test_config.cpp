// Config: typed access and error messages that name file, line, column and key path.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "kooplab/config.hpp"
#include "kooplab/config_limits.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "support.hpp"

using kooplab::Config;
using kooplab::ConfigError;

namespace {

using kooplab::testing::config_error_of;

const char* const experiment = R"(seed: 3
estimator:
  name: dmd
  rank: four
dataset:
  name: linear_system
  matrix: [[0.5, 1], [0, 0.25]]
)";

}  // namespace

TEST_CASE("typed values are read with their types") {
  const Config config = Config::parse(experiment, "exp.yaml");
  CHECK(config.get<int>("seed") == 3);
  CHECK(config.child("estimator").get<std::string>("name") == "dmd");
  const arma::mat a = config.child("dataset").get<arma::mat>("matrix");
  CHECK(a.n_rows == 2);
  CHECK(a(0, 1) == 1.0);
  CHECK(a(1, 1) == 0.25);
  CHECK(config.get_or<double>("missing", 7.5) == 7.5);
  CHECK(config.child("estimator").key_path("rank") == "estimator.rank");
}

TEST_CASE("a wrong type names file, line, column, key path and what was expected") {
  const Config config = Config::parse(experiment, "exp.yaml");
  const std::string message = config_error_of([&] { config.child("estimator").get<int>("rank"); });
  CHECK(message == "exp.yaml:4:9: estimator.rank: expected an integer, got 'four'");
}

TEST_CASE("broken YAML names file, line and column") {
  const std::string message = config_error_of([] { Config::parse("a: 1\nb: [1, 2\nc: 3\n", "broken.yaml"); });
  CHECK(message.starts_with("broken.yaml:"));
  CHECK(message.find("broken YAML") != std::string::npos);
  const std::string line_col = message.substr(std::string("broken.yaml:").size(), 3);
  CHECK(line_col.front() >= '2');  // the error is reported at or after the unclosed list on line 2
}

TEST_CASE("an unknown key is reported with a did-you-mean suggestion") {
  const Config config = Config::parse("estimator:\n  name: dmd\n  rnak: 3\n", "exp.yaml");
  const std::string message =
      config_error_of([&] { kooplab::testing::plugins().create<kooplab::Estimator>(config.child("estimator")); });
  CHECK(message == "exp.yaml:3:3: estimator.rnak: unknown key (did you mean 'rank'?)");
}

TEST_CASE("an unknown plugin lists the known plugins of its kind") {
  const Config config = Config::parse("estimator:\n  name: dnd\n", "exp.yaml");
  const std::string message =
      config_error_of([&] { kooplab::testing::plugins().create<kooplab::Estimator>(config.child("estimator")); });
  CHECK(message.starts_with(
      "exp.yaml:2:9: estimator.name: unknown estimator plugin 'dnd' (did you mean 'dmd'?); known estimator plugins: "));
  CHECK(message.find("dmd") != std::string::npos);
}

TEST_CASE("a missing required key and a missing section are named") {
  const Config config = Config::parse("estimator:\n  rank: 2\n", "exp.yaml");
  CHECK(config_error_of([&] { config.child("estimator").get<std::string>("name"); }) ==
        "exp.yaml:2:3: estimator.name: missing key (expected a string)");
  CHECK(config_error_of([&] { config.child("dataset"); }).find("dataset: missing section") != std::string::npos);
  CHECK(config_error_of([&] { config.items("layers"); }).find("layers: expected a list of maps") != std::string::npos);
}

TEST_CASE("matrices must be rectangular lists of numbers") {
  const Config config = Config::parse("m: [[1, 2], [3]]\nn: [[1, x]]\n", "exp.yaml");
  CHECK(config_error_of([&] { config.get<arma::mat>("m"); }) ==
        "exp.yaml:1:13: m[1]: row has 1 entries, the first row has 2");
  CHECK(config_error_of([&] { config.get<arma::mat>("n"); }) == "exp.yaml:2:9: n[0][1]: expected numbers, got 'x'");
}

TEST_CASE("a key written with brackets in the file is located as itself, not read as a list index") {
  const Config config = Config::parse("a: [1, 2]\n\"b[x\": [3]\n\"c[1]\": 4\n", "exp.yaml");
  CHECK(config_error_of([&] { config.child("b[x"); }) == "exp.yaml:2:8: b[x: expected a map, got a list");
  CHECK(config_error_of([&] { config.child("c[1]"); }).starts_with("exp.yaml:3:9: c[1]: expected a map"));
  CHECK(config_error_of([&] { config.get<std::string>("a[7]"); }).starts_with("exp.yaml:1:4: a[7]:"));
}

TEST_CASE("values set on the command line are located as such") {
  Config config = Config::parse("estimator:\n  name: dmd\n", "exp.yaml");
  config.set("estimator.rank", "abc");
  CHECK(config_error_of([&] { config.child("estimator").get<int>("rank"); }) ==
        "exp.yaml (set by an override or sweep): estimator.rank: expected an integer, got 'abc'");
  config.set("new.nested.key", "[1, 2]");
  CHECK(config.child("new").child("nested").get<std::vector<int>>("key") == std::vector<int>{1, 2});
}

TEST_CASE("a missing config file is reported by name") {
  CHECK(config_error_of([] { Config::load_file("/nonexistent/exp.yaml"); }) ==
        "/nonexistent/exp.yaml: cannot open config file");
}

TEST_CASE("YAML aliases: a bomb and an alias inside its own anchor are refused, not followed") {
  // Nine levels of ten aliases stand for 10^9 values in a few lines.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 9; ++level) {
    bomb += fmt::format("a{}: &a{} [", level, level);
    for (int k = 0; k < 10; ++k) bomb += fmt::format("{}*a{}", k ? ", " : "", level - 1);
    bomb += "]\n";
  }
  CHECK(config_error_of([&] {
          Config::parse(bomb, "bomb.yaml");
        }).find("the config expands to more than 100000 values") != std::string::npos);
  // An anchored section that contains its alias: a cycle.
  const std::string cycle = "observable: &o\n  name: concat\n  parts: [*o]\n";
  CHECK(config_error_of([&] { Config::parse(cycle, "cycle.yaml"); }).find("the config nests deeper than 64 levels") !=
        std::string::npos);
  // Deep nesting without aliases is refused by the same limit (or by yaml-cpp's parser guard).
  const std::string deep = "a: " + std::string(100, '[') + std::string(100, ']') + "\n";
  CHECK(config_error_of([&] { Config::parse(deep, "deep.yaml"); }).starts_with("deep.yaml:"));
  // The same limits hold for a value set on the command line.
  Config config = Config::parse("a: 1\n", "e.yaml");
  CHECK(config_error_of([&] { config.set("b", "&x [*x]"); }).find("nests deeper than") != std::string::npos);
}

TEST_CASE("duplicate keys, complex keys and a second document are errors with their position") {
  CHECK(config_error_of([] { Config::parse("seed: 1\nestimator:\n  name: dmd\n  name: edmd\n", "dup.yaml"); }) ==
        "dup.yaml:4:3: duplicate key 'name' in one map");
  CHECK(config_error_of([] { Config::parse("seed: 1\n[a, b]: 2\n", "complex.yaml"); }) ==
        "complex.yaml:2:1: a key must be a plain word, got a list");
  CHECK(config_error_of([] { Config::parse("seed: 1\n---\nseed: 2\n", "two.yaml"); }) ==
        "two.yaml:3:1: a second YAML document (after '---'); a config is one document");
}
