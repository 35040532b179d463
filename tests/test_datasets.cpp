// The dataset plugins yinyang, multiscale_signal, mnist and fashion_mnist:
// reference numbers, geometry, the noise model of Eq. (9), seeded splits, and
// the real MNIST / Fashion-MNIST files when scripts/fetch-datasets.sh has run;
// and the values every dataset refuses.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <numbers>
#include <set>

#include "build_paths.hpp"
#include "kooplab/data/expression.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/koopman/exact_dmd.hpp"
#include "support.hpp"

namespace {

using kooplab::Dataset;
using kooplab::testing::contains;
using kooplab::testing::error_of;
using kooplab::testing::make;
using std::numbers::pi;

arma::uvec class_counts(const kooplab::LabeledSet& set, arma::uword classes) {
  arma::uvec counts(classes, arma::fill::zeros);
  for (const arma::uword label : set.labels) ++counts(label);
  return counts;
}

kooplab::LabeledData labeled(const std::string& yaml, std::uint64_t seed = 0) {
  kooplab::Rng rng(seed);
  return make<Dataset>(yaml)->labeled(rng);
}

}  // namespace

TEST_CASE("yinyang reproduces the reference generator: class counts and samples, bit for bit") {
  const auto data = labeled("name: yinyang");
  CHECK(data.classes == 3);
  REQUIRE(data.train.inputs.n_cols == 5000);
  REQUIRE(data.validation.inputs.n_cols == 1000);
  REQUIRE(data.test.inputs.n_cols == 1000);
  // Class counts of the train set stated by Kriener et al. (seed 42).
  CHECK(arma::all(class_counts(data.train, 3) == arma::uvec{1681, 1702, 1617}));
  // First and last samples and counts of each set, printed by NumPy 1.24's
  // RandomState driving the reference algorithm (x, y, class).
  struct Expected {
    const kooplab::LabeledSet* set;
    arma::uvec counts;
    double x0, y0;
    arma::uword c0;
    double x1, y1;
    arma::uword c1;
  };
  const std::vector<Expected> expected{{&data.train,
                                        {1681, 1702, 1617},
                                        0.6803075385877797,
                                        0.450499251969543,
                                        2,
                                        0.7690797231107925,
                                        0.5883389337522971,
                                        2},
                                       {&data.validation,
                                        {316, 336, 348},
                                        0.6805727261759029,
                                        0.3209733938933629,
                                        0,
                                        0.7107040957004825,
                                        0.804733352731108,
                                        1},
                                       {&data.test,
                                        {350, 316, 334},
                                        0.23409664559563403,
                                        0.4017249751828972,
                                        2,
                                        0.32834060537145815,
                                        0.3899830419619741,
                                        1}};
  for (const Expected& e : expected) {
    const arma::mat& x = e.set->inputs;
    CHECK(arma::all(class_counts(*e.set, 3) == e.counts));
    CHECK(x(0, 0) == e.x0);
    CHECK(x(1, 0) == e.y0);
    CHECK(e.set->labels(0) == e.c0);
    CHECK(x(0, x.n_cols - 1) == e.x1);
    CHECK(x(1, x.n_cols - 1) == e.y1);
    CHECK(e.set->labels(x.n_cols - 1) == e.c1);
  }
}

TEST_CASE("yinyang geometry: big circle, dots of radius r_small, halves of radius r_big/2, mirrored features") {
  const auto data = labeled("name: yinyang\nvalidation_size: 0\ntest_size: 0");
  CHECK(data.validation.inputs.is_empty());
  CHECK(data.test.inputs.is_empty());
  const kooplab::LabeledSet& set = data.train;
  const double r_big = 0.5, r_small = 0.1;
  std::size_t violations = 0;
  for (arma::uword j = 0; j < set.inputs.n_cols; ++j) {
    const double x = set.inputs(0, j), y = set.inputs(1, j);
    const arma::uword c = set.labels(j);
    const double d_centre = std::hypot(x - r_big, y - r_big);
    const double d_left = std::hypot(x - 0.5 * r_big, y - r_big), d_right = std::hypot(x - 1.5 * r_big, y - r_big);
    const bool in_dot = d_left < r_small || d_right < r_small;
    violations += d_centre > r_big;                              // inside the symbol
    violations += (c == 2) != in_dot;                            // dots and only dots are class 2
    violations += c == 1 && y < r_big && d_left > 0.5 * r_big;   // yang below the axis: left half-disc only
    violations += c == 0 && y > r_big && d_right > 0.5 * r_big;  // yin above the axis: right half-disc only
    violations += set.inputs(2, j) != 1.0 - x || set.inputs(3, j) != 1.0 - y;
    violations += set.targets(c, j) != 1.0 || arma::accu(set.targets.col(j)) != 1.0;
  }
  CHECK(violations == 0);
}

TEST_CASE("yinyang binary (classes: 2, mirrored: false): the layers-as-linear-operations authors' task, bit for bit") {
  // Their training set (2000 samples, seed 42) and Koopman test set (4000, seed 123).
  const auto data = labeled(
      "name: yinyang\nclasses: 2\nmirrored: false\ntrain_size: 2000\nvalidation_size: 0\ntest_size: 4000\n"
      "test_seed: 123");
  CHECK(data.classes == 2);
  REQUIRE(data.train.inputs.n_rows == 2);
  REQUIRE(data.train.targets.n_rows == 2);
  // Counts and first and last samples (x, y, class) printed by NumPy 1.24's
  // RandomState driving the same rejection sampling with randint(2).
  CHECK(arma::all(class_counts(data.train, 2) == arma::uvec{999, 1001}));
  CHECK(arma::all(class_counts(data.test, 2) == arma::uvec{1997, 2003}));
  const arma::mat &train = data.train.inputs, &test = data.test.inputs;
  CHECK(train(0, 0) == 0.7965429868602328);
  CHECK(train(1, 0) == 0.1834347898661638);
  CHECK(train(0, 1999) == 0.6918185861250508);
  CHECK(train(1, 1999) == 0.12161815681964938);
  CHECK(test(0, 0) == 0.6908848550268617);
  CHECK(test(1, 3999) == 0.22848273498448457);
  CHECK(data.train.labels(0) == 0);
  CHECK(data.test.labels(3999) == 0);
  // No point in either dot.
  std::size_t in_dots = 0;
  for (const arma::mat* set : {&train, &test})
    for (arma::uword j = 0; j < set->n_cols; ++j)
      in_dots += std::hypot((*set)(0, j) - 0.25, (*set)(1, j) - 0.5) < 0.1 ||
                 std::hypot((*set)(0, j) - 0.75, (*set)(1, j) - 0.5) < 0.1;
  CHECK(in_dots == 0);
  CHECK(contains(error_of([] { make<Dataset>("name: yinyang\nclasses: 4"); }), "classes"));
}

TEST_CASE("yinyang options: sizes, seeds, radii and standardisation with training statistics") {
  const auto small = labeled("name: yinyang\ntrain_size: 30\nvalidation_size: 7\ntest_size: 9\ntrain_seed: 40");
  CHECK(small.train.inputs.n_cols == 30);
  CHECK(small.validation.inputs.n_cols == 7);
  CHECK(small.test.inputs.n_cols == 9);
  // train_seed 40 gives the reference test set's first sample.
  CHECK(small.train.inputs(0, 0) == 0.23409664559563403);

  const auto scaled = labeled("name: yinyang\nnormalize: standardize");
  CHECK(arma::abs(arma::mean(scaled.train.inputs, 1)).max() < 1e-12);
  CHECK(arma::abs(arma::stddev(scaled.train.inputs, 1, 1) - 1.0).max() < 1e-12);
  const auto raw = labeled("name: yinyang");
  // The test set moves by the training statistics, not its own.
  const arma::vec mean = arma::mean(raw.train.inputs, 1), sd = arma::stddev(raw.train.inputs, 1, 1);
  CHECK(std::abs(scaled.test.inputs(1, 5) - (raw.test.inputs(1, 5) - mean(1)) / sd(1)) < 1e-12);

  CHECK(contains(error_of([] { make<Dataset>("name: yinyang\nr_small: 0.3"); }), "r_small"));
  CHECK(contains(error_of([] { make<Dataset>("name: yinyang\ntrain_size: 0"); }), "train_size"));
  CHECK(contains(error_of([] { make<Dataset>("name: yinyang\nnormalize: l2"); }),
                 "expected one of none, unit, standardize, got 'l2'"));
}

TEST_CASE("multiscale_signal samples every function of Table 1 (koopman-mode-analysis.md) exactly") {
  const std::vector<std::pair<std::string, std::function<double(double)>>> table{
      {"sin(2*pi*x)", [](double x) { return std::sin(2 * pi * x); }},
      {"sin(20*pi*x)", [](double x) { return std::sin(20 * pi * x); }},
      {"sin(200*pi*x)", [](double x) { return std::sin(200 * pi * x); }},
      {"100*sin(20*pi*x)", [](double x) { return 100 * std::sin(20 * pi * x); }},
      {"40*cos(2*pi*x)", [](double x) { return 40 * std::cos(2 * pi * x); }},
      {"100*cos(20*pi*x)", [](double x) { return 100 * std::cos(20 * pi * x); }},
      {"sin(2*pi*x^2)", [](double x) { return std::sin(2 * pi * x * x); }},
      {"x + x^2 + x^3", [](double x) { return x + x * x + x * x * x; }},
      {"x + sin(2*pi*x^4)", [](double x) { return x + std::sin(2 * pi * x * x * x * x); }},
      {"cos(2*pi*x) + sin(20*pi*x)", [](double x) { return std::cos(2 * pi * x) + std::sin(20 * pi * x); }},
      {"cos(20*pi*x)*sin(15*pi*x)", [](double x) { return std::cos(20 * pi * x) * std::sin(15 * pi * x); }},
      {"cos(32*pi*x)^3", [](double x) { return std::pow(std::cos(32 * pi * x), 3); }},
      {"sin(13*pi*x) + sin(17*pi*x) + sin(19*pi*x) + sin(23*pi*x)",
       [](double x) {
         return std::sin(13 * pi * x) + std::sin(17 * pi * x) + std::sin(19 * pi * x) + std::sin(23 * pi * x);
       }},
      {"sin(50*pi*x)*sin(20*pi*x)*cos(15*pi*x)",
       [](double x) { return std::sin(50 * pi * x) * std::sin(20 * pi * x) * std::cos(15 * pi * x); }},
      {"sin(40*pi*x)*cos(10*pi*x) + 3*sin(20*x)*sin(40*x)",
       [](double x) {
         return std::sin(40 * pi * x) * std::cos(10 * pi * x) + 3 * std::sin(20 * x) * std::sin(40 * x);
       }},
      {"sin(2*x)*cos(32*x)", [](double x) { return std::sin(2 * x) * std::cos(32 * x); }},
  };
  for (const auto& [text, h] : table) {
    CAPTURE(text);
    const auto data = labeled("name: multiscale_signal\npoints: 801\ntest_fraction: 0\nfunction: \"" + text + "\"");
    CHECK(data.classes == 0);
    CHECK(data.train.labels.is_empty());
    REQUIRE(data.train.inputs.n_cols == 801);
    REQUIRE(data.train.inputs.n_rows == 1);
    CHECK(data.train.inputs(0, 0) == 0.0);
    CHECK(data.train.inputs(0, 800) == 2.0);
    double worst = 0.0;
    for (arma::uword j = 0; j < 801; ++j) {
      const double x = data.train.inputs(0, j);
      CHECK(std::abs(x - 2.0 * double(j) / 800.0) < 1e-15);
      worst = std::max(worst, std::abs(data.train.targets(0, j) - h(x)) / (1.0 + std::abs(h(x))));
    }
    CHECK(worst < 1e-12);
  }
}

TEST_CASE("multiscale_signal noise follows Eq. (9): eps * (max h - min h) * N(0, 1), drawn after the split seed") {
  // h = 3x on [0, 2]: the range is 6 exactly, so η has standard deviation 6ε.
  const double eps = 0.1;
  const arma::uword n = 20001;
  const auto data = labeled("name: multiscale_signal\nfunction: 3*x\npoints: 20001\ntest_fraction: 0\nnoise: 0.1", 5);
  const arma::rowvec x = data.train.inputs.row(0);
  const arma::rowvec eta = data.train.targets.row(0) - 3.0 * x;
  // The run's stream: one draw seeds the split, then one N(0, 1) per grid point.
  kooplab::Rng rng(5);
  rng.split();
  const arma::rowvec z = rng.normal(n, 1).t();
  CHECK(arma::abs(eta - eps * 6.0 * z).max() < 1e-12);
  // And as a distribution: mean 0, standard deviation 0.6 (tolerances ≈ 5 standard errors).
  CHECK(std::abs(arma::mean(eta)) < 5 * 0.6 / std::sqrt(double(n)));
  CHECK(std::abs(arma::stddev(eta) - 0.6) < 5 * 0.6 / std::sqrt(2.0 * double(n)));

  // noise_on: train keeps validation and test targets clean.
  const auto clean_test =
      labeled("name: multiscale_signal\nfunction: 3*x\nnoise: 0.5\nnoise_on: train\nvalidation_fraction: 0.2", 5);
  CHECK(arma::abs(clean_test.test.targets - 3.0 * clean_test.test.inputs).max() < 1e-12);
  CHECK(arma::abs(clean_test.validation.targets - 3.0 * clean_test.validation.inputs).max() < 1e-12);
  CHECK(arma::abs(clean_test.train.targets - 3.0 * clean_test.train.inputs).max() > 0.1);
}

TEST_CASE("multiscale_signal splits partition the grid and are deterministic per seed") {
  const std::string base = "name: multiscale_signal\npoints: 200\nvalidation_fraction: 0.1\ntest_fraction: 0.25\n";
  const auto grid_positions = [](const kooplab::LabeledSet& set) {
    std::vector<long> out;
    for (const double x : set.inputs) out.push_back(std::lround(x * 199.0 / 2.0));
    return out;
  };
  const auto a = labeled(base + "split_seed: 3", 1);
  CHECK(a.train.inputs.n_cols == 130);
  CHECK(a.validation.inputs.n_cols == 20);
  CHECK(a.test.inputs.n_cols == 50);
  std::set<long> all;
  for (const auto* set : {&a.train, &a.validation, &a.test}) {
    const auto positions = grid_positions(*set);
    CHECK(std::is_sorted(positions.begin(), positions.end()));
    all.insert(positions.begin(), positions.end());
  }
  CHECK(all.size() == 200);  // disjoint and covering
  // split_seed fixes the split whatever the run seed; without it the run seed decides.
  CHECK(arma::approx_equal(labeled(base + "split_seed: 3", 9).test.inputs, a.test.inputs, "absdiff", 0.0));
  CHECK_FALSE(arma::approx_equal(labeled(base + "split_seed: 4", 1).test.inputs, a.test.inputs, "absdiff", 0.0));
  CHECK(arma::approx_equal(labeled(base, 7).test.inputs, labeled(base, 7).test.inputs, "absdiff", 0.0));
  CHECK_FALSE(arma::approx_equal(labeled(base, 7).test.inputs, labeled(base, 8).test.inputs, "absdiff", 0.0));
  // With noise 0 the split is the one of the noisy dataset at the same run seed.
  CHECK(arma::approx_equal(labeled(base + "noise: 0.3", 7).test.inputs, labeled(base, 7).test.inputs, "absdiff", 0.0));

  const auto unit = labeled(base + "normalize: unit\ndomain: [1, 5]", 2);
  CHECK(unit.train.inputs.min() == 0.0);
  CHECK(unit.train.inputs.max() == 1.0);
  CHECK(contains(error_of([&] { make<Dataset>(base + "function: sin(2*pi*x"); }), "expected ')'"));
  CHECK(contains(error_of([&] { make<Dataset>(base + "function: log(x)"); }), "not finite"));
  CHECK(contains(error_of([&] { make<Dataset>("name: multiscale_signal\ntest_fraction: 1"); }), "test_fraction"));
}

TEST_CASE("multiscale_signal trajectory: one 1 x T run whose delay-DMD eigenvalues are the signal's frequencies") {
  // cos(2πx) + sin(20πx) sampled with dt: s_t lies in the span of e^{±iω dt t},
  // ω ∈ {2π, 20π}, so exact DMD on 4 delays has eigenvalues e^{±iω dt}.
  kooplab::Rng rng(0);
  const auto data =
      make<Dataset>("name: multiscale_signal\nfunction: cos(2*pi*x) + sin(20*pi*x)\npoints: 401")->trajectories(rng);
  REQUIRE(data.runs.size() == 1);
  REQUIRE(data.runs[0].n_rows == 1);
  REQUIRE(data.runs[0].n_cols == 401);
  REQUIRE(data.dt.has_value());
  CHECK(*data.dt == doctest::Approx(0.005).epsilon(1e-14));
  const arma::rowvec s = data.runs[0].row(0);
  const arma::uword delays = 4, columns = s.n_elem - delays;
  arma::mat hankel(delays, columns + 1);
  for (arma::uword i = 0; i < delays; ++i) hankel.row(i) = s.subvec(i, i + columns);
  kooplab::RankRule rule;
  rule.kind = kooplab::RankRule::Kind::fixed;
  rule.fixed_rank = 4;
  const auto model =
      kooplab::exact_dmd(hankel.cols(0, columns - 1), hankel.cols(1, columns), hankel.col(0), rule, "test");
  arma::vec angles = arma::sort(arma::abs(arma::arg(model.eigenvalues)));
  CHECK(angles(0) == doctest::Approx(2 * pi * 0.005).epsilon(1e-8));
  CHECK(angles(1) == doctest::Approx(2 * pi * 0.005).epsilon(1e-8));
  CHECK(angles(2) == doctest::Approx(20 * pi * 0.005).epsilon(1e-8));
  CHECK(angles(3) == doctest::Approx(20 * pi * 0.005).epsilon(1e-8));
  CHECK(arma::abs(arma::abs(model.eigenvalues) - 1.0).max() < 1e-8);
}

TEST_CASE("the expression grammar: precedence, unary minus, ** and errors with positions") {
  CHECK(kooplab::Expression("-x^2")(3.0) == -9.0);
  CHECK(kooplab::Expression("2^3^2")(0.0) == 512.0);
  CHECK(kooplab::Expression("x**2*3")(2.0) == 12.0);
  CHECK(kooplab::Expression("1 - 2 - 3")(0.0) == -4.0);
  CHECK(kooplab::Expression("8 / 2 / 2")(0.0) == 2.0);
  CHECK(kooplab::Expression("2^-1")(0.0) == 0.5);
  CHECK(kooplab::Expression("sqrt(abs(x)) + exp(0) + log(e) + tanh(0) + tan(0)")(-4.0) == 4.0);
  CHECK(kooplab::Expression("1.5e1 * .5")(0.0) == 7.5);
  CHECK(contains(error_of([] { kooplab::Expression("2 * y"); }), "at character 5: unknown name 'y'"));
  CHECK(contains(error_of([] { kooplab::Expression("sin x"); }), "expected '('"));
  CHECK(contains(error_of([] { kooplab::Expression("x +"); }), "unexpected end"));
  CHECK(contains(error_of([] { kooplab::Expression("x)"); }), "unexpected ')'"));
}

TEST_CASE("the expression limits: depth and length are refused with a ConfigError, not a stack overflow") {
  const int depth = kooplab::max_expression_depth;
  // At the limit it still parses: 199 parentheses around x, and a sum of 200 terms (199 levels).
  CHECK(kooplab::Expression(std::string(depth - 1, '(') + "x" + std::string(depth - 1, ')'))(2.0) == 2.0);
  std::string sum = "1";
  for (int k = 1; k < depth; ++k) sum += "+1";
  CHECK(kooplab::Expression(sum)(0.0) == double(depth));
  const std::string too_deep = "nested deeper than 200 levels";
  CHECK(contains(error_of([] { kooplab::Expression(std::string(1000, '(') + "x"); }), too_deep));
  CHECK(contains(error_of([] { kooplab::Expression(std::string(5000, '-') + "x"); }), too_deep));
  CHECK(contains(error_of([] { kooplab::Expression("sin(" + std::string(300, '+') + "x)"); }), too_deep));
  std::string power = "x";
  for (int k = 0; k < 300; ++k) power += "^x";
  CHECK(contains(error_of([&] { kooplab::Expression{power}; }), too_deep));
  CHECK(contains(error_of([&] { kooplab::Expression{sum + "+1"}; }), too_deep));
  // Very long: refused before parsing, and the message quotes only its start.
  std::string numbers = "1";
  while (numbers.size() <= kooplab::max_expression_length) numbers += "*1";
  const std::string message = error_of([&] { kooplab::Expression{numbers}; });
  CHECK(contains(message, "longer than 10000 characters"));
  CHECK(message.size() < 200);
}

namespace {

// A tiny IDX collection with MNIST's file names: training image i has pixels
// (i, 2i) and label i mod 10; test image i has pixels (100 + i, 0) and label (i + 3) mod 10.
std::filesystem::path fake_mnist() {
  const auto folder = kooplab::testing::temporary_folder("fake-mnist");
  const auto write = [&](const std::string& name, const std::vector<std::uint32_t>& shape,
                         const std::vector<unsigned char>& values) {
    std::vector<unsigned char> bytes{0, 0, 8, static_cast<unsigned char>(shape.size())};
    for (const std::uint32_t n : shape)
      for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<unsigned char>(n >> shift));
    bytes.insert(bytes.end(), values.begin(), values.end());
    std::ofstream(folder / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  };
  std::vector<unsigned char> train_images, train_labels, test_images, test_labels;
  for (unsigned char i = 0; i < 20; ++i) {
    train_images.insert(train_images.end(), {i, static_cast<unsigned char>(2 * i)});
    train_labels.push_back(i % 10);
  }
  for (unsigned char i = 0; i < 10; ++i) {
    test_images.insert(test_images.end(), {static_cast<unsigned char>(100 + i), 0});
    test_labels.push_back((i + 3) % 10);
  }
  write("train-images-idx3-ubyte", {20, 1, 2}, train_images);
  write("train-labels-idx1-ubyte", {20}, train_labels);
  write("t10k-images-idx3-ubyte", {10, 1, 2}, test_images);
  write("t10k-labels-idx1-ubyte", {10}, test_labels);
  return folder;
}

}  // namespace

TEST_CASE("mnist reads an IDX collection: pixels as columns, one-hot targets, seeded subsets in file order") {
  const std::string path = "name: mnist\npath: " + fake_mnist().string() + "\n";
  const auto all = labeled(path + "normalize: none");
  CHECK(all.classes == 10);
  REQUIRE(all.train.inputs.n_rows == 2);
  REQUIRE(all.train.inputs.n_cols == 20);
  REQUIRE(all.test.inputs.n_cols == 10);
  CHECK(all.validation.inputs.is_empty());
  for (arma::uword i = 0; i < 20; ++i) {
    CHECK(all.train.inputs(0, i) == double(i));
    CHECK(all.train.inputs(1, i) == double(2 * i));
    CHECK(all.train.labels(i) == i % 10);
    CHECK(all.train.targets(i % 10, i) == 1.0);
  }
  CHECK(all.test.labels(0) == 3);
  CHECK(arma::accu(all.train.targets) == 20.0);
  CHECK(labeled(path).train.inputs(1, 19) == doctest::Approx(38.0 / 255.0).epsilon(1e-15));  // unit: ÷255

  const std::string subsets = path + "normalize: none\ntrain_size: 8\nvalidation_size: 5\ntest_size: 4\n";
  const auto split = labeled(subsets + "split_seed: 11");
  CHECK(split.train.inputs.n_cols == 8);
  CHECK(split.validation.inputs.n_cols == 5);
  CHECK(split.test.inputs.n_cols == 4);
  std::set<double> seen;
  for (const auto* set : {&split.train, &split.validation}) {
    const arma::rowvec index = set->inputs.row(0);
    CHECK(index.is_sorted());
    for (arma::uword j = 0; j < index.n_elem; ++j) CHECK(set->labels(j) == arma::uword(index(j)) % 10);
    seen.insert(index.begin(), index.end());
  }
  CHECK(seen.size() == 13);  // train and validation are disjoint
  CHECK(arma::approx_equal(labeled(subsets + "split_seed: 11", 99).train.inputs, split.train.inputs, "absdiff", 0.0));
  CHECK_FALSE(arma::approx_equal(labeled(subsets + "split_seed: 12").train.inputs, split.train.inputs, "absdiff", 0.0));
  CHECK(
      arma::approx_equal(labeled(subsets, 4).validation.inputs, labeled(subsets, 4).validation.inputs, "absdiff", 0.0));

  const auto standardized = labeled(path + "normalize: standardize");
  CHECK(std::abs(arma::mean(arma::vectorise(standardized.train.inputs))) < 1e-12);
  CHECK(arma::stddev(arma::vectorise(standardized.train.inputs), 1) == doctest::Approx(1.0).epsilon(1e-12));

  CHECK(contains(error_of([&] { labeled(path + "train_size: 18\nvalidation_size: 5"); }),
                 "do not fit the 20 training samples"));
  CHECK(contains(error_of([&] { labeled(path + "test_size: 11"); }), "test_size 11 exceeds the 10 test samples"));
}

TEST_CASE("a missing MNIST file names the file and the command that fetches it") {
  // A config in configs/ of this checkout, pointing at an empty folder.
  const auto empty = kooplab::testing::temporary_folder("no-mnist");
  const auto source = kooplab::testing::source_dir() / "configs" / "missing.yaml";
  const kooplab::Config config = kooplab::Config::parse("name: mnist\npath: " + empty.string(), source.string());
  kooplab::Rng rng(0);
  const std::string message = error_of([&] { kooplab::testing::plugins().create<Dataset>(config)->labeled(rng); });
  CHECK(contains(message, "dataset 'mnist'"));
  CHECK(contains(message, (empty / "train-images-idx3-ubyte").string() + " not found"));
  CHECK(contains(message,
                 "fetch it with: bash " + (kooplab::testing::source_dir() / "scripts" / "fetch-datasets.sh").string()));
}

namespace {

const std::filesystem::path real_mnist = kooplab::testing::source_dir() / "data" / "mnist";
const std::filesystem::path real_fashion_mnist = "/usr/share/datasets/fashion-mnist";

// A test of real data is reported skipped when the file is absent, unless
// KOOPLAB_REQUIRE_DATA is set (CI sets it): then it runs and fails.
bool skip_without(const std::filesystem::path& file) {
  return !std::filesystem::exists(file) && !std::getenv("KOOPLAB_REQUIRE_DATA");
}

}  // namespace

TEST_CASE("the real MNIST: 60000 + 10000 digits with their known class counts" *
          doctest::skip(skip_without(real_mnist / "train-images-idx3-ubyte"))) {
  REQUIRE_MESSAGE(std::filesystem::exists(real_mnist / "train-images-idx3-ubyte"),
                  "no MNIST in " << real_mnist.string() << " (run scripts/fetch-datasets.sh)");
  // No `path`: the default is found from a config in experiments/<x>/.
  const kooplab::Config config = kooplab::Config::parse(
      "name: mnist", (kooplab::testing::source_dir() / "experiments" / "any" / "run.yaml").string());
  kooplab::Rng rng(0);
  const auto data = kooplab::testing::plugins().create<Dataset>(config)->labeled(rng);
  REQUIRE(data.train.inputs.n_rows == 784);
  REQUIRE(data.train.inputs.n_cols == 60000);
  REQUIRE(data.test.inputs.n_cols == 10000);
  CHECK(arma::all(class_counts(data.train, 10) ==
                  arma::uvec{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}));
  CHECK(arma::all(class_counts(data.test, 10) == arma::uvec{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}));
  CHECK(data.train.labels(0) == 5);
  CHECK(data.test.labels(0) == 7);
  CHECK(data.train.inputs.min() == 0.0);
  CHECK(data.train.inputs.max() == 1.0);
  CHECK(arma::accu(data.train.inputs.col(0)) * 255.0 == doctest::Approx(27525.0).epsilon(1e-12));
  // The usual MNIST normalisation constants: mean 0.1307, standard deviation 0.3081.
  CHECK(arma::mean(arma::vectorise(data.train.inputs)) == doctest::Approx(0.130660).epsilon(1e-5));
}

TEST_CASE("the real Fashion-MNIST from the Debian package: gzip IDX, 6000 / 1000 images per class" *
          doctest::skip(skip_without(real_fashion_mnist / "train-images-idx3-ubyte.gz"))) {
  REQUIRE_MESSAGE(std::filesystem::exists(real_fashion_mnist / "train-images-idx3-ubyte.gz"),
                  "no Fashion-MNIST in " << real_fashion_mnist.string() << " (apt-get install dataset-fashion-mnist)");
  const auto data = labeled("name: fashion_mnist\ntrain_size: 1000\nvalidation_size: 500\nsplit_seed: 1");
  CHECK(data.train.inputs.n_rows == 784);
  CHECK(data.train.inputs.n_cols == 1000);
  CHECK(data.validation.inputs.n_cols == 500);
  REQUIRE(data.test.inputs.n_cols == 10000);
  CHECK(arma::all(class_counts(data.test, 10) == 1000));
  CHECK(data.test.labels(0) == 9);
  CHECK(data.test.inputs.max() <= 1.0);
  CHECK(data.test.inputs.min() >= 0.0);
}

TEST_CASE(
    "datasets refuse negative or NaN noise, non-positive dt and empty counts, naming file:line:column and the key") {
  const auto error = [](const std::string& yaml) { return error_of([&] { make<Dataset>(yaml); }); };
  const std::string linear = "name: linear_system\neigenvalues: [0.5]\n";
  CHECK(error(linear + "noise: -0.1") == "test.yaml:3:8: noise: expected a number ≥ 0, got -0.1");
  CHECK(error(linear + "process_noise: .nan") == "test.yaml:3:16: process_noise: expected a finite number, got nan");
  CHECK(error(linear + "process_noise: -1") == "test.yaml:3:16: process_noise: expected a number ≥ 0, got -1");
  CHECK(error(linear + "dt: 0") == "test.yaml:3:5: dt: expected a number > 0, got 0");
  CHECK(error(linear + "trajectories: 0") == "test.yaml:3:15: trajectories: expected an integer ≥ 1, got 0");
  CHECK(error(linear + "basis: orthonormal") ==
        "test.yaml:3:8: basis: expected one of random, orthogonal, got 'orthonormal' (did you mean 'orthogonal'?)");
  CHECK(error(linear + "matrix: [[1]]") ==
        "test.yaml:1:1: <top>: give exactly one of matrix, eigenvalues (given: matrix, eigenvalues)");
  CHECK(error("name: linear_system\nmatrix: [[1, 2]]") ==
        "test.yaml:2:9: matrix: expected a matrix (list of rows) that is square, got 1×2 matrix");
  CHECK(error("name: linear_system\neigenvalues: [0.5, [0.1, 0.2, 0.3]]") ==
        "test.yaml:2:20: eigenvalues[1]: expected a number or [re, im]");

  const std::string map = "name: polynomial_map\nterms: [[[0.5, [1]]]]\n";
  CHECK(error(map + "steps: 0") == "test.yaml:3:8: steps: expected an integer ≥ 1, got 0");
  CHECK(error(map + "noise: .inf") == "test.yaml:3:8: noise: expected a finite number, got inf");
  CHECK(error(map + "initial_range: 0") == "test.yaml:3:16: initial_range: expected a number > 0, got 0");
  CHECK(error(map + "sensors: -2") == "test.yaml:3:10: sensors: expected an integer ≥ 0, got -2");

  CHECK(error("name: multiscale_signal\nnoise: -0.5") == "test.yaml:2:8: noise: expected a number ≥ 0, got -0.5");
  CHECK(error("name: multiscale_signal\npoints: 1") == "test.yaml:2:9: points: expected an integer ≥ 2, got 1");
  CHECK(error("name: multiscale_signal\ndomain: [2, 1]") ==
        "test.yaml:2:9: domain: expected a list of numbers [a, b] with a < b, got [2, 1]");
  CHECK(error("name: yinyang\ntrain_seed: 4294967296") ==
        "test.yaml:2:13: train_seed: expected an integer ≤ 4294967295, got 4294967296");
  CHECK(error("name: mnist\nvalidation_size: -1") ==
        "test.yaml:2:18: validation_size: expected a non-negative integer, got -1");
  CHECK(error("name: csv\npath: x.csv\ntrajectory_starts: [0, 5, 5]") ==
        "test.yaml:3:20: trajectory_starts: expected a list of integers starting at 0 and strictly increasing, got [0, "
        "5, 5]");
  CHECK(error("name: csv\npath: x.csv\ndt: -1") == "test.yaml:3:5: dt: expected a number > 0, got -1");
}

TEST_CASE("linear_system: [re, im] stands for the pair re ± i·im whatever the sign of im") {
  // A fitted by least squares on noise-free data is A itself; its eigenvalues are the pair.
  for (const std::string pair : {"[0.8, 0.3]", "[0.8, -0.3]"}) {
    CAPTURE(pair);
    kooplab::Rng rng(3);
    const auto data =
        make<Dataset>("name: linear_system\neigenvalues: [" + pair + ", 0.5]\nsteps: 6")->trajectories(rng);
    REQUIRE(data.true_eigenvalues.has_value());
    const arma::cx_vec expected{{0.8, 0.3}, {0.8, -0.3}, {0.5, 0.0}};
    CHECK(arma::approx_equal(*data.true_eigenvalues, expected, "absdiff", 0.0));
    const kooplab::SnapshotPairs pairs = data.pairs();
    const arma::cx_vec fitted = arma::eig_gen(pairs.y * arma::pinv(pairs.x));
    for (const auto& lambda : expected) CHECK(arma::abs(fitted - lambda).min() < 1e-9);
  }
}

TEST_CASE("dataset and observable plugins document their keys with the code's defaults, shared groups with their own") {
  std::map<std::string, std::vector<kooplab::OptionDoc>> docs;
  for (const kooplab::PluginInfo& info : kooplab::testing::plugins().plugins())
    if (info.kind == "dataset" || info.kind == "observable") docs[info.name] = info.options;
  const auto shown = [&](const std::string& plugin, const std::string& key) {
    for (const auto& row : docs[plugin])
      if (row.key == key) return row.default_value;
    return std::string("(no key " + key + ")");
  };
  for (const char* name : {"csv", "fashion_mnist", "linear_system", "mnist", "multiscale_signal", "polynomial_map",
                           "rnn", "yinyang", "concat", "delay", "identity", "polynomial", "rbf"}) {
    CAPTURE(name);
    REQUIRE(docs.contains(name));
    CHECK(!docs[name].empty());
  }
  // TrajectorySampling: one declaration, each dataset's own steps.
  CHECK(shown("linear_system", "steps") == "50");
  CHECK(shown("polynomial_map", "steps") == "30");
  CHECK(shown("polynomial_map", "trajectories") == "4");
  // InputNormalization: images unit, the others none.
  CHECK(shown("mnist", "normalize") == "unit");
  CHECK(shown("fashion_mnist", "normalize") == "unit");
  CHECK(shown("yinyang", "normalize") == "none");
  CHECK(shown("multiscale_signal", "normalize") == "none");
  // DictionaryPrefix: identity and delay offer the constant alone.
  CHECK(shown("rbf", "state") == "false");
  CHECK(shown("delay", "state") == "(no key state)");
  CHECK(shown("rnn", "sigma") == "tanh");
  CHECK(shown("rnn", "zeta") == "identity");
  CHECK(shown("rnn", "dt") == "0.1");
  CHECK(shown("yinyang", "test_seed") == "40");
  CHECK(shown("multiscale_signal", "test_fraction") == "0.25");
  CHECK(shown("rbf", "centres") == "20");
  CHECK(shown("mnist", "path") == "data/mnist of the checkout holding the config");
}
