// Dataset `collocation`: the times at which a neural-network DE solver
// (network de_solver) is asked to satisfy its equations, evenly spaced on
// [start, end] with both ends, as torch.linspace; the same fixed batch every
// step (koopman-training.md, Sec. 4: 200 points on [0, 4π]). Inputs are
// 1 × points, targets zero, one row per equation: the residuals should vanish.
// `test_points` > 0 adds a test set on a grid of its own over the same interval.
// `kooplab plugins collocation` lists the keys.
#include <fmt/format.h>

#include <numbers>

#include "kooplab/dataset.hpp"
#include "kooplab/options.hpp"

namespace {

struct CollocationOptions {
  double start = 0.0;
  double end = 4.0 * std::numbers::pi;
  arma::uword points = 200;
  arma::uword equations = 2;
  arma::uword test_points = 0;
};

kooplab::LabeledSet grid(const CollocationOptions& options, arma::uword points) {
  kooplab::LabeledSet set;
  set.inputs = arma::linspace<arma::rowvec>(options.start, options.end, points);
  set.targets.zeros(options.equations, points);
  return set;
}

class Collocation : public kooplab::Dataset {
 public:
  static const kooplab::Options<CollocationOptions>& options() {
    static const auto options =
        kooplab::Options<CollocationOptions>()
            .add("start", &CollocationOptions::start, "first time")
            .add("end", &CollocationOptions::end, "last time (> start)")
            .shown_default("4π")
            .add("points", &CollocationOptions::points, "collocation times, both ends included", kooplab::at_least(2))
            .add("equations", &CollocationOptions::equations, "zero targets per time: the equations' residuals",
                 kooplab::at_least(1))
            .add("test_points", &CollocationOptions::test_points, "times of a test grid on the same interval (0: none)",
                 kooplab::at_least(0));
    return options;
  }

  explicit Collocation(const kooplab::Config& section) : options_(options().read(section)) {
    if (!(options_.end > options_.start))
      section.fail("end", fmt::format("must be greater than start ({})", options_.start));
    if (options_.test_points == 1) section.fail("test_points", "a test grid needs 0 or at least 2 points");
  }

  kooplab::LabeledData labeled(kooplab::Rng&) const override {
    kooplab::LabeledData data;
    data.train = grid(options_, options_.points);
    if (options_.test_points > 0) data.test = grid(options_, options_.test_points);
    return data;
  }

 private:
  CollocationOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(Collocation, kooplab::Dataset, "collocation",
               "Collocation times of a neural-network DE solver: an evenly spaced grid with zero residual targets")
