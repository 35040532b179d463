#include "kooplab/nn/loss.hpp"

#include <fmt/format.h>

#include <cmath>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

void check_shapes(const arma::mat& outputs, const arma::mat& targets) {
  if (outputs.n_rows != targets.n_rows || outputs.n_cols != targets.n_cols)
    throw DataError(fmt::format("loss: outputs are {}×{} but targets {}×{}", outputs.n_rows, outputs.n_cols,
                                targets.n_rows, targets.n_cols));
}

// log Σ exp(z) of one column, shifted by its maximum for stability.
double log_sum_exp(const double* z, arma::uword k) {
  double top = z[0];
  for (arma::uword i = 1; i < k; ++i) top = std::max(top, z[i]);
  double sum = 0.0;
  for (arma::uword i = 0; i < k; ++i) sum += std::exp(z[i] - top);
  return top + std::log(sum);
}

}  // namespace

const Words<LossKind>& loss_words() {
  static const Words<LossKind> words{{"cross_entropy", LossKind::cross_entropy}, {"mse", LossKind::mse}};
  return words;
}

double loss_value(LossKind kind, const arma::mat& outputs, const arma::mat& targets) {
  check_shapes(outputs, targets);
  if (outputs.is_empty()) return 0.0;
  const arma::uword k = outputs.n_rows, m = outputs.n_cols;
  if (kind == LossKind::mse) return arma::accu(arma::square(outputs - targets)) / double(k * m);
  double total = 0.0;
  for (arma::uword s = 0; s < m; ++s) {
    const double* z = outputs.colptr(s);
    const double* t = targets.colptr(s);
    const double lse = log_sum_exp(z, k);
    for (arma::uword i = 0; i < k; ++i) total -= t[i] * (z[i] - lse);
  }
  return total / double(m);
}

double loss_and_delta(LossKind kind, const arma::mat& outputs, const arma::mat& targets, arma::mat& delta) {
  check_shapes(outputs, targets);
  const arma::uword k = outputs.n_rows, m = outputs.n_cols;
  delta.set_size(k, m);
  if (kind == LossKind::mse) {
    const double scale = 2.0 / double(k * m);
    double total = 0.0;
    for (arma::uword i = 0; i < outputs.n_elem; ++i) {
      const double r = outputs[i] - targets[i];
      total += r * r;
      delta[i] = scale * r;
    }
    return total / double(k * m);
  }
  // d/dz of −Σ t log softmax(z) is softmax(z)·Σt − t.
  double total = 0.0;
  for (arma::uword s = 0; s < m; ++s) {
    const double* z = outputs.colptr(s);
    const double* t = targets.colptr(s);
    double* d = delta.colptr(s);
    const double lse = log_sum_exp(z, k);
    double mass = 0.0;
    for (arma::uword i = 0; i < k; ++i) {
      total -= t[i] * (z[i] - lse);
      mass += t[i];
    }
    for (arma::uword i = 0; i < k; ++i) d[i] = (std::exp(z[i] - lse) * mass - t[i]) / double(m);
  }
  return total / double(m);
}

}  // namespace kooplab
