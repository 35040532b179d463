#include "kooplab/koopman/coordinate_basis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numbers>

#include "kooplab/error.hpp"

namespace kooplab {

namespace {

using Family = CoordinateBasis::Family;

const Words<Family> families = {{"monomial", Family::monomial},
                                {"legendre", Family::legendre},
                                {"gaussian", Family::gaussian},
                                {"fourier", Family::fourier}};

// The keys each family takes, the required ones first.
struct FamilyKeys {
  std::vector<std::string> required, optional;
};
FamilyKeys keys_of(Family family) {
  switch (family) {
    case Family::monomial:
      return {{"degree"}, {}};
    case Family::legendre:
      return {{"degree"}, {"domain"}};
    case Family::gaussian:
      return {{"centres", "width"}, {"constant"}};
    case Family::fourier:
      return {{"frequencies"}, {"period"}};
  }
  return {};
}

}  // namespace

const Options<CoordinateBasis::Keys>& CoordinateBasis::options() {
  static const auto options = [] {
    const Check<std::vector<double>> interval{[](const std::vector<double>& d) { return d.size() == 2 && d[0] < d[1]; },
                                              "[a, b] with a < b"};
    const Check<arma::vec> not_empty{[](const arma::vec& c) { return !c.is_empty(); }, "with at least one entry"};
    return Options<Keys>()
        .choice("type", &Keys::type, families, "the family of functions")
        .shown_default("required")
        .add("degree", &Keys::degree, "monomial, legendre: the highest degree p (p + 1 functions)")
        .add("domain", &Keys::domain, "legendre: the interval [a, b] mapped to [-1, 1]", interval)
        .add("centres", &Keys::centres, "gaussian: the centres c_i", not_empty)
        .add("width", &Keys::width, "gaussian: the width w", greater_than(0))
        .add("constant", &Keys::constant, "gaussian: a constant function first")
        .add("frequencies", &Keys::frequencies, "fourier: the number K of frequencies (2K + 1 functions)", at_least(1))
        .add("period", &Keys::period, "fourier: the period L", greater_than(0));
  }();
  return options;
}

CoordinateBasis CoordinateBasis::monomials(arma::uword degree) {
  CoordinateBasis b;
  b.family_ = Family::monomial;
  b.degree_ = degree;
  return b;
}

CoordinateBasis CoordinateBasis::legendre(arma::uword degree, double lower, double upper) {
  if (!(lower < upper)) throw ConfigError(fmt::format("Legendre basis: empty domain [{}, {}]", lower, upper));
  CoordinateBasis b;
  b.family_ = Family::legendre;
  b.degree_ = degree;
  b.lower_ = lower;
  b.upper_ = upper;
  return b;
}

CoordinateBasis CoordinateBasis::gaussians(arma::vec centres, double width, bool constant) {
  if (centres.is_empty() || !(width > 0)) throw ConfigError("Gaussian basis: needs centres and a positive width");
  CoordinateBasis b;
  b.family_ = Family::gaussian;
  b.centres_ = std::move(centres);
  b.width_ = width;
  b.constant_ = constant;
  return b;
}

CoordinateBasis CoordinateBasis::fourier(arma::uword frequencies, double period) {
  if (!(period > 0)) throw ConfigError("Fourier basis: the period must be positive");
  CoordinateBasis b;
  b.family_ = Family::fourier;
  b.degree_ = frequencies;
  b.period_ = period;
  return b;
}

CoordinateBasis CoordinateBasis::from_config(const Config& entry) {
  if (!entry.has("type")) entry.fail("type", fmt::format("missing key (expected {})", word_list(words_of(families))));
  const Keys keys = options().read(entry);
  const std::string family = word_of(families, keys.type);
  const FamilyKeys own = keys_of(keys.type);
  for (const auto& key : own.required)
    if (!entry.has(key)) entry.fail(key, fmt::format("missing key (a {} basis needs it)", family));
  std::vector<std::string> allowed = own.required;
  allowed.insert(allowed.end(), own.optional.begin(), own.optional.end());
  for (const auto& doc : options().docs())
    if (doc.key != "type" && std::ranges::find(allowed, doc.key) == allowed.end() && entry.has(doc.key))
      entry.fail(doc.key, fmt::format("not a key of a {} basis (its keys: {})", family, word_list(allowed)));
  switch (keys.type) {
    case Family::monomial:
      return monomials(*keys.degree);
    case Family::legendre:
      return legendre(*keys.degree, keys.domain[0], keys.domain[1]);
    case Family::gaussian:
      return gaussians(keys.centres, *keys.width, keys.constant);
    case Family::fourier:
      return fourier(*keys.frequencies, keys.period);
  }
  entry.fail("type", "unknown family");
}

arma::uword CoordinateBasis::size() const {
  switch (family_) {
    case Family::monomial:
    case Family::legendre:
      return degree_ + 1;
    case Family::gaussian:
      return centres_.n_elem + (constant_ ? 1 : 0);
    case Family::fourier:
      return 2 * degree_ + 1;
  }
  return 0;
}

arma::mat CoordinateBasis::evaluate(const arma::rowvec& x) const {
  arma::mat out(size(), x.n_elem);
  switch (family_) {
    case Family::monomial:
      out.row(0).ones();
      for (arma::uword p = 1; p <= degree_; ++p) out.row(p) = out.row(p - 1) % x;
      break;
    case Family::legendre: {
      const arma::rowvec t = (2 * x - lower_ - upper_) / (upper_ - lower_);
      out.row(0).ones();
      if (degree_ >= 1) out.row(1) = t;
      // (p + 1) P_{p+1} = (2p + 1) t P_p − p P_{p−1}
      for (arma::uword p = 1; p < degree_; ++p)
        out.row(p + 1) = ((2.0 * p + 1) * t % out.row(p) - double(p) * out.row(p - 1)) / double(p + 1);
      break;
    }
    case Family::gaussian: {
      const arma::uword shift = constant_ ? 1 : 0;
      if (constant_) out.row(0).ones();
      for (arma::uword i = 0; i < centres_.n_elem; ++i)
        out.row(i + shift) = arma::exp(-arma::square(x - centres_(i)) / (2 * width_ * width_));
      break;
    }
    case Family::fourier: {
      const double omega = 2 * std::numbers::pi / period_;
      out.row(0).ones();
      for (arma::uword k = 1; k <= degree_; ++k) {
        out.row(2 * k - 1) = arma::cos(double(k) * omega * x);
        out.row(2 * k) = arma::sin(double(k) * omega * x);
      }
      break;
    }
  }
  return out;
}

std::vector<CoordinateBasis> coordinate_bases_from_config(const Config& section, std::string_view key) {
  if (!section.has(key)) section.fail(key, "missing key (expected a basis map or a list of them, one per coordinate)");
  if (section.node()[std::string(key)].IsMap()) return {CoordinateBasis::from_config(section.child(key))};
  std::vector<CoordinateBasis> out;
  for (const Config& entry : section.items(key)) out.push_back(CoordinateBasis::from_config(entry));
  if (out.empty()) section.fail(key, "expected at least one basis");
  return out;
}

std::vector<CoordinateBasis> bases_for_dimension(const std::vector<CoordinateBasis>& bases, arma::uword dimension,
                                                 const std::string& where) {
  if (bases.size() == 1) return std::vector<CoordinateBasis>(dimension, bases.front());
  if (bases.size() != dimension)
    throw DataError(
        fmt::format("{}: {} coordinate bases given for states of dimension {}", where, bases.size(), dimension));
  return bases;
}

std::vector<arma::mat> evaluate_bases(const std::vector<CoordinateBasis>& bases, const arma::mat& states) {
  if (bases.size() != states.n_rows)
    throw DataError(fmt::format("tensor-product dictionary: {} coordinate bases for states of dimension {}",
                                bases.size(), states.n_rows));
  std::vector<arma::mat> out;
  out.reserve(bases.size());
  for (arma::uword k = 0; k < states.n_rows; ++k) out.push_back(bases[k].evaluate(states.row(k)));
  return out;
}

}  // namespace kooplab
