// The order in which the MPI launcher hands out pending runs.
#include <doctest/doctest.h>

#include "kooplab/error.hpp"
#include "kooplab/runner/dispatch_order.hpp"

using kooplab::longest_first;

TEST_CASE("runs with a previous duration go first, longest first; the others follow in index order") {
  const std::vector<std::size_t> pending{2, 3, 5, 7, 8, 11};
  const std::vector<std::optional<double>> seconds{std::nullopt, 4.0, 0.5, std::nullopt, 9.0, 4.0};
  // 8 (9 s), then 3 and 11 (4 s each, in index order), 5 (0.5 s); then 2 and 7, never timed.
  CHECK(longest_first(pending, seconds) == std::vector<std::size_t>{8, 3, 11, 5, 2, 7});
}

TEST_CASE("without any previous duration the order is the index order") {
  const std::vector<std::size_t> pending{0, 1, 4, 9};
  CHECK(longest_first(pending, std::vector<std::optional<double>>(4)) == pending);
  CHECK(longest_first({}, {}).empty());
}

TEST_CASE("a duration list that does not match the pending runs is an error") {
  CHECK_THROWS_AS(longest_first({1, 2}, {3.0}), kooplab::Error);
}
