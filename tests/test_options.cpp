// kooplab::Options: typed reads with defaults, checks and rules whose errors
// name file:line:column and the dotted key, and the docs `kooplab plugins`
// prints, generated from the same declaration.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>

#include "kooplab/config.hpp"
#include "kooplab/error.hpp"
#include "kooplab/options.hpp"
#include "support.hpp"

using kooplab::Config;
using kooplab::Options;

namespace {

using kooplab::testing::config_error_of;

enum class Method { gram, svd };

// A value type that reads itself: "low..high".
struct Interval {
  double low = 0.0, high = 1.0;

  static Interval read_option(const Config& section, std::string_view key) {
    const auto ends = section.get<std::vector<double>>(key);
    if (ends.size() != 2) section.fail(key, "expected [low, high]");
    return {ends[0], ends[1]};
  }
  static std::string option_type() { return "[low, high]"; }
  std::string option_text() const { return fmt::format("[{}, {}]", low, high); }
};

struct Group {
  int repeats = 3;
  bool flag = false;
};

const Options<Group>& group_options() {
  static const auto options = Options<Group>()
                                  .add("repeats", &Group::repeats, "how many", kooplab::at_least(1))
                                  .add("flag", &Group::flag, "a switch");
  return options;
}

struct Inner {
  double lr = 0.1;
  std::optional<int> steps, epochs;
};

const Options<Inner>& inner_options() {
  static const auto options = Options<Inner>()
                                  .add("lr", &Inner::lr, "step size", kooplab::greater_than(0))
                                  .add("steps", &Inner::steps, "steps in all")
                                  .add("epochs", &Inner::epochs, "passes over the data")
                                  .at_most_one_of({"steps", "epochs"});
  return options;
}

struct Settings {
  bool enabled = true;
  int count = 2;
  std::int64_t offset = -5;
  std::uint32_t seed = 7;
  std::uint64_t big_seed = 0;
  arma::uword size = 4;
  double tolerance = 1e-12;
  std::string label = "x";
  std::vector<int> starts{0};
  std::vector<double> weights;
  std::vector<std::string> names;
  arma::vec domain{0.0, 2.0};
  arma::mat matrix;
  std::optional<double> dt;
  std::filesystem::path file;
  std::optional<kooplab::ComplexList> eigenvalues;
  Interval interval;
  Method method = Method::gram;
  Group group{.repeats = 9};
  Inner inner;
};

const Options<Settings>& options() {
  static const auto options =
      Options<Settings>()
          .add("enabled", &Settings::enabled, "on or off")
          .add("count", &Settings::count, "a count", kooplab::at_least(1))
          .add("offset", &Settings::offset, "may be negative")
          .add("seed", &Settings::seed, "a 32-bit seed")
          .add("big_seed", &Settings::big_seed, "a 64-bit seed")
          .add("size", &Settings::size, "unsigned, checked", kooplab::at_least(1))
          .add("tolerance", &Settings::tolerance, "a fraction", kooplab::in_left_open(0, 1))
          .add("label", &Settings::label, "a string")
          .add("starts", &Settings::starts, "integers", kooplab::each_at_least(0))
          .add("weights", &Settings::weights, "numbers")
          .add("names", &Settings::names, "strings")
          .add("domain", &Settings::domain, "an interval")
          .add("matrix", &Settings::matrix, "a square matrix", kooplab::square())
          .add("dt", &Settings::dt, "optional", kooplab::greater_than(0))
          .add("file", &Settings::file, "relative to the config file")
          .add("eigenvalues", &Settings::eigenvalues, "complex numbers", kooplab::non_empty<kooplab::ComplexList>())
          .add("interval", &Settings::interval, "reads itself")
          .choice("method", &Settings::method, {{"gram", Method::gram}, {"svd", Method::svd}}, "how")
          .include(&Settings::group, group_options())
          .section("inner", &Settings::inner, inner_options(), "a sub-section");
  return options;
}

// The section `s` of a file t.yaml in /data/run, and the settings read from it.
Config section_of(const std::string& yaml) { return Config::parse("s:\n" + yaml, "/data/run/t.yaml").child("s"); }
Settings read(const std::string& yaml) { return options().read(section_of(yaml)); }
std::string read_error(const std::string& yaml) {
  return config_error_of([&] { read(yaml); });
}

}  // namespace

TEST_CASE("each supported value type is read with its type") {
  const Settings s = read(R"(  enabled: false
  count: 12
  offset: -40
  seed: 4294967295
  big_seed: 18446744073709551615
  size: 3
  tolerance: 0.5
  label: hello
  starts: [0, 4, 9]
  weights: [0.5, -1.5]
  names: [a, b]
  domain: [-1, 3]
  matrix: [[1, 2], [3, 4]]
  dt: 0.25
  file: sub/data.csv
  eigenvalues: [0.9, [0.8, -0.3]]
  interval: [2, 5]
  method: svd
)");
  CHECK_FALSE(s.enabled);
  CHECK(s.count == 12);
  CHECK(s.offset == -40);
  CHECK(s.seed == 4294967295u);
  CHECK(s.big_seed == std::numeric_limits<std::uint64_t>::max());
  CHECK(s.size == 3);
  CHECK(s.tolerance == 0.5);
  CHECK(s.label == "hello");
  CHECK(s.starts == std::vector<int>{0, 4, 9});
  CHECK(s.weights == std::vector<double>{0.5, -1.5});
  CHECK(s.names == std::vector<std::string>{"a", "b"});
  CHECK(arma::approx_equal(s.domain, arma::vec{-1, 3}, "absdiff", 0.0));
  CHECK(arma::approx_equal(s.matrix, arma::mat{{1, 2}, {3, 4}}, "absdiff", 0.0));
  REQUIRE(s.dt.has_value());
  CHECK(*s.dt == 0.25);
  CHECK(s.file == std::filesystem::path("/data/run/sub/data.csv"));
  REQUIRE(s.eigenvalues.has_value());
  CHECK(*s.eigenvalues == kooplab::ComplexList{{0.9, 0.0}, {0.8, -0.3}});
  CHECK(s.interval.low == 2.0);
  CHECK(s.interval.high == 5.0);
  CHECK(s.method == Method::svd);
}

TEST_CASE("absent keys, and keys set to null, keep the defaults") {
  for (const std::string yaml : {"  {}\n", "  count: ~\n  method: ~\n  inner: ~\n"}) {
    CAPTURE(yaml);
    const Settings s = read(yaml);
    CHECK(s.enabled);
    CHECK(s.count == 2);
    CHECK(s.offset == -5);
    CHECK(s.seed == 7);
    CHECK(s.size == 4);
    CHECK(s.tolerance == 1e-12);
    CHECK(s.label == "x");
    CHECK(s.starts == std::vector<int>{0});
    CHECK(s.weights.empty());
    CHECK(arma::approx_equal(s.domain, arma::vec{0, 2}, "absdiff", 0.0));
    CHECK(s.matrix.is_empty());
    CHECK_FALSE(s.dt.has_value());
    CHECK(s.file.empty());
    CHECK_FALSE(s.eigenvalues.has_value());
    CHECK(s.interval.high == 1.0);
    CHECK(s.method == Method::gram);
    CHECK(s.group.repeats == 9);  // the including struct's default, not Group's 3
    CHECK(s.inner.lr == 0.1);
    CHECK_FALSE(s.inner.steps.has_value());
  }
}

TEST_CASE("require: a missing key is named with what it expects") {
  struct Needs {
    int rank = 0;
  };
  const auto needs = Options<Needs>().require("rank", &Needs::rank, "the rank", kooplab::at_least(1));
  CHECK(needs.read(section_of("  rank: 3\n")).rank == 3);
  CHECK(config_error_of([&] { needs.read(section_of("  other: 1\n")); }) ==
        "/data/run/t.yaml:2:3: s.rank: missing key (expected an integer)");
  CHECK(config_error_of([&] { needs.read(section_of("  rank: 0\n")); }) ==
        "/data/run/t.yaml:2:9: s.rank: expected an integer ≥ 1, got 0");
  CHECK(needs.docs().front().default_value == "required");
  struct NeedsCount {
    arma::uword steps = 0;
  };
  const auto count = Options<NeedsCount>().require("steps", &NeedsCount::steps, "the steps");
  CHECK(config_error_of([&] { count.read(section_of("  other: 1\n")); }) ==
        "/data/run/t.yaml:2:3: s.steps: missing key (expected a non-negative integer)");
}

TEST_CASE("numeric checks name file:line:column, the dotted key, the range and the value") {
  CHECK(read_error("  tolerance: 2\n") == "/data/run/t.yaml:2:14: s.tolerance: expected a number in (0, 1], got 2");
  CHECK(read_error("  tolerance: 0\n") == "/data/run/t.yaml:2:14: s.tolerance: expected a number in (0, 1], got 0");
  CHECK(read_error("  count: 0\n") == "/data/run/t.yaml:2:10: s.count: expected an integer ≥ 1, got 0");
  CHECK(read_error("  dt: -0.5\n") == "/data/run/t.yaml:2:7: s.dt: expected a number > 0, got -0.5");
  CHECK(read_error("  starts: [0, -2]\n") ==
        "/data/run/t.yaml:2:11: s.starts: expected a list of integers with every entry ≥ 0, got [0, -2]");
  CHECK(read_error("  matrix: [[1, 2]]\n") ==
        "/data/run/t.yaml:2:11: s.matrix: expected a matrix (list of rows) that is square, got 1×2 matrix");
  CHECK(read_error("  eigenvalues: []\n") ==
        "/data/run/t.yaml:2:16: s.eigenvalues: expected a list of numbers or [re, im] pairs with at least one entry, "
        "got []");
  // Keys of a sub-section carry its name.
  CHECK(read_error("  inner:\n    lr: 0\n") == "/data/run/t.yaml:3:9: s.inner.lr: expected a number > 0, got 0");
  // Wrong types are reported by the typed read.
  CHECK(read_error("  count: 2.5\n") == "/data/run/t.yaml:2:10: s.count: expected an integer, got '2.5'");
  CHECK(read_error("  tolerance: small\n") == "/data/run/t.yaml:2:14: s.tolerance: expected a number, got 'small'");
}

TEST_CASE("integers are range-checked for their member's type; unsigned members refuse negative values") {
  CHECK(read_error("  seed: -1\n") == "/data/run/t.yaml:2:9: s.seed: expected a non-negative integer, got -1");
  CHECK(read_error("  seed: 4294967296\n") ==
        "/data/run/t.yaml:2:9: s.seed: expected an integer ≤ 4294967295, got 4294967296");
  CHECK(read_error("  size: -3\n") == "/data/run/t.yaml:2:9: s.size: expected a non-negative integer, got -3");
  CHECK(read_error("  big_seed: -1\n") == "/data/run/t.yaml:2:13: s.big_seed: expected a non-negative integer, got -1");
  CHECK(read_error("  count: 3000000000\n") ==
        "/data/run/t.yaml:2:10: s.count: expected an integer in [-2147483648, 2147483647], got 3000000000");
  CHECK(read("  offset: -9000000000\n").offset == -9000000000);
  CHECK(read("  seed: 0\n").seed == 0);
}

TEST_CASE("NaN and infinities are refused, alone, in lists, in matrices and in complex lists") {
  CHECK(read_error("  tolerance: .nan\n") == "/data/run/t.yaml:2:14: s.tolerance: expected a finite number, got nan");
  CHECK(read_error("  dt: .inf\n") == "/data/run/t.yaml:2:7: s.dt: expected a finite number, got inf");
  CHECK(read_error("  weights: [1, -.inf]\n") == "/data/run/t.yaml:2:12: s.weights: expected finite numbers, got -inf");
  CHECK(read_error("  domain: [.nan, 1]\n") == "/data/run/t.yaml:2:11: s.domain: expected finite numbers, got nan");
  CHECK(read_error("  matrix: [[1, .nan], [0, 1]]\n") ==
        "/data/run/t.yaml:2:11: s.matrix: expected finite numbers, got nan");
  CHECK(read_error("  eigenvalues: [0.5, [.nan, 1]]\n") ==
        "/data/run/t.yaml:2:22: s.eigenvalues[1]: expected finite numbers");
  CHECK(read_error("  tolerance: nan\n") == "/data/run/t.yaml:2:14: s.tolerance: expected a number, got 'nan'");
}

TEST_CASE("complex lists: numbers and [re, im] pairs; a bad entry is named by its index") {
  CHECK(read_error("  eigenvalues: [0.5, [1, 2, 3]]\n") ==
        "/data/run/t.yaml:2:22: s.eigenvalues[1]: expected a number or [re, im]");
  CHECK(read_error("  eigenvalues: [x]\n") == "/data/run/t.yaml:2:17: s.eigenvalues[0]: expected a number or [re, im]");
  CHECK(read_error("  eigenvalues: 0.5\n") ==
        "/data/run/t.yaml:2:16: s.eigenvalues: expected a list of numbers or [re, im] pairs");
}

TEST_CASE("choice: one message format with did-you-mean, for Options, read_word and parse_word") {
  CHECK(read_error("  method: svv\n") ==
        "/data/run/t.yaml:2:11: s.method: expected one of gram, svd, got 'svv' (did you mean 'svd'?)");
  CHECK(read_error("  method: qr\n") == "/data/run/t.yaml:2:11: s.method: expected one of gram, svd, got 'qr'");
  const kooplab::Words<Method> words{{"gram", Method::gram}, {"svd", Method::svd}};
  const Config section = section_of("  how: grma\n");
  CHECK(config_error_of([&] { kooplab::read_word(section, "how", words, Method::svd); }) ==
        "/data/run/t.yaml:2:8: s.how: expected one of gram, svd, got 'grma' (did you mean 'gram'?)");
  CHECK(kooplab::read_word(section, "absent", words, Method::svd) == Method::svd);
  CHECK(config_error_of([&] { kooplab::parse_word(words, "sdv", "where"); }) ==
        "where: expected one of gram, svd, got 'sdv' (did you mean 'svd'?)");
  CHECK(kooplab::parse_word(words, "svd", "where") == Method::svd);
}

TEST_CASE("exactly_one_of and at_most_one_of say which keys were given") {
  struct Either {
    std::optional<int> degree;
    std::optional<std::vector<int>> exponents;
  };
  const auto either = Options<Either>()
                          .add("degree", &Either::degree, "a degree")
                          .add("exponents", &Either::exponents, "exponents")
                          .exactly_one_of({"degree", "exponents"});
  CHECK(either.read(section_of("  degree: 2\n")).degree == 2);
  CHECK(config_error_of([&] { either.read(section_of("  other: 1\n")); }) ==
        "/data/run/t.yaml:2:3: s: give exactly one of degree, exponents (none given)");
  CHECK(config_error_of([&] { either.read(section_of("  degree: 2\n  exponents: [1]\n")); }) ==
        "/data/run/t.yaml:2:3: s: give exactly one of degree, exponents (given: degree, exponents)");
  CHECK(read("  inner: {steps: 10}\n").inner.steps == 10);
  CHECK(read_error("  inner: {steps: 10, epochs: 2}\n") ==
        "/data/run/t.yaml:2:10: s.inner: give at most one of steps, epochs (given: steps, epochs)");
}

TEST_CASE("include reads a shared group in the same section and shows the including struct's defaults") {
  const Settings s = read("  repeats: 5\n  flag: true\n");
  CHECK(s.group.repeats == 5);
  CHECK(s.group.flag);
  CHECK(read_error("  repeats: 0\n") == "/data/run/t.yaml:2:12: s.repeats: expected an integer ≥ 1, got 0");
  const auto docs = options().docs();
  const auto repeats =
      std::find_if(docs.begin(), docs.end(), [](const kooplab::OptionDoc& row) { return row.key == "repeats"; });
  REQUIRE(repeats != docs.end());
  CHECK(repeats->default_value == "9");
  CHECK(group_options().docs().front().default_value == "3");
}

TEST_CASE("section: absent keeps the defaults, present is read, its keys are documented with its name") {
  const Settings s = read("  inner:\n    lr: 0.5\n    epochs: 3\n");
  CHECK(s.inner.lr == 0.5);
  CHECK(s.inner.epochs == 3);
  CHECK(read_error("  inner: 3\n") == "/data/run/t.yaml:2:10: s.inner: expected a map, got '3'");
  std::vector<std::string> keys;
  for (const auto& row : options().docs()) keys.push_back(row.key);
  const std::vector<std::string> tail(keys.end() - 5, keys.end());
  CHECK(tail ==
        std::vector<std::string>{"inner", "inner.lr", "inner.steps", "inner.epochs", "inner.steps, inner.epochs"});
}

TEST_CASE("docs(): one row per key with type, default and doc, rules last") {
  const auto docs = options().docs();
  const auto row = [&](const std::string& key) {
    const auto found =
        std::find_if(docs.begin(), docs.end(), [&](const kooplab::OptionDoc& entry) { return entry.key == key; });
    REQUIRE(found != docs.end());
    return *found;
  };
  const auto check_row = [&](const std::string& key, const std::string& type, const std::string& shown,
                             const std::string& doc) {
    CAPTURE(key);
    const kooplab::OptionDoc entry = row(key);
    CHECK(entry.type == type);
    CHECK(entry.default_value == shown);
    CHECK(entry.doc == doc);
  };
  check_row("enabled", "true | false", "true", "on or off");
  check_row("count", "integer ≥ 1", "2", "a count");
  check_row("seed", "integer ≥ 0", "7", "a 32-bit seed");
  check_row("size", "integer ≥ 1", "4", "unsigned, checked");
  check_row("tolerance", "number in (0, 1]", "1e-12", "a fraction");
  check_row("label", "string", "x", "a string");
  check_row("starts", "list of integers with every entry ≥ 0", "[0]", "integers");
  check_row("names", "list of strings", "[]", "strings");
  check_row("domain", "list of numbers", "[0, 2]", "an interval");
  check_row("matrix", "matrix (list of rows) that is square", "—", "a square matrix");
  check_row("dt", "number > 0", "—", "optional");
  check_row("file", "path", "\"\"", "relative to the config file");
  check_row("eigenvalues", "list of numbers or [re, im] pairs with at least one entry", "—", "complex numbers");
  check_row("interval", "[low, high]", "[0, 1]", "reads itself");
  check_row("method", "gram | svd", "gram", "how");
  check_row("inner", "section", "{}", "a sub-section");
  check_row("inner.lr", "number > 0", "0.1", "step size");
  check_row("inner.steps, inner.epochs", "rule", "", "give at most one of these");

  struct Shown {
    std::optional<std::uint64_t> split_seed;
  };
  const auto shown =
      Options<Shown>().add("split_seed", &Shown::split_seed, "draws the split").shown_default("the run's");
  CHECK(shown.docs().front().default_value == "the run's");
}

TEST_CASE("unknown keys are still reported by check_all_keys_used after an Options read") {
  const Config root = Config::parse("s:\n  count: 3\n  tolerence: 0.1\n  inner: {lr: 0.2, epoch: 1}\n", "t.yaml");
  options().read(root.child("s"));
  CHECK(config_error_of([&] { root.check_all_keys_used(); }) ==
        "t.yaml:3:3: s.tolerence: unknown key (did you mean 'tolerance'?)");
  const Config inner = Config::parse("s:\n  inner: {lr: 0.2, epoch: 1}\n", "t.yaml");
  options().read(inner.child("s"));
  CHECK(config_error_of([&] { inner.check_all_keys_used(); }) ==
        "t.yaml:2:20: s.inner.epoch: unknown key (did you mean 'epochs'?)");
}
