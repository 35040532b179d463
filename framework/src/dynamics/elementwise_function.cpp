#include "kooplab/dynamics/elementwise_function.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

using Base = ElementwiseFunction::Base;

// identity before affine: a Base::identity function is shown as "identity".
const Words<Base>& names() {
  static const Words<Base> words{{"identity", Base::identity}, {"affine", Base::identity}, {"tanh", Base::tanh},
                                 {"sigmoid", Base::sigmoid},   {"sinh", Base::sinh},       {"asinh", Base::asinh},
                                 {"softplus", Base::softplus}, {"relu", Base::relu}};
  return words;
}

// The map form {name, gain, bias}.
struct Spec {
  Base name = Base::identity;
  NumberOrList gain{arma::vec{1.0}}, bias{arma::vec{0.0}};
};

const Options<Spec>& spec_options() {
  static const auto options = Options<Spec>()
                                  .choice("name", &Spec::name, names(), "the base function")
                                  .add("gain", &Spec::gain, "g in base(g·x + b)")
                                  .add("bias", &Spec::bias, "b in base(g·x + b)");
  return options;
}

arma::mat sigmoid(const arma::mat& z) { return 1.0 / (1.0 + arma::exp(-z)); }

std::string parameter_text(const arma::vec& values) {
  if (values.n_elem == 1) return fmt::format("{:g}", values(0) + 0.0);  // + 0.0 turns −0 into 0
  std::string text = "[";
  for (arma::uword i = 0; i < values.n_elem; ++i) text += fmt::format("{}{:g}", i ? ", " : "", values(i) + 0.0);
  return text + "]";
}

}  // namespace

NumberOrList NumberOrList::read_option(const Config& section, std::string_view key) {
  if (!section.has(key)) section.fail(key, "missing key (expected a number or a list of numbers)");
  const arma::vec values = section.is_list(key) ? section.get<arma::vec>(key) : arma::vec{section.get<double>(key)};
  if (values.is_empty()) section.fail(key, "expected a number or a non-empty list");
  if (!values.is_finite()) section.fail(key, fmt::format("expected finite numbers, got {}", parameter_text(values)));
  return {values};
}

std::string NumberOrList::option_text() const { return parameter_text(values); }

ElementwiseFunction::ElementwiseFunction(Base base, arma::vec gain, arma::vec bias)
    : base_(base), gain_(std::move(gain)), bias_(std::move(bias)) {
  if (gain_.is_empty() || bias_.is_empty()) throw ConfigError("elementwise function: gain and bias must not be empty");
  if (gain_.n_elem > 1 && bias_.n_elem > 1 && gain_.n_elem != bias_.n_elem)
    throw ConfigError(
        fmt::format("elementwise function: gain has {} entries but bias has {}", gain_.n_elem, bias_.n_elem));
}

ElementwiseFunction ElementwiseFunction::identity() { return {Base::identity, arma::vec{1.0}, arma::vec{0.0}}; }

ElementwiseFunction ElementwiseFunction::read_option(const Config& section, std::string_view key) {
  if (!section.has(key)) section.fail(key, "missing key (expected " + option_type() + ")");
  const YAML::Node& map = section.node();  // has() made sure it is a map; const access never inserts keys
  if (!map[std::string(key)].IsMap())
    return {read_word(section, key, names(), Base::identity), arma::vec{1.0}, arma::vec{0.0}};
  const Config spec = section.child(key);
  if (!spec.has("name"))
    spec.fail("name", fmt::format("missing key (expected one of {})", fmt::join(words_of(names()), ", ")));
  const Spec read = spec_options().read(spec);
  if (spec.is_word("name", "identity") && (spec.has("gain") || spec.has("bias")))
    spec.fail("name", "identity takes no gain or bias; use affine");
  const arma::vec &gain = read.gain.values, &bias = read.bias.values;
  if (gain.n_elem > 1 && bias.n_elem > 1 && gain.n_elem != bias.n_elem)
    spec.fail("bias", fmt::format("has {} entries but gain has {}", bias.n_elem, gain.n_elem));
  return {read.name, gain, bias};
}

std::string ElementwiseFunction::option_type() { return word_list(words_of(names())) + " | {name, gain, bias}"; }

std::string ElementwiseFunction::option_text() const {
  if (arma::all(gain_ == 1.0) && arma::all(bias_ == 0.0) && gain_.n_elem == 1 && bias_.n_elem == 1)
    return word_of(names(), base_);
  return fmt::format("{{name: {}, gain: {}, bias: {}}}", base_ == Base::identity ? "affine" : word_of(names(), base_),
                     parameter_text(gain_), parameter_text(bias_));
}

arma::uword ElementwiseFunction::components() const {
  const arma::uword n = std::max(gain_.n_elem, bias_.n_elem);
  return n > 1 ? n : 0;
}

arma::mat ElementwiseFunction::inner(const arma::mat& x) const {
  const arma::uword n = components();
  if (n != 0 && x.n_rows != n)
    throw DataError(
        fmt::format("{} has parameters for {} components, applied to states of dimension {}", describe(), n, x.n_rows));
  arma::mat z = x;
  if (gain_.n_elem == 1)
    z *= gain_(0);
  else
    z.each_col() %= gain_;
  if (bias_.n_elem == 1)
    z += bias_(0);
  else
    z.each_col() += bias_;
  return z;
}

arma::mat ElementwiseFunction::value(const arma::mat& x) const {
  const arma::mat z = inner(x);
  switch (base_) {
    case Base::identity:
      return z;
    case Base::tanh:
      return arma::tanh(z);
    case Base::sigmoid:
      return sigmoid(z);
    case Base::sinh:
      return arma::sinh(z);
    case Base::asinh:
      return arma::log(z + arma::sqrt(z % z + 1.0));
    case Base::softplus:
      return arma::clamp(z, 0.0, arma::datum::inf) + arma::log1p(arma::exp(-arma::abs(z)));
    case Base::relu:
      return arma::clamp(z, 0.0, arma::datum::inf);
  }
  return z;
}

arma::mat ElementwiseFunction::derivative(const arma::mat& x) const {
  const arma::mat z = inner(x);
  arma::mat slope;
  switch (base_) {
    case Base::identity:
      slope.ones(arma::size(z));
      break;
    case Base::tanh:
      slope = 1.0 - arma::square(arma::tanh(z));
      break;
    case Base::sigmoid: {
      const arma::mat s = sigmoid(z);
      slope = s % (1.0 - s);
      break;
    }
    case Base::sinh:
      slope = arma::cosh(z);
      break;
    case Base::asinh:
      slope = 1.0 / arma::sqrt(z % z + 1.0);
      break;
    case Base::softplus:
      slope = sigmoid(z);
      break;
    case Base::relu:
      slope = arma::conv_to<arma::mat>::from(z > 0.0);
      break;
  }
  if (gain_.n_elem == 1)
    slope *= gain_(0);
  else
    slope.each_col() %= gain_;
  return slope;
}

bool ElementwiseFunction::strictly_monotone() const { return base_ != Base::relu && arma::all(gain_ != 0.0); }

std::string ElementwiseFunction::describe() const {
  const bool plain_gain = arma::all(gain_ == 1.0), plain_bias = arma::all(bias_ == 0.0);
  std::string argument = plain_gain ? "x" : parameter_text(gain_) + "·x";
  if (!plain_bias) argument += " + " + parameter_text(bias_);
  return base_ == Base::identity ? argument : word_of(names(), base_) + "(" + argument + ")";
}

}  // namespace kooplab
