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
// dataset:
//   name: multiscale_signal
//   function: x + sin(2*pi*x^4)  # h as an expression of x: numbers, x, pi, e, + - * / ^,
//                                # sin cos tan exp log sqrt abs tanh. Table 1 of the paper:
//                                #   sin(2*pi*x)  sin(20*pi*x)  sin(200*pi*x)  100*sin(20*pi*x)
//                                #   40*cos(2*pi*x)  100*cos(20*pi*x)  sin(2*pi*x^2)  x + x^2 + x^3
//                                #   x + sin(2*pi*x^4)  cos(2*pi*x) + sin(20*pi*x)
//                                #   cos(20*pi*x)*sin(15*pi*x)  cos(32*pi*x)^3
//                                #   sin(13*pi*x) + sin(17*pi*x) + sin(19*pi*x) + sin(23*pi*x)
//                                #   sin(50*pi*x)*sin(20*pi*x)*cos(15*pi*x)
//                                #   sin(40*pi*x)*cos(10*pi*x) + 3*sin(20*x)*sin(40*x)
//                                #   sin(2*x)*cos(32*x)
//   domain: [0, 2]               # interval [a, b]
//   points: 1000                 # grid points, both ends included
//   noise: 0                     # ε of Eq. (9)
//   noise_on: all                # all | train: `train` keeps validation and test targets clean
//   validation_fraction: 0       # share of the points in each set (rounded to whole points);
//   test_fraction: 0.25          # the paper uses a 75/25 train/test split
//   split_seed: <run seed>       # draws the split; set it to keep it fixed across run seeds
//   normalize: none              # inputs: none | unit (x → [0, 1]) | standardize
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/data/expression.hpp"
#include "kooplab/data/labeled_data.hpp"

namespace {

using kooplab::Config;

kooplab::Expression read_function(const Config& section) {
  try {
    return kooplab::Expression(section.get_or<std::string>("function", "x + sin(2*pi*x^4)"));
  } catch (const kooplab::ConfigError& error) {
    section.fail("function", error.what());
  }
}

class MultiscaleSignal : public kooplab::Dataset {
 public:
  explicit MultiscaleSignal(const Config& section)
      : function_(read_function(section)),
        domain_(section.get_or<arma::vec>("domain", arma::vec{0.0, 2.0})),
        points_(section.get_or<int>("points", 1000)),
        noise_(section.get_or<double>("noise", 0.0)),
        validation_fraction_(section.get_or<double>("validation_fraction", 0.0)),
        test_fraction_(section.get_or<double>("test_fraction", 0.25)),
        scaling_(kooplab::read_input_scaling(section, "normalize", kooplab::InputScaling::none)) {
    if (domain_.n_elem != 2 || !domain_.is_finite() || !(domain_(0) < domain_(1)))
      section.fail("domain", "expected an interval [a, b] with a < b");
    if (points_ < 2) section.fail("points", "expected at least 2 grid points");
    if (!(noise_ >= 0)) section.fail("noise", "expected ε ≥ 0");
    const std::string noise_on = section.get_or<std::string>("noise_on", "all");
    if (noise_on != "all" && noise_on != "train") section.fail("noise_on", fmt::format("expected all or train, got '{}'", noise_on));
    clean_evaluation_ = noise_on == "train";
    if (!(validation_fraction_ >= 0 && test_fraction_ >= 0 && validation_fraction_ + test_fraction_ < 1))
      section.fail("test_fraction", "expected validation_fraction, test_fraction ≥ 0 with a sum below 1");
    if (section.has("split_seed")) split_seed_ = section.get<std::uint64_t>("split_seed");
    const arma::vec h = function_(grid());
    if (!h.is_finite()) section.fail("function", fmt::format("'{}' is not finite everywhere on the grid", function_.text()));
  }

  kooplab::LabeledData labeled(kooplab::Rng& rng) const override {
    Sample sample = draw(rng);
    const arma::uword m = sample.x.n_elem;
    const auto share = [m](double fraction) { return arma::uword(std::llround(fraction * double(m))); };
    const arma::uword test = share(test_fraction_), validation = share(validation_fraction_);
    if (test + validation >= m)
      throw kooplab::DataError(fmt::format("{}: {} points leave no training samples after the split", identity(), m));
    const arma::uvec order = kooplab::random_permutation(m, sample.split_rng);
    const auto set = [&](arma::uword first, arma::uword count, bool noisy) {
      kooplab::LabeledSet out;
      if (count == 0) return out;
      const arma::uvec columns = arma::sort(order.subvec(first, first + count - 1));
      out.inputs = sample.x.elem(columns).t();
      out.targets = (noisy ? sample.noisy : sample.clean).elem(columns).t();
      return out;
    };
    kooplab::LabeledData data;
    data.test = set(0, test, !clean_evaluation_);
    data.validation = set(test, validation, !clean_evaluation_);
    data.train = set(test + validation, m - test - validation, true);
    kooplab::scale_inputs(data, scaling_, false);
    return data;
  }

  kooplab::Trajectories trajectories(kooplab::Rng& rng) const override {
    const Sample sample = draw(rng);
    kooplab::Trajectories data;
    data.runs.push_back(sample.noisy.t());
    data.dt = (domain_(1) - domain_(0)) / double(points_ - 1);
    return data;
  }

 private:
  struct Sample {
    arma::vec x, clean, noisy;
    kooplab::Rng split_rng;
  };

  arma::vec grid() const { return arma::linspace(domain_(0), domain_(1), arma::uword(points_)); }

  // Split stream first, noise second (see the header).
  Sample draw(kooplab::Rng& rng) const {
    Sample sample{grid(), {}, {}, kooplab::Rng(split_seed_ ? *split_seed_ : rng.split())};
    sample.clean = function_(sample.x);
    sample.noisy = sample.clean;
    if (noise_ > 0) sample.noisy += noise_ * (sample.clean.max() - sample.clean.min()) * rng.normal(sample.x.n_elem, 1);
    return sample;
  }

  kooplab::Expression function_;
  arma::vec domain_;
  int points_;
  double noise_, validation_fraction_, test_fraction_;
  bool clean_evaluation_ = false;
  std::optional<std::uint64_t> split_seed_;
  kooplab::InputScaling scaling_;
};

}  // namespace

KOOPLAB_PLUGIN(MultiscaleSignal, kooplab::Dataset, "multiscale_signal",
               "A 1-D signal h(x) on a grid (Table 1 functions of Koopman mode analysis) with Eq. (9) noise")
