#include "kooplab/nn/optimizers.hpp"

#include <immintrin.h>

#include <cmath>

namespace kooplab {
namespace {

void ensure(arma::vec& state, arma::uword n, double value = 0.0) {
  if (state.n_elem != n) state.set_size(n), state.fill(value);
}

}  // namespace

void SgdPolicy::update(arma::vec& theta, const arma::vec& g, double lr, arma::uword t) {
  if (momentum == 0.0) {
    theta -= lr * g;
    return;
  }
  if (t == 1) buffer = g;
  else buffer = momentum * buffer + (1.0 - dampening) * g;
  if (nesterov) theta -= lr * (g + momentum * buffer);
  else theta -= lr * buffer;
}

namespace {

// One fused pass over moments and parameters, in the same operation order as
// PyTorch's step (m, v, then θ with the division by √(1 − β2ᵗ) before adding ε).
void adam_scalar(arma::uword begin, arma::uword n, double* theta, const double* g, double* m, double* v, double beta1,
                 double beta2, double eps, double step_size, double root_correction) {
  for (arma::uword i = begin; i < n; ++i) {
    m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1.0 - beta2) * (g[i] * g[i]);
    theta[i] -= step_size * (m[i] / (std::sqrt(v[i]) / root_correction + eps));
  }
}

// The same pass four lanes at a time: the step is bound by the square root
// and divisions, which the compiler will not vectorise because std::sqrt may
// set errno. Each lane does exactly the scalar operations, so results agree bitwise.
__attribute__((target("avx2"))) void adam_avx2(arma::uword n, double* theta, const double* g, double* m, double* v,
                                               double beta1, double beta2, double eps, double step_size,
                                               double root_correction) {
  const __m256d b1 = _mm256_set1_pd(beta1), c1 = _mm256_set1_pd(1.0 - beta1);
  const __m256d b2 = _mm256_set1_pd(beta2), c2 = _mm256_set1_pd(1.0 - beta2);
  const __m256d e = _mm256_set1_pd(eps), step = _mm256_set1_pd(step_size), root = _mm256_set1_pd(root_correction);
  arma::uword i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d gi = _mm256_loadu_pd(g + i);
    const __m256d mi = _mm256_add_pd(_mm256_mul_pd(b1, _mm256_loadu_pd(m + i)), _mm256_mul_pd(c1, gi));
    const __m256d vi =
        _mm256_add_pd(_mm256_mul_pd(b2, _mm256_loadu_pd(v + i)), _mm256_mul_pd(c2, _mm256_mul_pd(gi, gi)));
    _mm256_storeu_pd(m + i, mi);
    _mm256_storeu_pd(v + i, vi);
    const __m256d denominator = _mm256_add_pd(_mm256_div_pd(_mm256_sqrt_pd(vi), root), e);
    _mm256_storeu_pd(theta + i,
                     _mm256_sub_pd(_mm256_loadu_pd(theta + i), _mm256_mul_pd(step, _mm256_div_pd(mi, denominator))));
  }
  adam_scalar(i, n, theta, g, m, v, beta1, beta2, eps, step_size, root_correction);
}

}  // namespace

void AdamPolicy::update(arma::vec& theta, const arma::vec& g, double lr, arma::uword t) {
  ensure(m, g.n_elem);
  ensure(v, g.n_elem);
  const double step_size = lr / (1.0 - std::pow(beta1, double(t)));
  const double root_correction = std::sqrt(1.0 - std::pow(beta2, double(t)));
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  if (has_avx2) adam_avx2(g.n_elem, theta.memptr(), g.memptr(), m.memptr(), v.memptr(), beta1, beta2, eps, step_size, root_correction);
  else adam_scalar(0, g.n_elem, theta.memptr(), g.memptr(), m.memptr(), v.memptr(), beta1, beta2, eps, step_size, root_correction);
}

void AdagradPolicy::update(arma::vec& theta, const arma::vec& g, double lr, arma::uword) {
  ensure(sum, g.n_elem, initial_accumulator);
  sum += arma::square(g);
  theta -= lr * (g / (arma::sqrt(sum) + eps));
}

void AdadeltaPolicy::update(arma::vec& theta, const arma::vec& g, double lr, arma::uword) {
  ensure(square_avg, g.n_elem);
  ensure(acc_delta, g.n_elem);
  square_avg = rho * square_avg + (1.0 - rho) * arma::square(g);
  // theta is updated before acc_delta is, so the delta is formed once per element.
  for (arma::uword i = 0; i < g.n_elem; ++i) {
    const double delta = std::sqrt(acc_delta[i] + eps) / std::sqrt(square_avg[i] + eps) * g[i];
    acc_delta[i] = rho * acc_delta[i] + (1.0 - rho) * delta * delta;
    theta[i] -= lr * delta;
  }
}

Optimizer::~Optimizer() = default;

void Optimizer::step(arma::vec& parameters, const arma::vec& gradient) {
  ++steps_;
  const double lr = lr_ / (1.0 + double(steps_ - 1) * lr_decay_);
  if (weight_decay_ == 0.0) {
    update(parameters, gradient, lr, steps_);
    return;
  }
  decayed_ = gradient + weight_decay_ * parameters;
  update(parameters, decayed_, lr, steps_);
}

std::unique_ptr<Optimizer> make_optimizer(const Config& section) {
  const std::string name = section.get<std::string>("name");
  const double lr_decay = section.get_or<double>("lr_decay", 0.0);
  const double weight_decay = section.get_or<double>("weight_decay", 0.0);
  if (name == "sgd") {
    SgdPolicy policy;
    policy.momentum = section.get_or<double>("momentum", 0.0);
    policy.dampening = section.get_or<double>("dampening", 0.0);
    policy.nesterov = section.get_or<bool>("nesterov", false);
    if (policy.nesterov && (policy.momentum <= 0.0 || policy.dampening != 0.0))
      section.fail("nesterov", "needs momentum > 0 and dampening 0");
    return std::make_unique<PolicyOptimizer<SgdPolicy>>(name, policy, section.get_or<double>("lr", 0.01), lr_decay,
                                                        weight_decay);
  }
  if (name == "adam") {
    AdamPolicy policy;
    policy.beta1 = section.get_or<double>("beta1", 0.9);
    policy.beta2 = section.get_or<double>("beta2", 0.999);
    policy.eps = section.get_or<double>("eps", 1e-8);
    return std::make_unique<PolicyOptimizer<AdamPolicy>>(name, policy, section.get_or<double>("lr", 1e-3), lr_decay,
                                                         weight_decay);
  }
  if (name == "adagrad") {
    AdagradPolicy policy;
    policy.initial_accumulator = section.get_or<double>("initial_accumulator", 0.0);
    policy.eps = section.get_or<double>("eps", 1e-10);
    return std::make_unique<PolicyOptimizer<AdagradPolicy>>(name, policy, section.get_or<double>("lr", 0.01), lr_decay,
                                                            weight_decay);
  }
  if (name == "adadelta") {
    AdadeltaPolicy policy;
    policy.rho = section.get_or<double>("rho", 0.9);
    policy.eps = section.get_or<double>("eps", 1e-6);
    return std::make_unique<PolicyOptimizer<AdadeltaPolicy>>(name, policy, section.get_or<double>("lr", 1.0), lr_decay,
                                                             weight_decay);
  }
  section.fail("name", "unknown optimizer '" + name + "' (sgd, adam, adagrad, adadelta)");
}

}  // namespace kooplab
