#pragma once
// A scalar function applied component by component: f_i(x_i) = base(gain_i · x_i + bias_i).
//
// YAML (under any key that takes such a function, e.g. `sigma`, `zeta`, `h`):
//   sigma: tanh                       # a bare name: gain 1, bias 0
//   zeta: {name: affine, gain: 2, bias: [0.1, 0, -0.3]}
// name: identity | affine | tanh | sigmoid | sinh | asinh | softplus | relu
//   identity is x itself and takes no gain or bias; affine is gain·x + bias.
// gain, bias: a number, or a list with one entry per component (default 1 and 0).
//
// A function used as ζ in the network families must be invertible with ζ' ≠ 0
// wherever the state goes: strictly_monotone() says whether that holds on all of ℝ
// (every base but relu, with every gain ≠ 0). tanh, sigmoid and softplus have a
// bounded range, so ζ of the state must stay inside it; the integrator reports
// the blow-up when it does not.
#include <armadillo>
#include <string>
#include <string_view>

#include "kooplab/options.hpp"

namespace kooplab {

// A parameter given as one number shared by every component or as a list with
// one entry per component (gain: 2, bias: [0.1, 0, -0.3]); an option value type.
struct NumberOrList {
  arma::vec values;

  static NumberOrList read_option(const Config& section, std::string_view key);
  static std::string option_type() { return "number | list of numbers"; }
  std::string option_text() const;
};

class ElementwiseFunction {
 public:
  enum class Base { identity, tanh, sigmoid, sinh, asinh, softplus, relu };

  // gain and bias have one entry (shared by every component) or one per component.
  ElementwiseFunction(Base base, arma::vec gain, arma::vec bias);
  static ElementwiseFunction identity();

  // An option value: a name, or a map {name, gain, bias} (see above).
  static ElementwiseFunction read_option(const Config& section, std::string_view key);
  static std::string option_type();
  std::string option_text() const;

  // Component-wise on a state (or on states, one per column).
  arma::mat value(const arma::mat& x) const;
  arma::mat derivative(const arma::mat& x) const;

  // f' ≠ 0 on all of ℝ, so f is invertible.
  bool strictly_monotone() const;
  // Number of components the parameters fix (0 when gain and bias are shared).
  arma::uword components() const;
  // "tanh(2·x + b)"-style description for reports.
  std::string describe() const;

 private:
  arma::mat inner(const arma::mat& x) const;

  Base base_;
  arma::vec gain_, bias_;
};

}  // namespace kooplab
