#pragma once
// The order in which an MPI job hands out its pending runs. Runs whose
// duration a previous invocation recorded go first, longest first, so that a
// long run does not start last and keep one rank busy while the others idle;
// runs never timed follow in index order.
#include <cstddef>
#include <optional>
#include <vector>

namespace kooplab {

// `previous_seconds[i]` is the recorded duration of `pending[i]`, if any.
std::vector<std::size_t> longest_first(const std::vector<std::size_t>& pending,
                                       const std::vector<std::optional<double>>& previous_seconds);

}  // namespace kooplab
