#include "kooplab/dynamics/rnn_families.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"

namespace kooplab {

NetworkDynamicsSource::~NetworkDynamicsSource() = default;

arma::mat NetworkDynamics::rate(const arma::mat& states) const {
  arma::mat target = weights * h.value(states);
  if (family == Family::one)
    target -= zeta.value(states);
  else
    target.each_col() -= drive;
  return target / zeta.derivative(states);
}

void NetworkDynamics::validate(const std::string& where) const {
  if (weights.is_empty() || !weights.is_square())
    throw ConfigError(
        fmt::format("{}: W must be a non-empty square matrix, got {}×{}", where, weights.n_rows, weights.n_cols));
  if (!weights.is_finite()) throw ConfigError(where + ": W has non-finite entries");
  const arma::uword n = size();
  for (const auto& [name, function] : {std::pair{"zeta", &zeta}, std::pair{"h", &h}})
    if (function->components() != 0 && function->components() != n)
      throw ConfigError(fmt::format("{}: {} = {} has parameters for {} components, the network has {}", where, name,
                                    function->describe(), function->components(), n));
  if (!zeta.strictly_monotone())
    throw ConfigError(
        fmt::format("{}: zeta = {} is not invertible (zeta' vanishes somewhere); the families need zeta' ≠ 0", where,
                    zeta.describe()));
  if (family == Family::two && drive.n_elem != n)
    throw ConfigError(fmt::format("{}: family two needs c with {} entries, got {}", where, n, drive.n_elem));
}

std::string NetworkDynamics::describe() const {
  const std::string forcing = family == Family::one ? "−ζ(x)" : "−c";
  return fmt::format("dx/dt = (1/ζ'(x)) [{} + W h(x)], ζ(x) = {}, h(x) = {}", forcing, zeta.describe(), h.describe());
}

}  // namespace kooplab
