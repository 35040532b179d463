#pragma once
// Gradient optimizers with PyTorch's update rules and defaults (torch.optim
// documentation), as small policy classes behind one Optimizer interface.
//
// Each policy keeps its state for a parameter vector of fixed length and
// updates it in place, allocating nothing after the first step. With
// weight_decay w the gradient becomes g + w·θ first, as in PyTorch, except
// for a policy that decouples the decay (AdamW): θ ← θ·(1 − lr·w) before its
// update, which then sees g alone. The
// learning rate of step t (from 1) is lr / (1 + (t − 1)·lr_decay), which for
// Adagrad is exactly PyTorch's own lr_decay.
//
// A policy names itself, gives its default learning rate and declares its own
// keys; the optimizer section (OptimizerOptions) is read from them.
#include <armadillo>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "kooplab/config.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

// b ← μ b + (1 − dampening) g (b = g at t = 1); g ← g + μ b (nesterov) or b; θ ← θ − lr g.
struct SgdPolicy {
  static constexpr const char* name = "sgd";
  static constexpr double default_lr = 0.01;
  static const Options<SgdPolicy>& options();
  double momentum = 0.0, dampening = 0.0;
  bool nesterov = false;
  arma::vec buffer;
  void update(arma::vec& theta, const arma::vec& g, double lr, arma::uword t);
};

// m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²;
// θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε).
struct AdamPolicy {
  static constexpr const char* name = "adam";
  static constexpr double default_lr = 1e-3;
  static const Options<AdamPolicy>& options();
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  arma::vec m, v;
  void update(arma::vec& theta, const arma::vec& g, double lr, arma::uword t);
};

// AdamW (Loshchilov & Hutter; torch.optim.AdamW): the weight decay is
// decoupled, θ ← θ·(1 − lr·w), then Adam's step on g. PyTorch's default w is 0.01.
struct AdamWPolicy {
  static constexpr const char* name = "adamw";
  static constexpr double default_lr = 1e-3;
  static constexpr double default_weight_decay = 1e-2;
  static constexpr bool decoupled_weight_decay = true;
  static const Options<AdamWPolicy>& options();
  AdamPolicy adam;
  void update(arma::vec& theta, const arma::vec& g, double lr, arma::uword t) { adam.update(theta, g, lr, t); }
};

// s ← s + g²; θ ← θ − lr · g / (√s + ε).
struct AdagradPolicy {
  static constexpr const char* name = "adagrad";
  static constexpr double default_lr = 0.01;
  static const Options<AdagradPolicy>& options();
  double initial_accumulator = 0.0, eps = 1e-10;
  arma::vec sum;
  void update(arma::vec& theta, const arma::vec& g, double lr, arma::uword t);
};

// v ← ρ v + (1 − ρ) g²; Δ = √(u + ε) / √(v + ε) · g; u ← ρ u + (1 − ρ) Δ²; θ ← θ − lr Δ.
struct AdadeltaPolicy {
  static constexpr const char* name = "adadelta";
  static constexpr double default_lr = 1.0;
  static const Options<AdadeltaPolicy>& options();
  double rho = 0.9, eps = 1e-6;
  arma::vec square_avg, acc_delta;
  void update(arma::vec& theta, const arma::vec& g, double lr, arma::uword t);
};

class Optimizer {
 public:
  virtual ~Optimizer();
  // One update of `parameters` from `gradient`; the first call is step t = 1.
  void step(arma::vec& parameters, const arma::vec& gradient);
  arma::uword steps() const { return steps_; }
  double learning_rate() const { return lr_; }
  virtual std::string name() const = 0;

 protected:
  Optimizer(double lr, double lr_decay, double weight_decay, bool decoupled)
      : lr_(lr), lr_decay_(lr_decay), weight_decay_(weight_decay), decoupled_(decoupled) {}
  virtual void update(arma::vec& theta, const arma::vec& g, double lr, arma::uword t) = 0;

 private:
  double lr_, lr_decay_, weight_decay_;
  bool decoupled_;  // θ ← θ·(1 − lr·w) instead of g + w·θ
  arma::uword steps_ = 0;
  arma::vec decayed_;  // g + w·θ when weight_decay ≠ 0
};

// A policy's default weight decay (0 unless it declares one) and whether it decouples it.
template <class Policy>
constexpr double default_weight_decay() {
  if constexpr (requires { Policy::default_weight_decay; })
    return Policy::default_weight_decay;
  else
    return 0.0;
}
template <class Policy>
constexpr bool decouples_weight_decay() {
  if constexpr (requires { Policy::decoupled_weight_decay; })
    return Policy::decoupled_weight_decay;
  else
    return false;
}

// Wraps one policy; the policy's fields are its options and state.
template <class Policy>
class PolicyOptimizer : public Optimizer {
 public:
  PolicyOptimizer(Policy policy, double lr, double lr_decay = 0.0, double weight_decay = default_weight_decay<Policy>())
      : Optimizer(lr, lr_decay, weight_decay, decouples_weight_decay<Policy>()), policy_(std::move(policy)) {}
  std::string name() const override { return Policy::name; }
  const Policy& policy() const { return policy_; }

 protected:
  void update(arma::vec& theta, const arma::vec& g, double lr, arma::uword t) override {
    policy_.update(theta, g, lr, t);
  }

 private:
  Policy policy_;
};

// The optimizer section: `name` picks the policy, whose own keys are read
// beside lr, lr_decay and weight_decay; a key of another optimizer (momentum
// under adam) is an error. `kooplab plugins train` lists them as optimizer.*.
struct OptimizerOptions {
  std::variant<SgdPolicy, AdamPolicy, AdamWPolicy, AdagradPolicy, AdadeltaPolicy> policy;
  std::optional<double> lr;  // absent: the policy's default_lr
  double lr_decay = 0.0;
  std::optional<double> weight_decay;  // absent: the policy's default (0, AdamW 0.01)
  static const Options<OptimizerOptions>& options();
};

std::unique_ptr<Optimizer> make_optimizer(const OptimizerOptions& options);
// The optimizer a config section describes (OptimizerOptions::options()).
std::unique_ptr<Optimizer> make_optimizer(const Config& section);

}  // namespace kooplab
