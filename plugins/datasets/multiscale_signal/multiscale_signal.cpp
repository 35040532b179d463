// Dataset `multiscale_signal`: a 1-D signal h(x) sampled on a grid, with the
// noise model of Eq. (9) of koopman-mode-analysis.md:
//   ĥ(x) = h(x) + ε · (max h − min h) · N(0, 1), drawn independently per point
// (max and min over the grid, which includes both ends of the domain).
//
// labeled(): regression samples, inputs 1 × m (the points x), targets 1 × m (ĥ),
// split at random into train/validation/test (each kept in grid order).
// trajectories(): the whole noisy signal as one 1 × T trajectory with dt the grid
// step, for delay-embedding estimators that recover its frequencies. Both draw
// the split seed first and the noise second, so with noise 0 every run seed
// gives the same split as its noisy twin.
//
// h is an expression of x (data/expression.hpp). The functions of Table 1:
//   sin(2*pi*x)  sin(20*pi*x)  sin(200*pi*x)  100*sin(20*pi*x)
//   40*cos(2*pi*x)  100*cos(20*pi*x)  sin(2*pi*x^2)  x + x^2 + x^3
//   x + sin(2*pi*x^4)  cos(2*pi*x) + sin(20*pi*x)
//   cos(20*pi*x)*sin(15*pi*x)  cos(32*pi*x)^3
//   sin(13*pi*x) + sin(17*pi*x) + sin(19*pi*x) + sin(23*pi*x)
//   sin(50*pi*x)*sin(20*pi*x)*cos(15*pi*x)
//   sin(40*pi*x)*cos(10*pi*x) + 3*sin(20*x)*sin(40*x)
//   sin(2*x)*cos(32*x)
// The paper uses a 75/25 train/test split, the default here.
// Keys: `kooplab plugins multiscale_signal`.
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "kooplab/data/expression.hpp"
#include "kooplab/data/labeled_data.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"

namespace {

using kooplab::Config;

enum class NoiseOn { all, train };

struct Settings {
  std::string function = "x + sin(2*pi*x^4)";
  arma::vec domain{0.0, 2.0};
  int points = 1000;
  double noise = 0.0;
  NoiseOn noise_on = NoiseOn::all;
  double validation_fraction = 0.0, test_fraction = 0.25;
  std::optional<std::uint64_t> split_seed;
  kooplab::InputNormalization normalize;
};

kooplab::Expression read_function(const Config& section, const std::string& text) {
  try {
    return kooplab::Expression(text);
  } catch (const kooplab::ConfigError& error) {
    section.fail("function", error.what());
  }
}

class MultiscaleSignal : public kooplab::Dataset {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .add("function", &Settings::function,
                 "h as an expression of x: numbers, x, pi, e, + - * / ^, "
                 "sin cos tan exp log sqrt abs tanh")
            .add("domain", &Settings::domain, "the interval [a, b]",
                 kooplab::Check<arma::vec>([](const arma::vec& d) { return d.n_elem == 2 && d(0) < d(1); },
                                           "[a, b] with a < b"))
            .add("points", &Settings::points, "grid points, both ends included", kooplab::at_least(2))
            .add("noise", &Settings::noise, "ε of Eq. (9)", kooplab::at_least(0))
            .choice("noise_on", &Settings::noise_on, {{"all", NoiseOn::all}, {"train", NoiseOn::train}},
                    "train keeps validation and test targets clean")
            .add("validation_fraction", &Settings::validation_fraction, "share of the points in validation (rounded)",
                 kooplab::in_range(0, 1))
            .add("test_fraction", &Settings::test_fraction, "share of the points in test (rounded)",
                 kooplab::in_range(0, 1))
            .add("split_seed", &Settings::split_seed, "draws the split; set, it stays fixed across run seeds")
            .shown_default("the run's")
            .include(&Settings::normalize, kooplab::InputNormalization::options());
    return options;
  }

  explicit MultiscaleSignal(const Config& section)
      : settings_(options().read(section)), function_(read_function(section, settings_.function)) {
    if (!(settings_.validation_fraction + settings_.test_fraction < 1))
      section.fail("test_fraction", "expected validation_fraction + test_fraction below 1");
    const arma::vec h = function_(grid());
    if (!h.is_finite())
      section.fail("function", fmt::format("'{}' is not finite everywhere on the grid", function_.text()));
  }

  kooplab::LabeledData labeled(kooplab::Rng& rng) const override {
    Sample sample = draw(rng);
    const arma::uword m = sample.x.n_elem;
    const auto share = [m](double fraction) { return arma::uword(std::llround(fraction * double(m))); };
    const arma::uword test = share(settings_.test_fraction), validation = share(settings_.validation_fraction);
    if (test + validation >= m)
      throw kooplab::DataError(fmt::format("{}: {} points leave no training samples after the split", identity(), m));
    const arma::uvec order = kooplab::random_permutation(m, sample.split_rng);
    const bool noisy_evaluation = settings_.noise_on == NoiseOn::all;
    const auto set = [&](arma::uword first, arma::uword count, bool noisy) {
      kooplab::LabeledSet out;
      if (count == 0) return out;
      const arma::uvec columns = arma::sort(order.subvec(first, first + count - 1));
      out.inputs = sample.x.elem(columns).t();
      out.targets = (noisy ? sample.noisy : sample.clean).elem(columns).t();
      return out;
    };
    kooplab::LabeledData data;
    data.test = set(0, test, noisy_evaluation);
    data.validation = set(test, validation, noisy_evaluation);
    data.train = set(test + validation, m - test - validation, true);
    kooplab::scale_inputs(data, settings_.normalize.scaling, false);
    return data;
  }

  kooplab::Trajectories trajectories(kooplab::Rng& rng) const override {
    const Sample sample = draw(rng);
    kooplab::Trajectories data;
    data.runs.push_back(sample.noisy.t());
    data.dt = (settings_.domain(1) - settings_.domain(0)) / double(settings_.points - 1);
    return data;
  }

 private:
  struct Sample {
    arma::vec x, clean, noisy;
    kooplab::Rng split_rng;
  };

  arma::vec grid() const {
    return arma::linspace(settings_.domain(0), settings_.domain(1), arma::uword(settings_.points));
  }

  // Split stream first, noise second (see the header).
  Sample draw(kooplab::Rng& rng) const {
    Sample sample{grid(), {}, {}, kooplab::Rng(settings_.split_seed ? *settings_.split_seed : rng.split())};
    sample.clean = function_(sample.x);
    sample.noisy = sample.clean;
    if (settings_.noise > 0)
      sample.noisy += settings_.noise * (sample.clean.max() - sample.clean.min()) * rng.normal(sample.x.n_elem, 1);
    return sample;
  }

  Settings settings_;
  kooplab::Expression function_;
};

}  // namespace

KOOPLAB_PLUGIN(MultiscaleSignal, kooplab::Dataset, "multiscale_signal",
               "A 1-D signal h(x) on a grid (Table 1 functions of Koopman mode analysis) with Eq. (9) noise")
