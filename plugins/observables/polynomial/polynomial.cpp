// Observable `polynomial`: monomials of the state, ψ_j(x) = Π_i x_i^{e_ji}:
// all monomials of total degree 1..p, or an explicit list of exponent vectors.
// With degree, the monomials run by total degree, then lexicographically
// (x_1² before x_1x_2 before x_2²); with the state prepended they start at
// degree 2, so nothing repeats. Keys: `kooplab plugins polynomial`.
#include <fmt/format.h>

#include <functional>

#include "kooplab/error.hpp"
#include "kooplab/koopman/dictionary.hpp"

namespace {

using kooplab::DataError;

constexpr arma::uword max_functions = 100000;

bool nonnegative_integers(const arma::mat& values) {
  return arma::all(arma::vectorise(values) >= 0) &&
         arma::all(arma::vectorise(values) == arma::round(arma::vectorise(values)));
}

struct Settings {
  kooplab::DictionaryPrefix prefix;
  std::optional<arma::uword> degree;
  arma::mat exponents;
  bool cross_terms = true;
};

class Polynomial : public kooplab::Observable {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .add("degree", &Settings::degree, "p: all monomials of total degree 1..p", kooplab::at_least(1))
            .add("exponents", &Settings::exponents, "the exponent vectors, one row per function",
                 kooplab::Check<arma::mat>(nonnegative_integers, "of integers ≥ 0"))
            .exactly_one_of({"degree", "exponents"})
            .add("cross_terms", &Settings::cross_terms, "with degree: false keeps only powers of single components")
            .include(&Settings::prefix, kooplab::DictionaryPrefix::options());
    return options;
  }

  explicit Polynomial(const kooplab::Config& section) : settings_(options().read(section)) {
    if (!settings_.degree) exponents_ = arma::conv_to<arma::umat>::from(settings_.exponents);
  }

  arma::mat evaluate(const arma::mat& states) const override {
    const arma::umat exponents = settings_.degree ? monomials(states.n_rows) : exponents_;
    if (exponents.n_cols != states.n_rows)
      throw DataError(fmt::format("{}: the exponent vectors have {} entries but the states have dimension {}",
                                  identity(), exponents.n_cols, states.n_rows));
    const arma::uword top = exponents.max();
    // powers[k − 1] = X^k elementwise, for k = 1..top.
    std::vector<arma::mat> powers{states};
    for (arma::uword k = 2; k <= top; ++k) powers.push_back(powers.back() % states);
    arma::mat features(exponents.n_rows, states.n_cols, arma::fill::ones);
    for (arma::uword j = 0; j < exponents.n_rows; ++j)
      for (arma::uword i = 0; i < exponents.n_cols; ++i)
        if (exponents(j, i) > 0) features.row(j) %= powers[exponents(j, i) - 1].row(i);
    return settings_.prefix.prepend(states, features);
  }

 private:
  // All exponent vectors of total degree 1..p (2..p after the state) for n variables.
  arma::umat monomials(arma::uword n) const {
    const arma::uword degree = *settings_.degree;
    std::vector<arma::urowvec> rows;
    arma::urowvec current(n, arma::fill::zeros);
    // Distributes `left` among variables i.. in lexicographically decreasing order.
    const std::function<void(arma::uword, arma::uword)> place = [&](arma::uword i, arma::uword left) {
      if (rows.size() > max_functions)
        throw DataError(fmt::format("{}: degree {} in dimension {} gives more than {} monomials", identity(), degree, n,
                                    max_functions));
      if (i + 1 == n || left == 0) {
        current(i) = left;
        if (settings_.cross_terms || arma::accu(current > 0) <= 1) rows.push_back(current);
        current(i) = 0;
        return;
      }
      for (arma::uword e = left + 1; e-- > 0;) {
        current(i) = e;
        place(i + 1, left - e);
      }
      current(i) = 0;
    };
    for (arma::uword d = settings_.prefix.state ? 2 : 1; d <= degree; ++d) place(0, d);
    arma::umat out(rows.size(), n);
    for (arma::uword j = 0; j < rows.size(); ++j) out.row(j) = rows[j];
    return out;
  }

  Settings settings_;
  arma::umat exponents_;  // with exponents given
};

}  // namespace

KOOPLAB_PLUGIN(
    Polynomial, kooplab::Observable, "polynomial",
    "Monomials up to a total degree (optionally without cross terms) or from an explicit list of exponent vectors")
