#include "kooplab/data/labeled_data.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"

namespace kooplab {

arma::mat one_hot(const arma::uvec& labels, arma::uword classes) {
  arma::mat out(classes, labels.n_elem, arma::fill::zeros);
  for (arma::uword j = 0; j < labels.n_elem; ++j) out(labels(j), j) = 1.0;
  return out;
}

LabeledSet classification_set(arma::mat inputs, arma::uvec labels, arma::uword classes, const std::string& where) {
  if (inputs.n_cols != labels.n_elem)
    throw DataError(fmt::format("{}: {} samples but {} labels", where, inputs.n_cols, labels.n_elem));
  if (!labels.is_empty() && labels.max() >= classes)
    throw DataError(fmt::format("{}: label {} out of range for {} classes", where, labels.max(), classes));
  LabeledSet set;
  set.targets = one_hot(labels, classes);
  set.inputs = std::move(inputs);
  set.labels = std::move(labels);
  return set;
}

arma::uvec random_permutation(arma::uword n, Rng& rng) {
  arma::uvec order(n);
  for (arma::uword i = 0; i < n; ++i) order(i) = i;
  for (arma::uword i = n; i > 1; --i) std::swap(order(i - 1), order(rng.below(i)));
  return order;
}

const Options<InputNormalization>& InputNormalization::options() {
  static const auto options = Options<InputNormalization>().choice(
      "normalize", &InputNormalization::scaling,
      {{"none", InputScaling::none}, {"unit", InputScaling::unit}, {"standardize", InputScaling::standardize}},
      "inputs as they are, onto [0, 1], or to mean 0 and standard deviation 1, with training-set statistics");
  return options;
}

void scale_inputs(LabeledData& data, InputScaling scaling, bool pooled) {
  const arma::mat& x = data.train.inputs;
  if (scaling == InputScaling::none || x.is_empty()) return;
  const arma::uword d = x.n_rows;
  arma::vec offset(d), spread(d);
  if (scaling == InputScaling::unit) {
    offset = pooled ? arma::vec(d, arma::fill::value(x.min())) : arma::vec(arma::min(x, 1));
    spread = (pooled ? arma::vec(d, arma::fill::value(x.max())) : arma::vec(arma::max(x, 1))) - offset;
  } else {
    offset = pooled ? arma::vec(d, arma::fill::value(arma::mean(arma::vectorise(x)))) : arma::vec(arma::mean(x, 1));
    spread = pooled ? arma::vec(d, arma::fill::value(arma::stddev(arma::vectorise(x), 1)))
                    : arma::vec(arma::stddev(x, 1, 1));
  }
  spread.transform([](double s) { return s > 0 ? s : 1.0; });
  for (LabeledSet* set : {&data.train, &data.validation, &data.test}) {
    if (set->inputs.is_empty()) continue;
    set->inputs.each_col() -= offset;
    set->inputs.each_col() /= spread;
  }
}

}  // namespace kooplab
