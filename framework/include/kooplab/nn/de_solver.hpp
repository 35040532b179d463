#pragma once
// The neural-network differential-equation solver of koopman-training.md,
// Sec. 4 (Mattheakis et al., Hamiltonian neural networks, its ref. [35]): a
// network N: t ↦ (N_x, N_p) gives the trial solution
//   x̂(t) = x0 + (1 − e^{−(t − t0)}) N_x(t),   p̂(t) = p0 + (1 − e^{−(t − t0)}) N_p(t),
// which meets the initial state exactly, and is trained without data so that
// x̂, p̂ solve Hamilton's equations of the nonlinear oscillator
// H = p²/2 + x²/2 + λx⁴/4 at the collocation times t_i:
//   r_x = dx̂/dt − p̂,   r_p = dp̂/dt + x̂ + λx̂³,   L = mean_i r_x² + mean_i r_p².
// dN/dt is exact (forward mode through the layers, Sequential::forward_tangent)
// and so is the gradient of L through it (Sequential::backward_tangent).
//
// As a Network its inputs are the times (1 × m) and its outputs the residuals
// (r_x; r_p) (2 × m), which should vanish: the targets are zero and loss() is
// Σ_rows mean_i (output − target)², which is L. solution() gives (x̂; p̂).
// KOOPLAB_API: code outside the plugin reaches it by dynamic_cast.
#include <memory>
#include <vector>

#include "kooplab/api.hpp"
#include "kooplab/nn/sequential.hpp"

namespace kooplab {

struct Oscillator {
  double x0 = 1.3, p0 = 1.0;  // the state at t0
  double t0 = 0.0;
  double nonlinearity = 1.0;  // λ
  // H(x, p), element-wise.
  arma::rowvec energy(const arma::rowvec& x, const arma::rowvec& p) const;
};

class KOOPLAB_API DeSolver : public Sequential {
 public:
  // `layers` map 1 input (t) to 2 outputs (N_x, N_p); throws ConfigError otherwise.
  DeSolver(std::vector<std::unique_ptr<Layer>> layers, Init init, Oscillator problem);

  // The residuals (r_x; r_p) at the times.
  arma::mat forward(const arma::mat& times) override;
  double loss(const arma::mat& outputs, const arma::mat& targets) const override;
  double loss_and_gradient(const arma::mat& times, const arma::mat& targets) override;
  // The residual needs d/dt through the replaced layers: not offered (throws DataError).
  arma::mat forward_replaced(const arma::mat& inputs, arma::uword first, arma::uword last,
                             const AffineMap& map) override;
  std::string description() const override;

  // The trial solution (x̂; p̂) at the times (2 × m).
  arma::mat solution(const arma::mat& times);
  const Oscillator& problem() const { return problem_; }

 private:
  // x̂, p̂ (rows) and their derivatives in t from N and dN/dt.
  struct Trial {
    arma::mat value, derivative;
  };
  Trial trial(const arma::mat& times, const arma::mat& outputs, const arma::mat& output_derivative) const;
  arma::mat residuals(const Trial& trial) const;

  Oscillator problem_;
  arma::mat unit_direction_;  // d/dt: ones, one per sample
};

}  // namespace kooplab
