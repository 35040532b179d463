#include "kooplab/nn/sobolev_loss.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "kooplab/error.hpp"

namespace kooplab {

arma::uword sobolev_scale(SobolevScale scale, arma::uword layer) {
  if (scale == SobolevScale::linear) return layer;
  if (layer >= std::numeric_limits<arma::uword>::digits)
    throw ConfigError(fmt::format("Sobolev loss: the scale 2^{} does not fit an integer", layer));
  return arma::uword(1) << layer;
}

double fourier_shell_loss(const arma::mat& residual, const std::vector<arma::uword>& shells, double index,
                          arma::mat* gradient) {
  const arma::uword n = residual.n_cols;
  if (n == 0) return 0.0;
  if (gradient && (gradient->n_rows != residual.n_rows || gradient->n_cols != n))
    throw DataError("Fourier shell loss: the gradient must have the residual's shape");
  double total = 0.0;
  for (const arma::uword s : shells) {
    if (2 * s > n)
      throw DataError(
          fmt::format("Sobolev loss: the shell ‖k‖₁ = {} needs at least {} samples in the batch, got {} "
                      "(train on the whole ordered set: batch_size 0)",
                      s, 2 * s, n));
    const double weight = std::pow(1.0 + std::pow(2.0 * arma::datum::pi * double(s), 2), index);
    const double multiplicity = (s == 0 || 2 * s == n) ? 1.0 : 2.0;  // k = ±s, once when they coincide
    const double factor = multiplicity * weight;
    for (arma::uword row = 0; row < residual.n_rows; ++row) {
      // r̂(s) = (1/N) Σ r_j (cos θ_j − i sin θ_j), θ_j = 2π s j / N.
      double real = 0.0, imaginary = 0.0;
      for (arma::uword j = 0; j < n; ++j) {
        const double theta = 2.0 * arma::datum::pi * double(s * j % n) / double(n);
        real += residual(row, j) * std::cos(theta);
        imaginary -= residual(row, j) * std::sin(theta);
      }
      real /= double(n);
      imaginary /= double(n);
      total += factor * (real * real + imaginary * imaginary);
      if (!gradient) continue;
      const double scale = 2.0 * factor / double(n);
      for (arma::uword j = 0; j < n; ++j) {
        const double theta = 2.0 * arma::datum::pi * double(s * j % n) / double(n);
        (*gradient)(row, j) += scale * (real * std::cos(theta) - imaginary * std::sin(theta));
      }
    }
  }
  return total;
}

SobolevLoss::SobolevLoss(const LossOptions& options, arma::uword hidden_layers) : options_(options) {
  if (options.kind == LossKind::sobolev_layers) {
    if (hidden_layers == 0) throw ConfigError("sobolev_layers: the network has no hidden layer to put a head on");
    for (arma::uword layer = 1; layer <= hidden_layers; ++layer)
      head_shells_.push_back(sobolev_scale(options.scale, layer));
    return;
  }
  if (options.kind != LossKind::sobolev_output) throw ConfigError("Sobolev loss: not a Sobolev loss kind");
  const arma::uword scales = options.scales > 0 ? options.scales : hidden_layers + 1;
  for (arma::uword layer = 0; layer < scales; ++layer) output_shells_.push_back(sobolev_scale(options.scale, layer));
}

std::string SobolevLoss::describe() const {
  const std::string scale = options_.scale == SobolevScale::linear ? "linear" : "exponential";
  if (options_.kind == LossKind::sobolev_layers)
    return fmt::format("sobolev_layers(scale {}, index {}, output_weight {}, heads {})", scale, options_.index,
                       options_.output_weight, head_shells_.size());
  return fmt::format("sobolev_output(scale {}, index {}, scales {})", scale, options_.index, output_shells_.size());
}

double SobolevLoss::value(const arma::mat& outputs, const arma::mat& targets) const {
  check_loss_shapes(outputs, targets);
  if (options_.kind == LossKind::sobolev_layers)
    return options_.output_weight * loss_value(LossKind::mse, outputs, targets);
  return fourier_shell_loss(outputs - targets, output_shells_, options_.index, nullptr);
}

double SobolevLoss::value_and_delta(const arma::mat& outputs, const std::vector<arma::mat>& heads,
                                    const arma::mat& targets, arma::mat& delta,
                                    std::vector<arma::mat>& head_deltas) const {
  if (options_.kind == LossKind::sobolev_output) {
    check_loss_shapes(outputs, targets);
    delta.zeros(outputs.n_rows, outputs.n_cols);
    return fourier_shell_loss(outputs - targets, output_shells_, options_.index, &delta);
  }
  if (heads.size() != head_shells_.size())
    throw DataError(
        fmt::format("sobolev_layers: {} head outputs for {} hidden layers", heads.size(), head_shells_.size()));
  double total = options_.output_weight * loss_and_delta(LossKind::mse, outputs, targets, delta);
  delta *= options_.output_weight;
  head_deltas.resize(heads.size());
  for (std::size_t head = 0; head < heads.size(); ++head) {
    check_loss_shapes(heads[head], targets);
    head_deltas[head].zeros(heads[head].n_rows, heads[head].n_cols);
    total += fourier_shell_loss(heads[head] - targets, {head_shells_[head]}, options_.index, &head_deltas[head]);
  }
  return total;
}

}  // namespace kooplab
