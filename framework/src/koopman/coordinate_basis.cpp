#include "kooplab/koopman/coordinate_basis.hpp"

#include <fmt/format.h>

#include <numbers>

#include "kooplab/error.hpp"

namespace kooplab {

namespace {

arma::uword read_count(const Config& entry, std::string_view key, int minimum) {
  const int value = entry.get<int>(key);
  if (value < minimum) entry.fail(key, fmt::format("expected an integer ≥ {}, got {}", minimum, value));
  return arma::uword(value);
}

}  // namespace

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
  const std::string type = entry.get<std::string>("type");
  if (type == "monomial") return monomials(read_count(entry, "degree", 0));
  if (type == "legendre") {
    const arma::uword degree = read_count(entry, "degree", 0);
    const std::vector<double> domain = entry.get_or<std::vector<double>>("domain", {-1.0, 1.0});
    if (domain.size() != 2 || !(domain[0] < domain[1])) entry.fail("domain", "expected [a, b] with a < b");
    return legendre(degree, domain[0], domain[1]);
  }
  if (type == "gaussian") {
    const arma::vec centres = entry.get<arma::vec>("centres");
    if (centres.is_empty()) entry.fail("centres", "expected at least one centre");
    const double width = entry.get<double>("width");
    if (!(width > 0)) entry.fail("width", "expected a positive width");
    return gaussians(centres, width, entry.get_or<bool>("constant", true));
  }
  if (type == "fourier") {
    const arma::uword frequencies = read_count(entry, "frequencies", 1);
    const double period = entry.get_or<double>("period", 2 * std::numbers::pi);
    if (!(period > 0)) entry.fail("period", "expected a positive period");
    return fourier(frequencies, period);
  }
  entry.fail("type", fmt::format("expected monomial, legendre, gaussian or fourier, got '{}'", type));
}

arma::uword CoordinateBasis::size() const {
  switch (family_) {
    case Family::monomial:
    case Family::legendre: return degree_ + 1;
    case Family::gaussian: return centres_.n_elem + (constant_ ? 1 : 0);
    case Family::fourier: return 2 * degree_ + 1;
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
    throw DataError(fmt::format("{}: {} coordinate bases given for states of dimension {}", where, bases.size(),
                                dimension));
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
