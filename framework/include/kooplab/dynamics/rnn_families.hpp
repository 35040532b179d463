#pragma once
// The two network families of Claveau, Thibeault, Allard, Desrosiers,
// "Analytical Koopman approach to recurrent neural networks":
//   family one:  dx_i/dt = (1/ζ_i'(x_i)) [−ζ_i(x_i) + Σ_j W_ij h_j(x_j)]
//   family two:  dx_i/dt = (1/ζ_i'(x_i)) [−c_i      + Σ_j W_ij h_j(x_j)]
// The RNN dx_i/dt = −x_i + Σ_j W_ij σ(x_j) + θ_i is family one with
// ζ(x) = x − θ and h = σ. Here h acts component-wise (h_j depends on x_j).
// ζ must have ζ' ≠ 0 wherever the state goes (see elementwise_function.hpp).
#include <armadillo>
#include <string>

#include "kooplab/dynamics/elementwise_function.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

struct NetworkDynamics {
  enum class Family { one, two };
  Family family = Family::one;
  arma::mat weights;  // W, N × N
  ElementwiseFunction zeta = ElementwiseFunction::identity();
  ElementwiseFunction h = ElementwiseFunction::identity();
  arma::vec drive;  // c, N entries (family two only)

  arma::uword size() const { return weights.n_rows; }
  // dx/dt for each state column; non-finite where ζ' vanishes.
  arma::mat rate(const arma::mat& states) const;
  // Throws ConfigError (naming `where`) for a non-square W, parameters of the
  // wrong length, a ζ that is not invertible, or a missing c.
  void validate(const std::string& where) const;
  // One line, e.g. "dx/dt = (1/ζ'(x)) [−ζ(x) + W h(x)], ζ(x) = x + -0.5, h(x) = tanh(x)".
  std::string describe() const;
};

// A dataset that simulates a NetworkDynamics and hands it out together with
// its trajectories, so an application can set the data beside the theory.
// Datasets implement it besides Dataset; applications find it by dynamic_cast.
class NetworkDynamicsSource {
 public:
  struct Sample {
    NetworkDynamics dynamics;
    Trajectories data;
  };
  virtual ~NetworkDynamicsSource();
  // Draws the system (when it is random) and then its trajectories from `rng`.
  virtual Sample sample(Rng& rng) const = 0;
};

}  // namespace kooplab
