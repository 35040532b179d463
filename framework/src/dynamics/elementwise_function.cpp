#include "kooplab/dynamics/elementwise_function.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

constexpr std::array<std::pair<std::string_view, ElementwiseFunction::Base>, 8> names{{
    {"identity", ElementwiseFunction::Base::identity},
    {"affine", ElementwiseFunction::Base::identity},
    {"tanh", ElementwiseFunction::Base::tanh},
    {"sigmoid", ElementwiseFunction::Base::sigmoid},
    {"sinh", ElementwiseFunction::Base::sinh},
    {"asinh", ElementwiseFunction::Base::asinh},
    {"softplus", ElementwiseFunction::Base::softplus},
    {"relu", ElementwiseFunction::Base::relu},
}};

std::string base_name(ElementwiseFunction::Base base) {
  for (const auto& [name, value] : names)
    if (value == base && name != "affine") return std::string(name);
  return "?";
}

arma::mat sigmoid(const arma::mat& z) { return 1.0 / (1.0 + arma::exp(-z)); }

std::string parameter_text(const arma::vec& values) {
  if (values.n_elem == 1) return fmt::format("{:g}", values(0) + 0.0);  // + 0.0 turns −0 into 0
  std::string text = "[";
  for (arma::uword i = 0; i < values.n_elem; ++i) text += fmt::format("{}{:g}", i ? ", " : "", values(i) + 0.0);
  return text + "]";
}

}  // namespace

ElementwiseFunction::ElementwiseFunction(Base base, arma::vec gain, arma::vec bias)
    : base_(base), gain_(std::move(gain)), bias_(std::move(bias)) {
  if (gain_.is_empty() || bias_.is_empty()) throw ConfigError("elementwise function: gain and bias must not be empty");
  if (gain_.n_elem > 1 && bias_.n_elem > 1 && gain_.n_elem != bias_.n_elem)
    throw ConfigError(fmt::format("elementwise function: gain has {} entries but bias has {}", gain_.n_elem, bias_.n_elem));
}

arma::vec number_or_list(const Config& section, std::string_view key, double fallback) {
  if (!section.has(key)) return arma::vec{fallback};
  if (!section.node()[std::string(key)].IsSequence()) return arma::vec{section.get<double>(key)};
  arma::vec values = section.get<arma::vec>(key);
  if (values.is_empty()) section.fail(key, "expected a number or a non-empty list");
  return values;
}

ElementwiseFunction ElementwiseFunction::identity() { return {Base::identity, arma::vec{1.0}, arma::vec{0.0}}; }

ElementwiseFunction ElementwiseFunction::from_config(const Config& section, std::string_view key) {
  const bool is_map = section.node()[std::string(key)].IsMap();
  const Config spec = is_map ? section.child(key) : section;
  const std::string name = is_map ? spec.get<std::string>("name") : section.get<std::string>(key);
  const std::string_view name_key = is_map ? std::string_view("name") : key;
  const auto found = std::find_if(names.begin(), names.end(), [&](const auto& entry) { return entry.first == name; });
  if (found == names.end())
    spec.fail(name_key, fmt::format("unknown function '{}'; expected identity, affine, tanh, sigmoid, sinh, asinh, softplus or relu", name));
  if (name == "identity" && (spec.has("gain") || spec.has("bias")))
    spec.fail(name_key, "identity takes no gain or bias; use affine");
  arma::vec gain = is_map ? number_or_list(spec, "gain", 1.0) : arma::vec{1.0};
  arma::vec bias = is_map ? number_or_list(spec, "bias", 0.0) : arma::vec{0.0};
  if (gain.n_elem > 1 && bias.n_elem > 1 && gain.n_elem != bias.n_elem)
    spec.fail("bias", fmt::format("has {} entries but gain has {}", bias.n_elem, gain.n_elem));
  return {found->second, std::move(gain), std::move(bias)};
}

arma::uword ElementwiseFunction::components() const {
  const arma::uword n = std::max(gain_.n_elem, bias_.n_elem);
  return n > 1 ? n : 0;
}

arma::mat ElementwiseFunction::inner(const arma::mat& x) const {
  const arma::uword n = components();
  if (n != 0 && x.n_rows != n)
    throw DataError(fmt::format("{} has parameters for {} components, applied to states of dimension {}", describe(), n, x.n_rows));
  arma::mat z = x;
  if (gain_.n_elem == 1) z *= gain_(0);
  else z.each_col() %= gain_;
  if (bias_.n_elem == 1) z += bias_(0);
  else z.each_col() += bias_;
  return z;
}

arma::mat ElementwiseFunction::value(const arma::mat& x) const {
  const arma::mat z = inner(x);
  switch (base_) {
    case Base::identity: return z;
    case Base::tanh: return arma::tanh(z);
    case Base::sigmoid: return sigmoid(z);
    case Base::sinh: return arma::sinh(z);
    case Base::asinh: return arma::log(z + arma::sqrt(z % z + 1.0));
    case Base::softplus: return arma::clamp(z, 0.0, arma::datum::inf) + arma::log1p(arma::exp(-arma::abs(z)));
    case Base::relu: return arma::clamp(z, 0.0, arma::datum::inf);
  }
  return z;
}

arma::mat ElementwiseFunction::derivative(const arma::mat& x) const {
  const arma::mat z = inner(x);
  arma::mat slope;
  switch (base_) {
    case Base::identity: slope.ones(arma::size(z)); break;
    case Base::tanh: slope = 1.0 - arma::square(arma::tanh(z)); break;
    case Base::sigmoid: { const arma::mat s = sigmoid(z); slope = s % (1.0 - s); break; }
    case Base::sinh: slope = arma::cosh(z); break;
    case Base::asinh: slope = 1.0 / arma::sqrt(z % z + 1.0); break;
    case Base::softplus: slope = sigmoid(z); break;
    case Base::relu: slope = arma::conv_to<arma::mat>::from(z > 0.0); break;
  }
  if (gain_.n_elem == 1) slope *= gain_(0);
  else slope.each_col() %= gain_;
  return slope;
}

bool ElementwiseFunction::strictly_monotone() const { return base_ != Base::relu && arma::all(gain_ != 0.0); }

std::string ElementwiseFunction::describe() const {
  const bool plain_gain = arma::all(gain_ == 1.0), plain_bias = arma::all(bias_ == 0.0);
  std::string argument = plain_gain ? "x" : parameter_text(gain_) + "·x";
  if (!plain_bias) argument += " + " + parameter_text(bias_);
  return base_ == Base::identity ? argument : base_name(base_) + "(" + argument + ")";
}

}  // namespace kooplab
