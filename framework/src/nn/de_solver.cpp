#include "kooplab/nn/de_solver.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"

namespace kooplab {

arma::rowvec Oscillator::energy(const arma::rowvec& x, const arma::rowvec& p) const {
  return 0.5 * arma::square(p) + 0.5 * arma::square(x) + 0.25 * nonlinearity * arma::pow(x, 4);
}

DeSolver::DeSolver(std::vector<std::unique_ptr<Layer>> layers, Init init, Oscillator problem)
    : Sequential(std::move(layers), LossKind::mse, init), problem_(problem) {
  if (input_size() != 1 || output_size() != 2)
    throw ConfigError(fmt::format("the DE solver's network maps t to (N_x, N_p): 1 input and 2 outputs, not {} and {}",
                                  input_size(), output_size()));
}

DeSolver::Trial DeSolver::trial(const arma::mat& times, const arma::mat& outputs,
                                const arma::mat& output_derivative) const {
  const arma::rowvec decay = arma::exp(-(times.row(0) - problem_.t0));  // e^{−(t − t0)} = d/dt of the factor
  const arma::rowvec factor = 1.0 - decay;
  Trial out{outputs, outputs};
  out.value.each_row() %= factor;
  out.value.row(0) += problem_.x0;
  out.value.row(1) += problem_.p0;
  out.derivative = output_derivative;
  out.derivative.each_row() %= factor;
  arma::mat growth = outputs;
  growth.each_row() %= decay;
  out.derivative += growth;
  return out;
}

arma::mat DeSolver::residuals(const Trial& trial) const {
  const arma::rowvec x = trial.value.row(0), p = trial.value.row(1);
  arma::mat out(2, x.n_elem);
  out.row(0) = trial.derivative.row(0) - p;
  out.row(1) = trial.derivative.row(1) + x + problem_.nonlinearity * arma::pow(x, 3);
  return out;
}

arma::mat DeSolver::forward(const arma::mat& times) {
  unit_direction_.ones(1, times.n_cols);
  const auto [outputs, derivative] = forward_tangent(times, unit_direction_);
  return residuals(trial(times, outputs, derivative));
}

double DeSolver::loss(const arma::mat& outputs, const arma::mat& targets) const {
  if (outputs.n_rows != targets.n_rows || outputs.n_cols != targets.n_cols)
    throw DataError(fmt::format("{}: {} × {} residuals against {} × {} targets", identity(), outputs.n_rows,
                                outputs.n_cols, targets.n_rows, targets.n_cols));
  if (outputs.n_cols == 0) throw DataError(fmt::format("{}: no collocation times", identity()));
  return arma::accu(arma::square(outputs - targets)) / double(outputs.n_cols);
}

double DeSolver::loss_and_gradient(const arma::mat& times, const arma::mat& targets) {
  unit_direction_.ones(1, times.n_cols);
  const auto [outputs, derivative] = forward_tangent(times, unit_direction_);
  const Trial solution = trial(times, outputs, derivative);
  const arma::mat misfit = residuals(solution) - targets;
  const double value = loss(misfit, arma::zeros(arma::size(misfit)));

  // Back from L through r_x = x̂' − p̂, r_p = p̂' + x̂ + λx̂³ to x̂, p̂, x̂', p̂',
  // then through x̂ = x0 + f N_x, x̂' = f' N_x + f N_x' (and p̂ alike) to N and N'.
  const arma::mat grad = (2.0 / double(times.n_cols)) * misfit;
  const arma::rowvec x = solution.value.row(0);
  arma::mat grad_value(2, times.n_cols), grad_derivative(2, times.n_cols);
  grad_derivative.row(0) = grad.row(0);
  grad_derivative.row(1) = grad.row(1);
  grad_value.row(0) = grad.row(1) % (1.0 + 3.0 * problem_.nonlinearity * arma::square(x));
  grad_value.row(1) = -grad.row(0);
  const arma::rowvec decay = arma::exp(-(times.row(0) - problem_.t0));
  const arma::rowvec factor = 1.0 - decay;
  arma::mat grad_outputs = grad_value;
  grad_outputs.each_row() %= factor;
  arma::mat from_derivative = grad_derivative;
  from_derivative.each_row() %= decay;
  grad_outputs += from_derivative;
  grad_derivative.each_row() %= factor;
  backward_tangent(times, unit_direction_, grad_outputs, grad_derivative);
  return value;
}

arma::mat DeSolver::forward_replaced(const arma::mat&, arma::uword, arma::uword, const AffineMap&) {
  throw DataError(fmt::format("{}: the DE solver's residual needs d/dt through every layer; layers cannot be replaced",
                              identity()));
}

std::string DeSolver::description() const {
  return fmt::format("DE solver of the oscillator x0 {} p0 {} t0 {} λ {} | {}", problem_.x0, problem_.p0, problem_.t0,
                     problem_.nonlinearity, Sequential::description());
}

arma::mat DeSolver::solution(const arma::mat& times) {
  const arma::mat outputs = Sequential::forward(times);
  return trial(times, outputs, arma::zeros(arma::size(outputs))).value;
}

}  // namespace kooplab
