// Observable `polynomial`: monomials of the state, ψ_j(x) = Π_i x_i^{e_ji}.
//
// observable:
//   name: polynomial
//   degree: 2                  all monomials of total degree 1..p (p ≥ 1), or instead:
//   exponents: [[1, 0], [0, 1], [2, 0]]   an explicit list of exponent vectors, one per function
//   cross_terms: true          with degree: false keeps only powers of single components
//   constant: false            prepend 1
//   state: false               prepend x (degree mode then starts at degree 2, so nothing repeats)
// With degree, the monomials run by total degree, then lexicographically
// (x_1² before x_1x_2 before x_2²).
#include <fmt/format.h>

#include <functional>

#include "kooplab/koopman/dictionary.hpp"
#include "kooplab/error.hpp"

namespace {

using kooplab::DataError;

constexpr arma::uword max_functions = 100000;

class Polynomial : public kooplab::Observable {
 public:
  explicit Polynomial(const kooplab::Config& section)
      : prefix_(kooplab::DictionaryPrefix::from_config(section)), cross_terms_(section.get_or<bool>("cross_terms", true)) {
    const bool has_degree = section.has("degree"), has_exponents = section.has("exponents");
    if (has_degree == has_exponents) section.fail("give exactly one of 'degree' and 'exponents'");
    if (has_degree) {
      degree_ = section.get<int>("degree");
      if (degree_ < 1) section.fail("degree", "expected a degree ≥ 1");
    } else {
      const arma::mat exponents = section.get<arma::mat>("exponents");
      if (exponents.is_empty() || arma::any(arma::vectorise(exponents) < 0) ||
          arma::any(arma::vectorise(exponents) != arma::round(arma::vectorise(exponents))))
        section.fail("exponents", "expected a non-empty list of equally long lists of integers ≥ 0");
      exponents_ = arma::conv_to<arma::umat>::from(exponents);
    }
  }

  arma::mat evaluate(const arma::mat& states) const override {
    const arma::umat exponents = degree_ > 0 ? monomials(states.n_rows) : exponents_;
    if (exponents.n_cols != states.n_rows)
      throw DataError(fmt::format("{}: the exponent vectors have {} entries but the states have dimension {}", identity(),
                                  exponents.n_cols, states.n_rows));
    const arma::uword top = exponents.max();
    // powers[k − 1] = X^k elementwise, for k = 1..top.
    std::vector<arma::mat> powers{states};
    for (arma::uword k = 2; k <= top; ++k) powers.push_back(powers.back() % states);
    arma::mat features(exponents.n_rows, states.n_cols, arma::fill::ones);
    for (arma::uword j = 0; j < exponents.n_rows; ++j)
      for (arma::uword i = 0; i < exponents.n_cols; ++i)
        if (exponents(j, i) > 0) features.row(j) %= powers[exponents(j, i) - 1].row(i);
    return prefix_.prepend(states, features);
  }

 private:
  // All exponent vectors of total degree first..degree_ for n variables.
  arma::umat monomials(arma::uword n) const {
    std::vector<arma::urowvec> rows;
    arma::urowvec current(n, arma::fill::zeros);
    // Distributes `left` among variables i.. in lexicographically decreasing order.
    const std::function<void(arma::uword, arma::uword)> place = [&](arma::uword i, arma::uword left) {
      if (rows.size() > max_functions)
        throw DataError(fmt::format("{}: degree {} in dimension {} gives more than {} monomials", identity(), degree_, n, max_functions));
      if (i + 1 == n || left == 0) {
        current(i) = left;
        if (cross_terms_ || arma::accu(current > 0) <= 1) rows.push_back(current);
        current(i) = 0;
        return;
      }
      for (arma::uword e = left + 1; e-- > 0;) {
        current(i) = e;
        place(i + 1, left - e);
      }
      current(i) = 0;
    };
    for (arma::uword d = prefix_.state ? 2 : 1; d <= arma::uword(degree_); ++d) place(0, d);
    arma::umat out(rows.size(), n);
    for (arma::uword j = 0; j < rows.size(); ++j) out.row(j) = rows[j];
    return out;
  }

  kooplab::DictionaryPrefix prefix_;
  bool cross_terms_;
  int degree_ = 0;
  arma::umat exponents_;
};

}  // namespace

KOOPLAB_PLUGIN(Polynomial, kooplab::Observable, "polynomial",
               "Monomials up to a total degree (optionally without cross terms) or from an explicit list of exponent vectors")
