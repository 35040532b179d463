#include "kooplab/nn/optimizers.hpp"

#include <fmt/format.h>
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "kooplab/util/text.hpp"

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
  if (t == 1)
    buffer = g;
  else
    buffer = momentum * buffer + (1.0 - dampening) * g;
  if (nesterov)
    theta -= lr * (g + momentum * buffer);
  else
    theta -= lr * buffer;
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
  if (has_avx2)
    adam_avx2(g.n_elem, theta.memptr(), g.memptr(), m.memptr(), v.memptr(), beta1, beta2, eps, step_size,
              root_correction);
  else
    adam_scalar(0, g.n_elem, theta.memptr(), g.memptr(), m.memptr(), v.memptr(), beta1, beta2, eps, step_size,
                root_correction);
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
  if (decoupled_) {
    if (weight_decay_ != 0.0) parameters *= 1.0 - lr * weight_decay_;
    update(parameters, gradient, lr, steps_);
    return;
  }
  if (weight_decay_ == 0.0) {
    update(parameters, gradient, lr, steps_);
    return;
  }
  decayed_ = gradient + weight_decay_ * parameters;
  update(parameters, decayed_, lr, steps_);
}

// ---- Options ----

namespace {

using Policy = decltype(OptimizerOptions::policy);

// β of a running mean: [0, 1), as PyTorch requires.
Check<double> decay_rate() {
  return {[](const double& value) { return value >= 0.0 && value < 1.0; }, "in [0, 1)"};
}

// Every policy by its name, default-constructed.
const Words<Policy>& policy_words() {
  static const Words<Policy> words = []<class... P>(std::type_identity<std::variant<P...>>) {
    return Words<Policy>{{P::name, P{}}...};
  }(std::type_identity<Policy>{});
  return words;
}

template <class P>
std::vector<std::string> keys_of(const Options<P>& options) {
  std::vector<std::string> keys;
  for (const OptionDoc& doc : options.docs()) keys.push_back(doc.key);
  return keys;
}

std::vector<std::string> policy_keys(const Policy& policy) {
  return std::visit([](const auto& chosen) { return keys_of(chosen.options()); }, policy);
}

// `name`, then the keys of the policy it names; keys of the other policies are errors.
void read_policy(const Config& section, OptimizerOptions& options) {
  const Words<Policy>& words = policy_words();
  if (!section.has("name")) section.fail("name", "missing key: the optimizer, one of " + word_list(words_of(words)));
  options.policy = read_word(section, "name", words, words.front().second);
  std::visit([&](auto& chosen) { chosen.options().read_into(section, chosen); }, options.policy);
  if (const auto* sgd = std::get_if<SgdPolicy>(&options.policy);
      sgd && sgd->nesterov && (sgd->momentum <= 0.0 || sgd->dampening != 0.0))
    section.fail("nesterov", "needs momentum > 0 and dampening 0");

  const std::vector<std::string> own = policy_keys(options.policy);
  const char* name = std::visit([](const auto& chosen) { return chosen.name; }, options.policy);
  for (const std::string& key : section.keys()) {
    if (std::ranges::find(own, key) != own.end()) continue;
    for (const auto& [other, policy] : words) {
      const std::vector<std::string> theirs = policy_keys(policy);
      if (std::ranges::find(theirs, key) != theirs.end())
        section.fail(key,
                     fmt::format("a key of {}; {} takes lr, lr_decay, weight_decay, {}", other, name, join_words(own)));
    }
  }
}

}  // namespace

const Options<SgdPolicy>& SgdPolicy::options() {
  static const auto options =
      Options<SgdPolicy>()
          .add("momentum", &SgdPolicy::momentum, "μ of the buffer b ← μ b + (1 − dampening) g", at_least(0))
          .add("dampening", &SgdPolicy::dampening, "share of g kept out of the momentum buffer", in_range(0, 1))
          .add("nesterov", &SgdPolicy::nesterov, "Nesterov momentum (needs momentum > 0 and dampening 0)");
  return options;
}

const Options<AdamPolicy>& AdamPolicy::options() {
  static const auto options = Options<AdamPolicy>()
                                  .add("beta1", &AdamPolicy::beta1, "decay of the running mean of g", decay_rate())
                                  .add("beta2", &AdamPolicy::beta2, "decay of the running mean of g²", decay_rate())
                                  .add("eps", &AdamPolicy::eps, "ε added to √v̂", greater_than(0));
  return options;
}

const Options<AdamWPolicy>& AdamWPolicy::options() {
  static const auto options = Options<AdamWPolicy>().include(&AdamWPolicy::adam, AdamPolicy::options());
  return options;
}

const Options<AdagradPolicy>& AdagradPolicy::options() {
  static const auto options =
      Options<AdagradPolicy>()
          .add("initial_accumulator", &AdagradPolicy::initial_accumulator, "starting value of Σg²", at_least(0))
          .add("eps", &AdagradPolicy::eps, "ε added to √Σg²", greater_than(0));
  return options;
}

const Options<AdadeltaPolicy>& AdadeltaPolicy::options() {
  static const auto options =
      Options<AdadeltaPolicy>()
          .add("rho", &AdadeltaPolicy::rho, "decay of the running means of g² and Δ²", in_range(0, 1))
          .add("eps", &AdadeltaPolicy::eps, "ε inside both roots", greater_than(0));
  return options;
}

const Options<OptimizerOptions>& OptimizerOptions::options() {
  static const auto options = [] {
    const Words<Policy>& words = policy_words();
    std::vector<std::string> learning_rates, weight_decays;
    for (const auto& [name, policy] : words)
      std::visit(
          [&]<class P>(const P&) {
            learning_rates.push_back(fmt::format("{} {}", name, P::default_lr));
            if (default_weight_decay<P>() != 0.0)
              weight_decays.push_back(fmt::format("{} {}", name, default_weight_decay<P>()));
          },
          policy);
    auto options =
        Options<OptimizerOptions>()
            .custom({"name", word_list(words_of(words)), "required", "the update rule; its own keys below"},
                    read_policy)
            .add("lr", &OptimizerOptions::lr, "learning rate", greater_than(0))
            .shown_default(join_words(learning_rates))
            .add("lr_decay", &OptimizerOptions::lr_decay, "lr / (1 + (t − 1)·lr_decay) at step t", at_least(0))
            .add("weight_decay", &OptimizerOptions::weight_decay,
                 "w: the gradient becomes g + w·θ (adamw: θ ← θ·(1 − lr·w) before the step)", at_least(0))
            .shown_default("0; " + join_words(weight_decays));
    // The policies' keys, documented here and read by read_policy.
    for (const auto& [name, policy] : words)
      std::visit(
          [&](const auto& chosen) {
            for (OptionDoc doc : chosen.options().docs()) {
              doc.doc = fmt::format("{}: {}", name, doc.doc);
              options.custom(std::move(doc), [](const Config&, OptimizerOptions&) {});
            }
          },
          policy);
    return options;
  }();
  return options;
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerOptions& options) {
  return std::visit(
      [&]<class P>(const P& policy) -> std::unique_ptr<Optimizer> {
        return std::make_unique<PolicyOptimizer<P>>(policy, options.lr.value_or(P::default_lr), options.lr_decay,
                                                    options.weight_decay.value_or(default_weight_decay<P>()));
      },
      options.policy);
}

std::unique_ptr<Optimizer> make_optimizer(const Config& section) {
  return make_optimizer(OptimizerOptions::options().read(section));
}

}  // namespace kooplab
