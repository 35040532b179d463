#pragma once
// One-dimensional basis functions ψ_{k,1..n_k}(x_k) of one state coordinate, the
// factors of tensor-product dictionaries ψ(x) = ψ_1(x_1) ⊗ ... ⊗ ψ_d(x_d).
//
// The families, as one YAML map each (functions, count):
//   {type: monomial, degree: p}                       1, x, ..., x^p                          (p + 1)
//   {type: legendre, degree: p, domain: [a, b]}       P_0..P_p of t = (2x − a − b)/(b − a)    (p + 1)
//   {type: gaussian, centres: [c_1, ...], width: w}   exp(−(x − c_i)² / (2w²)), after a 1
//                                                     when constant                           (#c + constant)
//   {type: fourier, frequencies: K, period: L}        1, cos(kωx), sin(kωx), k = 1..K, ω = 2π/L (2K + 1)
// Every key with its default: CoordinateBasis::options(); a key of another
// family than `type` is an error.
#include <armadillo>
#include <numbers>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kooplab/config.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

class CoordinateBasis {
 public:
  enum class Family { monomial, legendre, gaussian, fourier };

  // The keys of one basis map, all families together.
  struct Keys {
    Family type = Family::monomial;
    std::optional<arma::uword> degree;       // monomial, legendre
    std::vector<double> domain{-1.0, 1.0};   // legendre
    arma::vec centres;                       // gaussian
    std::optional<double> width;             // gaussian
    bool constant = true;                    // gaussian
    std::optional<arma::uword> frequencies;  // fourier
    double period = 2 * std::numbers::pi;    // fourier
  };
  static const Options<Keys>& options();
  // Reads one basis map: `type` and the keys of that family (the required ones
  // must be given, the others' keys must not).
  static CoordinateBasis from_config(const Config& entry);
  static CoordinateBasis monomials(arma::uword degree);
  static CoordinateBasis legendre(arma::uword degree, double lower = -1.0, double upper = 1.0);
  static CoordinateBasis gaussians(arma::vec centres, double width, bool constant = true);
  static CoordinateBasis fourier(arma::uword frequencies, double period);

  Family family() const { return family_; }
  arma::uword size() const;
  // The n × m values of the functions at the m points of x (one coordinate of m states).
  arma::mat evaluate(const arma::rowvec& x) const;

 private:
  Family family_ = Family::monomial;
  arma::uword degree_ = 0;  // monomial / legendre degree, fourier frequency count
  double lower_ = -1.0, upper_ = 1.0, width_ = 1.0, period_ = 0.0;
  arma::vec centres_;
  bool constant_ = true;
};

// Reads `key` of `section`: one basis map used for every coordinate, or a list
// with one map per coordinate. Each list entry is also its own Config, so
// unknown keys inside it are reported.
std::vector<CoordinateBasis> coordinate_bases_from_config(const Config& section, std::string_view key);

// The bases for a state of dimension `dimension`: a single basis is repeated,
// a list must have one entry per coordinate (DataError naming `where` otherwise).
std::vector<CoordinateBasis> bases_for_dimension(const std::vector<CoordinateBasis>& bases, arma::uword dimension,
                                                 const std::string& where);

// The factor matrices Θ_k = ψ_k(X.row(k)) (n_k × m) of the tensor-product dictionary.
std::vector<arma::mat> evaluate_bases(const std::vector<CoordinateBasis>& bases, const arma::mat& states);

}  // namespace kooplab
