// Optimizers against PyTorch's documented update rules (torch.optim), worked
// by hand on one fixed problem: loss ½‖θ‖², so the gradient is g = θ, from
// θ₀ = (1, −2). Each case lists θ after steps 1, 2 and 3; the derivation of
// the first component is in the comment above it.
#include <doctest/doctest.h>

#include <vector>

#include "kooplab/error.hpp"
#include "kooplab/nn/optimizers.hpp"
#include "support.hpp"

namespace {

using kooplab::Config;

std::vector<arma::vec> three_steps(const std::string& yaml) {
  const Config section = Config::parse(yaml, "test.yaml");
  const auto optimizer = kooplab::make_optimizer(section);
  section.check_all_keys_used();
  arma::vec theta{1.0, -2.0};
  std::vector<arma::vec> out;
  for (int t = 0; t < 3; ++t) {
    const arma::vec gradient = theta;
    optimizer->step(theta, gradient);
    out.push_back(theta);
  }
  return out;
}

void check(const std::vector<arma::vec>& got, const std::vector<arma::vec>& expected) {
  for (std::size_t t = 0; t < expected.size(); ++t)
    for (arma::uword i = 0; i < 2; ++i) {
      CAPTURE(t);
      CAPTURE(i);
      CHECK(got[t](i) == doctest::Approx(expected[t](i)).epsilon(1e-12));
    }
}

}  // namespace

TEST_CASE("sgd with momentum") {
  // lr 0.1, μ 0.9: b₁ = g₁ = 1, θ₁ = 1 − 0.1 = 0.9;
  // b₂ = 0.9·1 + 0.9 = 1.8, θ₂ = 0.9 − 0.18 = 0.72;
  // b₃ = 0.9·1.8 + 0.72 = 2.34, θ₃ = 0.72 − 0.234 = 0.486. Linear: θ₀ = −2 gives −2×.
  check(three_steps("name: sgd\nlr: 0.1\nmomentum: 0.9"), {{0.9, -1.8}, {0.72, -1.44}, {0.486, -0.972}});
}

TEST_CASE("sgd with learning-rate decay") {
  // lr_t = 0.1 / (1 + (t − 1)·1) = 0.1, 0.05, 0.0333…:
  // θ₁ = 0.9; θ₂ = 0.9 − 0.05·0.9 = 0.855; θ₃ = 0.855 − 0.855/30 = 0.8265.
  check(three_steps("name: sgd\nlr: 0.1\nlr_decay: 1.0"), {{0.9, -1.8}, {0.855, -1.71}, {0.8265, -1.653}});
}

TEST_CASE("adam: bias correction, eps outside the root") {
  // lr 0.1, β = (0.9, 0.999), ε = 1e-8.
  // t1: m = 0.1, v = 0.001, m̂ = 1, v̂ = 1, θ₁ = 1 − 0.1/(1 + 1e-8) = 0.900000001.
  // t2: g = 0.900000001, m = 0.09 + 0.09 = 0.18, v = 0.000999 + 0.00081 = 0.001809,
  //     m̂ = 0.18/0.19 = 0.947368, √v̂ = √(0.001809/0.001999) = 0.951290,
  //     θ₂ = 0.9 − 0.1·0.947368/0.951290 = 0.800412230.
  // t3: likewise, θ₃ = 0.701586275.
  // Second component: m̂/√v̂ is scale-free, so the first step is −0.1 again: −1.9000000005.
  check(three_steps("name: adam\nlr: 0.1"), {{0.900000001, -1.9000000005},
                                             {0.8004122297123382, -1.8001664866210927},
                                             {0.701586274504415, -1.7006233928121137}});
}

TEST_CASE("adam defaults are PyTorch's") {
  // lr 1e-3: the first Adam step is lr·g/(|g| + ε) = 0.001 − 1e-11 for g = 1.
  const auto steps = three_steps("name: adam");
  CHECK(steps[0](0) == doctest::Approx(1.0 - 0.001 / (1.0 + 1e-8)).epsilon(1e-14));
}

TEST_CASE("adamw: decoupled weight decay before Adam's step") {
  // lr 0.1, w 0.1, β = (0.9, 0.999), ε = 1e-8 (torch.optim.AdamW).
  // t1: θ ← 1·(1 − 0.01) = 0.99, then Adam's first step on g = θ₀ = 1 (m̂ = v̂ = 1):
  //     θ₁ = 0.99 − 0.1/(1 + 1e-8) = 0.890000001; second component −1.98 + 0.1/(1 + 5e-9).
  // t2, t3: the same two operations from θ₁ and θ₂ (g = θ before the decay).
  check(three_steps("name: adamw\nlr: 0.1\nweight_decay: 0.1"), {{0.890000001, -1.8800000005},
                                                                 {0.7815718569541611, -1.7614089510885826},
                                                                 {0.6751012231892008, -1.6443686843220089}});
  // Without decay it is Adam.
  check(three_steps("name: adamw\nlr: 0.1\nweight_decay: 0"), three_steps("name: adam\nlr: 0.1"));
}

TEST_CASE("adamw defaults are PyTorch's: lr 1e-3, weight decay 0.01") {
  // θ₁ = 1·(1 − 1e-3·0.01) − 0.001/(1 + 1e-8) = 0.99899000001.
  CHECK(three_steps("name: adamw")[0](0) == doctest::Approx(0.99899000001).epsilon(1e-14));
  // Adam's keys are AdamW's, and Adam's weight decay stays coupled (g + w·θ): another step.
  check(three_steps("name: adamw\nlr: 0.1\nbeta2: 0.99\nweight_decay: 0"),
        three_steps("name: adam\nlr: 0.1\nbeta2: 0.99"));
  CHECK(three_steps("name: adam\nlr: 0.1\nweight_decay: 0.1")[0](0) !=
        doctest::Approx(three_steps("name: adamw\nlr: 0.1\nweight_decay: 0.1")[0](0)));
}

TEST_CASE("adagrad, with and without its lr_decay") {
  // lr 0.1, ε = 1e-10: s₁ = 1, θ₁ = 1 − 0.1/(1 + 1e-10) = 0.90000000001;
  // s₂ = 1 + 0.81 = 1.81, θ₂ = 0.9 − 0.1·0.9/(√1.81) = 0.9 − 0.066896 = 0.833103527;
  // s₃ = 1.81 + 0.694061 = 2.504061, θ₃ = 0.833104 − 0.0833104/1.582423 = 0.780456181.
  check(three_steps("name: adagrad\nlr: 0.1"), {{0.90000000001, -1.900000000005},
                                                {0.8331035268523168, -1.831125053815932},
                                                {0.7804561813655163, -1.7758215150175451}});
  // lr_decay 0.5: clr = 0.1, 0.0666…, 0.05:
  // θ₂ = 0.9 − 0.0666667·0.9/√1.81 = 0.855402351; θ₃ = θ₂ − 0.05·θ₂/√(1.81 + θ₂²) = 0.828575038.
  check(three_steps("name: adagrad\nlr: 0.1\nlr_decay: 0.5"), {{0.90000000001, -1.900000000005},
                                                               {0.8554023512382112, -1.854083369212288},
                                                               {0.8285750384247103, -1.8261923234738817}});
}

TEST_CASE("adadelta: defaults rho 0.9, lr 1, eps inside both roots") {
  // v₁ = 0.1·1 = 0.1, Δ₁ = √(0 + 1e-6)/√(0.1 + 1e-6)·1 = 0.001/0.3162293 = 0.0031622619,
  // θ₁ = 0.9968377381, u₁ = 0.1·Δ₁² = 1.0e-6 (to 6 digits);
  // v₂ = 0.09 + 0.1·0.993685 = 0.1893685, Δ₂ = √(2.0e-6)/√0.1893695·0.9968377 = 0.0032396,
  // θ₂ = 0.9935981984; θ₃ = 0.9903090828 likewise.
  check(three_steps("name: adadelta"), {{0.9968377381511013, -1.9968377262926713},
                                        {0.9935981984076517, -1.9935957350142592},
                                        {0.9903090828008376, -1.990300761714474}});
}

TEST_CASE("weight decay adds w·θ to the gradient") {
  // g + 0.5·θ = 1.5·θ: θ₁ = 1 − 0.1·1.5 = 0.85, θ₂ = 0.85·0.85 = 0.7225, θ₃ = 0.614125.
  check(three_steps("name: sgd\nlr: 0.1\nweight_decay: 0.5"), {{0.85, -1.7}, {0.7225, -1.445}, {0.614125, -1.22825}});
}

TEST_CASE("unknown optimizers and misplaced options are config errors") {
  CHECK_THROWS_AS(three_steps("name: rmsprop"), kooplab::ConfigError);
  CHECK_THROWS_AS(three_steps("name: sgd\nbeta1: 0.9"), kooplab::ConfigError);
  CHECK_THROWS_AS(three_steps("name: sgd\nnesterov: true"), kooplab::ConfigError);
}

TEST_CASE("optimizer hyper-parameters are checked where they are read") {
  using kooplab::testing::contains;
  const auto error = [](const std::string& yaml) {
    return kooplab::testing::error_of<kooplab::ConfigError>([&] { three_steps(yaml); });
  };
  CHECK(contains(error("name: adam\nlr: -0.01"), "lr: expected a number > 0, got -0.01"));
  CHECK(contains(error("name: adam\nlr: .nan"), "lr: expected a finite number, got nan"));
  CHECK(contains(error("name: sgd\nlr_decay: -1"), "lr_decay: expected a number ≥ 0, got -1"));
  CHECK(contains(error("name: sgd\nweight_decay: -0.1"), "weight_decay: expected a number ≥ 0, got -0.1"));
  CHECK(contains(error("name: sgd\nmomentum: -0.9"), "momentum: expected a number ≥ 0, got -0.9"));
  CHECK(contains(error("name: sgd\ndampening: 1.5"), "dampening: expected a number in [0, 1], got 1.5"));
  CHECK(contains(error("name: adam\nbeta1: 1"), "beta1: expected a number in [0, 1), got 1"));
  CHECK(contains(error("name: adam\nbeta2: -0.1"), "beta2: expected a number in [0, 1), got -0.1"));
  CHECK(contains(error("name: adam\neps: 0"), "eps: expected a number > 0, got 0"));
  CHECK(
      contains(error("name: adagrad\ninitial_accumulator: -1"), "initial_accumulator: expected a number ≥ 0, got -1"));
  CHECK(contains(error("name: adadelta\nrho: 1.5"), "rho: expected a number in [0, 1], got 1.5"));
  CHECK(contains(error("name: sgd\nnesterov: true\nmomentum: 0.9\ndampening: 0.1"),
                 "nesterov: needs momentum > 0 and dampening 0"));
}

TEST_CASE("the optimizer's name is required and a word; keys of another optimizer are named as such") {
  using kooplab::testing::contains;
  const auto error = [](const std::string& yaml) {
    return kooplab::testing::error_of<kooplab::ConfigError>([&] { three_steps(yaml); });
  };
  CHECK(contains(error("lr: 0.1"), "name: missing key: the optimizer, one of sgd | adam | adamw | adagrad | adadelta"));
  CHECK(contains(error("name: adamm"),
                 "name: expected one of sgd, adam, adamw, adagrad, adadelta, got 'adamm' (did you mean 'adam'?)"));
  CHECK(contains(error("name: adam\nmomentum: 0.9"),
                 "momentum: a key of sgd; adam takes lr, lr_decay, weight_decay, beta1, beta2, eps"));
  CHECK(contains(error("name: adagrad\nrho: 0.9"), "rho: a key of adadelta; adagrad takes"));
  CHECK(contains(error("name: adam\nbeta3: 0.9"), "unknown key (did you mean 'beta"));
  // eps is a key of three of them, each with its own default.
  check(three_steps("name: adagrad\nlr: 0.1\neps: 1e-10"), three_steps("name: adagrad\nlr: 0.1"));
  CHECK(three_steps("name: adadelta\neps: 1e-6")[2](0) == three_steps("name: adadelta")[2](0));
}
