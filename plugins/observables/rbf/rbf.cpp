// Observable `rbf`: Gaussian radial basis functions ψ_j(x) = exp(−γ‖x − c_j‖²).
//
// observable:
//   name: rbf
//   centres: 20                 number of centres c_j
//   centre_method: kmeans       kmeans: k-means++ seeding then Lloyd iterations; random: a random subset of the states
//   kmeans_iterations: 10       Lloyd iterations after seeding
//   gamma: auto                 a number > 0, or auto: the median heuristic γ = 1/(2 s²), s² the median
//                               squared distance between training states (≤ 1000 drawn at random)
//   constant: false             prepend 1
//   state: false                prepend x
// Centres (and γ when auto) are fitted on the training states.
#include <fmt/format.h>

#include "kooplab/koopman/dictionary.hpp"
#include "kooplab/error.hpp"
#include "kooplab/regression/kmeans.hpp"

namespace {

using kooplab::DataError;

class Rbf : public kooplab::Observable {
 public:
  explicit Rbf(const kooplab::Config& section)
      : prefix_(kooplab::DictionaryPrefix::from_config(section)),
        count_(section.get_or<int>("centres", 20)),
        method_(section.get_or<std::string>("centre_method", "kmeans")),
        iterations_(section.get_or<int>("kmeans_iterations", 10)) {
    if (count_ < 1) section.fail("centres", "expected at least 1");
    if (iterations_ < 0) section.fail("kmeans_iterations", "expected a number ≥ 0");
    if (method_ != "kmeans" && method_ != "random")
      section.fail("centre_method", fmt::format("expected kmeans or random, got '{}'", method_));
    if (section.has("gamma") && !section.is_word("gamma", "auto")) {
      gamma_ = section.get<double>("gamma");
      if (!(gamma_ > 0.0)) section.fail("gamma", "expected a number > 0 or auto");
      fixed_gamma_ = true;
    }
  }

  void fit(const arma::mat& states, kooplab::Rng& rng) override {
    const arma::uword k = arma::uword(count_);
    if (states.n_cols < k)
      throw DataError(fmt::format("{}: {} centres requested but only {} training states", identity(), k, states.n_cols));
    if (method_ == "kmeans") {
      centres_ = kooplab::kmeans_centres(states, k, arma::uword(iterations_), rng);
    } else {
      centres_ = states.cols(draw_without_replacement(states.n_cols, k, rng));
    }
    if (!fixed_gamma_) gamma_ = median_heuristic(states, rng);
  }

  arma::mat evaluate(const arma::mat& states) const override {
    if (centres_.is_empty()) throw DataError(identity() + ": evaluated before fit (the centres come from training states)");
    if (states.n_rows != centres_.n_rows)
      throw DataError(fmt::format("{}: fitted on states of dimension {}, got {}", identity(), centres_.n_rows, states.n_rows));
    return prefix_.prepend(states, arma::exp(-gamma_ * kooplab::squared_distances(centres_, states)));
  }

 private:
  static arma::uvec draw_without_replacement(arma::uword population, arma::uword count, kooplab::Rng& rng) {
    arma::uvec index = arma::regspace<arma::uvec>(0, population - 1);
    for (arma::uword i = 0; i < count; ++i) std::swap(index(i), index(i + rng.below(population - i)));
    return index.head(count);
  }

  double median_heuristic(const arma::mat& states, kooplab::Rng& rng) const {
    const arma::uvec sample = draw_without_replacement(states.n_cols, std::min<arma::uword>(states.n_cols, 1000), rng);
    const arma::mat points = states.cols(sample);
    const arma::mat d = kooplab::squared_distances(points, points);
    const arma::vec distances = d.elem(arma::trimatu_ind(arma::size(d), 1));
    const double median = distances.is_empty() ? 0.0 : arma::median(distances);
    if (!(median > 0.0))
      throw DataError(identity() + ": the training states are all equal, so the median heuristic has no scale; give gamma");
    return 1.0 / (2.0 * median);
  }

  kooplab::DictionaryPrefix prefix_;
  int count_;
  std::string method_;
  int iterations_;
  double gamma_ = 0.0;
  bool fixed_gamma_ = false;
  arma::mat centres_;
};

}  // namespace

KOOPLAB_PLUGIN(Rbf, kooplab::Observable, "rbf",
               "Gaussian radial basis functions; centres by k-means++ or a random subset, gamma given or by the median heuristic")
