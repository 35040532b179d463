// Observables identity, polynomial, rbf, delay, concat and the k-means and
// delay-window helpers, against hand-computed values.
#include <doctest/doctest.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/koopman/dictionary.hpp"
#include "kooplab/regression/kmeans.hpp"
#include "support.hpp"

using kooplab::Observable;
using kooplab::testing::make;

namespace {

arma::mat fitted(const std::string& yaml, const arma::mat& training, const arma::mat& states) {
  const auto observable = make<Observable>(yaml);
  kooplab::Rng rng(4);
  observable->fit(training, rng);
  return observable->evaluate(states);
}

bool equal(const arma::mat& a, const arma::mat& b, double tolerance = 1e-14) {
  return arma::size(a) == arma::size(b) && arma::approx_equal(a, b, "absdiff", tolerance);
}

}  // namespace

TEST_CASE("identity, optionally with the constant") {
  const arma::mat x = {{2.0, -1.0}, {3.0, 0.5}};
  CHECK(equal(make<Observable>("name: identity")->evaluate(x), x));
  CHECK(equal(make<Observable>("name: identity\nconstant: true")->evaluate(x), arma::mat{{1, 1}, {2, -1}, {3, 0.5}}));
}

TEST_CASE("polynomial: degree, cross terms, explicit exponents, prefix") {
  const arma::mat x = arma::vec{2.0, 3.0};
  CHECK(equal(make<Observable>("name: polynomial\ndegree: 2")->evaluate(x), arma::vec{2, 3, 4, 6, 9}));
  CHECK(equal(make<Observable>("name: polynomial\ndegree: 2\ncross_terms: false")->evaluate(x), arma::vec{2, 3, 4, 9}));
  CHECK(equal(make<Observable>("name: polynomial\ndegree: 3\nconstant: true\nstate: true")->evaluate(x),
              arma::vec{1, 2, 3, 4, 6, 9, 8, 12, 18, 27}));
  CHECK(equal(make<Observable>("name: polynomial\nexponents: [[1, 0], [0, 1], [2, 0], [1, 3]]")->evaluate(x),
              arma::vec{2, 3, 4, 54}));
  // Three states at once: batch columns.
  const arma::mat batch = {{1.0, -2.0, 0.5}, {0.0, 1.0, 4.0}};
  CHECK(equal(make<Observable>("name: polynomial\nexponents: [[2, 1]]")->evaluate(batch), arma::mat{{0.0, 4.0, 1.0}}));
  CHECK_THROWS_WITH_AS(make<Observable>("name: polynomial\nexponents: [[1, 0, 0]]")->evaluate(x),
                       doctest::Contains("dimension 2"), kooplab::DataError);
  CHECK_THROWS_AS(make<Observable>("name: polynomial\ndegree: 2\nexponents: [[1]]"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<Observable>("name: polynomial\nexponents: [[1, -1]]"), kooplab::ConfigError);
  CHECK_THROWS_AS(make<Observable>("name: polynomial\ndegree: 0"), kooplab::ConfigError);
}

TEST_CASE("rbf: centres, median heuristic, values") {
  const arma::mat points = {{0.0, 1.0, 3.0, 3.0, 1.0, 0.0}};
  // Three distinct points, three centres: k-means++ must pick each once.
  const auto observable = make<Observable>("name: rbf\ncentres: 3\ngamma: 0.5");
  kooplab::Rng rng(2);
  observable->fit(points, rng);
  const arma::mat psi = observable->evaluate(arma::mat(1, 1, arma::fill::zeros));
  CHECK(equal(arma::sort(psi), arma::vec{std::exp(-0.5 * 9), std::exp(-0.5), 1.0}));
  // Median heuristic on {0, 1, 3}: squared distances {1, 4, 9}, median 4, γ = 1/8.
  const arma::mat by_median = fitted("name: rbf\ncentres: 3\ncentre_method: random\ngamma: auto",
                                     arma::mat{{0.0, 1.0, 3.0}}, arma::mat(1, 1, arma::fill::zeros));
  CHECK(equal(arma::sort(by_median), arma::vec{std::exp(-9.0 / 8), std::exp(-1.0 / 8), 1.0}));
  CHECK(equal(fitted("name: rbf\ncentres: 1\ngamma: 2\nconstant: true\nstate: true", arma::mat{{1.0, 1.0}},
                     arma::mat(1, 1, arma::fill::value(0.5))),
              arma::vec{1.0, 0.5, std::exp(-0.5)}));
  CHECK_THROWS_WITH_AS(make<Observable>("name: rbf")->evaluate(points), doctest::Contains("before fit"),
                       kooplab::DataError);
  CHECK_THROWS_AS(fitted("name: rbf\ncentres: 4", arma::mat{{0.0, 0.0, 1.0, 1.0}}, points), kooplab::DataError);
  CHECK_THROWS_AS(fitted("name: rbf\ncentres: 7", points, points), kooplab::DataError);
  CHECK_THROWS_WITH_AS(fitted("name: rbf\ncentres: 1", arma::mat{{2.0, 2.0}}, points), doctest::Contains("give gamma"),
                       kooplab::DataError);
}

TEST_CASE("k-means finds two separated clusters, deterministically per seed") {
  kooplab::Rng data_rng(1);
  arma::mat points = 0.1 * data_rng.normal(2, 200);
  points.cols(0, 99).each_col() += arma::vec{5.0, 5.0};
  const arma::vec mean_a = arma::mean(points.cols(0, 99), 1), mean_b = arma::mean(points.cols(100, 199), 1);
  kooplab::Rng rng(3), again(3);
  const arma::mat centres = kooplab::kmeans_centres(points, 2, 20, rng);
  CHECK(equal(centres, kooplab::kmeans_centres(points, 2, 20, again), 0.0));
  const arma::uword a = centres(0, 0) > 2.5 ? 0 : 1;
  CHECK(arma::norm(centres.col(a) - mean_a) < 1e-12);
  CHECK(arma::norm(centres.col(1 - a) - mean_b) < 1e-12);
  CHECK(equal(kooplab::squared_distances(arma::mat{{0.0, 3.0}, {0.0, 4.0}}, arma::mat(arma::vec{0.0, 1.0})),
              arma::vec{1.0, 18.0}));
}

TEST_CASE("delay: backward windows with padding; history") {
  const auto observable = make<Observable>("name: delay\ndelays: 3\nconstant: true");
  CHECK(kooplab::observable_history(*observable) == 2);
  CHECK(equal(observable->evaluate(arma::mat{{1.0, 2.0, 3.0, 4.0}}),
              arma::mat{{1, 1, 1, 1}, {1, 2, 3, 4}, {1, 1, 2, 3}, {1, 1, 1, 2}}));
  CHECK(
      equal(kooplab::history_windows(arma::mat{{1.0, 2.0}, {5.0, 6.0}}, 2), arma::mat{{1, 2}, {5, 6}, {1, 1}, {5, 5}}));
  CHECK(equal(kooplab::hankel_windows(arma::mat{{1.0, 2.0, 3.0}}, 2), arma::mat{{1, 2}, {2, 3}}));
  CHECK_THROWS_AS(make<Observable>("name: delay\nstate: true"), kooplab::ConfigError);
}

TEST_CASE("concat stacks its parts, fits them and takes the longest history") {
  const auto observable = make<Observable>(
      "name: concat\nconstant: true\nparts:\n  - {name: polynomial, exponents: [[2]]}\n  - {name: delay, delays: 2}\n"
      "  - {name: rbf, centres: 1, gamma: 1}");
  kooplab::Rng rng(1);
  observable->fit(arma::mat{{3.0, 3.0}}, rng);
  CHECK(kooplab::observable_history(*observable) == 1);
  CHECK(equal(observable->evaluate(arma::mat{{1.0, 2.0}}),
              arma::mat{{1, 1}, {1, 4}, {1, 2}, {1, 1}, {std::exp(-4.0), std::exp(-1.0)}}));
  CHECK_THROWS_AS(make<Observable>("name: concat\nparts:\n  - {name: polynomial, degre: 2}"), kooplab::ConfigError);
}

TEST_CASE("observables refuse bad values, naming file:line:column and the key") {
  const auto error = [](const std::string& yaml) {
    return kooplab::testing::error_of([&] { make<Observable>(yaml); });
  };
  CHECK(error("name: rbf\ncentres: 0") == "test.yaml:2:10: centres: expected an integer ≥ 1, got 0");
  CHECK(error("name: rbf\nkmeans_iterations: -1") ==
        "test.yaml:2:20: kmeans_iterations: expected a non-negative integer, got -1");
  CHECK(error("name: rbf\ngamma: -2") == "test.yaml:2:8: gamma: expected a number > 0 or auto, got -2");
  CHECK(error("name: rbf\ngamma: .nan") == "test.yaml:2:8: gamma: expected a number > 0 or auto, got nan");
  CHECK(error("name: rbf\ncentre_method: kmean") ==
        "test.yaml:2:16: centre_method: expected one of kmeans, random, got 'kmean' (did you mean 'kmeans'?)");
  CHECK(error("name: delay\ndelays: 0") == "test.yaml:2:9: delays: expected an integer ≥ 1, got 0");
  CHECK(error("name: polynomial") == "test.yaml:1:1: <top>: give exactly one of degree, exponents (none given)");
  CHECK(error("name: polynomial\nexponents: [[1, 0.5]]") ==
        "test.yaml:2:12: exponents: expected a matrix (list of rows) of integers ≥ 0, got 1×2 matrix");
  CHECK(error("name: identity\nconstant: yes please") ==
        "test.yaml:2:11: constant: expected true or false, got 'yes please'");
  CHECK(error("name: concat\nparts: []") == "test.yaml:2:8: parts: expected a non-empty list of observable sections");
}
