#pragma once
// Losses inspired by negative Sobolev norms (koopman-mode-analysis.md, Sec. 6,
// Eqs. 6–8): Fourier coefficients of the residual r = f − h on shells
// ‖k‖₁ = s, weighted by (1 + (2π‖k‖₂)²)^index (the paper: index −1/2).
//
// The torus: the batch's N samples, in column order, are taken as one period
// sampled evenly, sample j at θ_j = j/N ∈ [0, 1), and
//   r̂(k) = (1/N) Σ_j r_j e^{−2πi k j/N},
// so that Parseval reads Σ_{k=0}^{N−1} |r̂(k)|² = (1/N) Σ_j r_j². For a signal on
// [a, b] given on an ordered grid this maps x to θ ≈ (x − a)/(b − a + Δx):
// exact on the full evenly spaced grid, and on a random subset of it (a
// train split) the subset's order stands for its position. Inputs are 1-D
// here (M outputs, D = 1): the shell ‖k‖₁ = s holds k = ±s, counted once when
// s ≡ −s (mod N), i.e. s = 0 or s = N/2; shells beyond N/2 would alias and are
// refused. The batch must be the whole ordered set: train with batch_size 0.
#include <armadillo>
#include <vector>

#include "kooplab/nn/loss.hpp"

namespace kooplab {

// s(ℓ): ℓ or 2^ℓ.
arma::uword sobolev_scale(SobolevScale scale, arma::uword layer);

// Σ_rows Σ_{s ∈ shells} Σ_{‖k‖₁ = s} (1 + (2π s)²)^index |r̂(k)|² of the rows of
// `residual` (M × N); when `gradient` is given, adds d/d(residual) to it.
double fourier_shell_loss(const arma::mat& residual, const std::vector<arma::uword>& shells, double index,
                          arma::mat* gradient);

// Sobolev loss 1 (Eq. 7), `sobolev_layers`: an auxiliary head f_ℓ = C_ℓ z_ℓ on
// each hidden layer ℓ = 1..H (Eq. 7's range) carries the shell s(ℓ) of h − f_ℓ;
// the network's output carries output_weight × MSE, without which it would
// not be trained. The reconstruction is the network's output.
// Sobolev loss 2 (Eq. 8), `sobolev_output`: the shells s(ℓ), ℓ = 0..L−1, all at
// the network's output (L: `scales`, by default the number of dense layers H + 1).
class SobolevLoss : public Loss {
 public:
  SobolevLoss(const LossOptions& options, arma::uword hidden_layers);
  std::string describe() const override;
  double value(const arma::mat& outputs, const arma::mat& targets) const override;
  double value_and_delta(const arma::mat& outputs, const std::vector<arma::mat>& heads, const arma::mat& targets,
                         arma::mat& delta, std::vector<arma::mat>& head_deltas) const override;
  bool uses_heads() const override { return options_.kind == LossKind::sobolev_layers; }

 private:
  LossOptions options_;
  std::vector<arma::uword> output_shells_;  // sobolev_output: s(0..L−1)
  std::vector<arma::uword> head_shells_;    // sobolev_layers: s(1..H), one per head
};

}  // namespace kooplab
