// Observable `rbf`: Gaussian radial basis functions ψ_j(x) = exp(−γ‖x − c_j‖²).
// The centres c_j are fitted on the training states: k-means++ seeding then
// Lloyd iterations, or a random subset of the states. γ is given, or by the
// median heuristic γ = 1/(2 s²), s² the median squared distance between
// training states (≤ 1000 drawn at random). Keys: `kooplab plugins rbf`.
#include <fmt/format.h>

#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/koopman/dictionary.hpp"
#include "kooplab/regression/kmeans.hpp"

namespace {

using kooplab::DataError;

enum class CentreMethod { kmeans, random };

struct Settings {
  kooplab::DictionaryPrefix prefix;
  arma::uword centres = 20;
  CentreMethod centre_method = CentreMethod::kmeans;
  arma::uword kmeans_iterations = 10;
  std::optional<double> gamma;  // absent: the median heuristic
};

class Rbf : public kooplab::Observable {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .add("centres", &Settings::centres, "number of centres c_j", kooplab::at_least(1))
            .choice("centre_method", &Settings::centre_method,
                    {{"kmeans", CentreMethod::kmeans}, {"random", CentreMethod::random}},
                    "k-means++ and Lloyd iterations, or a random subset of the training states")
            .add("kmeans_iterations", &Settings::kmeans_iterations, "Lloyd iterations after the seeding")
            .custom({"gamma", "auto | number > 0", "auto", "γ, or auto: the median heuristic"},
                    [](const kooplab::Config& section, Settings& settings) {
                      if (!section.has("gamma") || section.is_word("gamma", "auto")) return;
                      settings.gamma = section.get<double>("gamma");
                      if (!(*settings.gamma > 0.0) || !std::isfinite(*settings.gamma))
                        section.fail("gamma", fmt::format("expected a number > 0 or auto, got {}", *settings.gamma));
                    })
            .include(&Settings::prefix, kooplab::DictionaryPrefix::options());
    return options;
  }

  explicit Rbf(const kooplab::Config& section) : settings_(options().read(section)) {}

  void fit(const arma::mat& states, kooplab::Rng& rng) override {
    const arma::uword k = settings_.centres;
    if (states.n_cols < k)
      throw DataError(
          fmt::format("{}: {} centres requested but only {} training states", identity(), k, states.n_cols));
    if (settings_.centre_method == CentreMethod::kmeans) {
      centres_ = kooplab::kmeans_centres(states, k, settings_.kmeans_iterations, rng);
    } else {
      centres_ = states.cols(draw_without_replacement(states.n_cols, k, rng));
    }
    gamma_ = settings_.gamma ? *settings_.gamma : median_heuristic(states, rng);
  }

  arma::mat evaluate(const arma::mat& states) const override {
    if (centres_.is_empty())
      throw DataError(identity() + ": evaluated before fit (the centres come from training states)");
    if (states.n_rows != centres_.n_rows)
      throw DataError(
          fmt::format("{}: fitted on states of dimension {}, got {}", identity(), centres_.n_rows, states.n_rows));
    return settings_.prefix.prepend(states, arma::exp(-gamma_ * kooplab::squared_distances(centres_, states)));
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
      throw DataError(identity() +
                      ": the training states are all equal, so the median heuristic has no scale; give gamma");
    return 1.0 / (2.0 * median);
  }

  Settings settings_;
  double gamma_ = 0.0;  // fitted (or given)
  arma::mat centres_;
};

}  // namespace

KOOPLAB_PLUGIN(
    Rbf, kooplab::Observable, "rbf",
    "Gaussian radial basis functions; centres by k-means++ or a random subset, gamma given or by the median heuristic")
