// Dataset `yinyang`: the Yin-Yang classification problem of Kriener, Göltz and
// Petrovici (2021), bit-identical to their reference generator. Points (x, y)
// in the big circle of radius r_big around (r_big, r_big) are classed as yin (0),
// yang (1) or one of the two dots (2); inputs are 4 × m: (x, y, 1 − x, 1 − y),
// targets one-hot 3 × m.
//
// Each set has its own MT19937 stream seeded like NumPy's RandomState(seed);
// per sample a goal class is drawn (randint(3)) and points are drawn until one
// falls into that class, which balances the classes.
//
// dataset:
//   name: yinyang
//   train_size: 5000        # samples per set; 0 leaves a set empty
//   validation_size: 1000
//   test_size: 1000
//   train_seed: 42          # the reference seeds of each set
//   validation_seed: 41
//   test_seed: 40
//   r_big: 0.5              # radius of the symbol
//   r_small: 0.1            # radius of the two dots
//   normalize: none         # none | unit (per-feature min/max) | standardize (per feature),
//                           # with training-set statistics
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <random>

#include "kooplab/dataset.hpp"
#include "kooplab/data/labeled_data.hpp"

namespace {

using kooplab::Config;

// The draws of NumPy's legacy RandomState on top of the MT19937 stream it
// shares with std::mt19937 (both seeded by init_genrand).
class LegacyNumpyStream {
 public:
  explicit LegacyNumpyStream(std::uint32_t seed) : engine_(seed) {}

  // random_sample(): 53 random bits from two 32-bit draws.
  double uniform() {
    const std::uint32_t a = engine_() >> 5, b = engine_() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
  // randint(high) for high ≤ 2³²: mask a 32-bit draw to the smallest
  // covering power of two, redraw while the value is out of range.
  std::uint32_t below(std::uint32_t high) {
    const std::uint32_t largest = high - 1;
    std::uint32_t mask = largest;
    for (int shift = 1; shift < 32; shift <<= 1) mask |= mask >> shift;
    std::uint32_t value;
    do value = engine_() & mask;
    while (value > largest);
    return value;
  }

 private:
  std::mt19937 engine_;
};

class YinYang : public kooplab::Dataset {
 public:
  explicit YinYang(const Config& section)
      : r_big_(section.get_or<double>("r_big", 0.5)),
        r_small_(section.get_or<double>("r_small", 0.1)),
        scaling_(kooplab::read_input_scaling(section, "normalize", kooplab::InputScaling::none)) {
    if (!(r_big_ > 0)) section.fail("r_big", "expected a positive radius");
    if (!(r_small_ > 0 && r_small_ < 0.5 * r_big_)) section.fail("r_small", "expected a radius in (0, r_big/2)");
    const std::array<std::pair<const char*, int>, 3> sizes{{{"train", 5000}, {"validation", 1000}, {"test", 1000}}};
    const std::array<int, 3> seeds{42, 41, 40};
    for (std::size_t k = 0; k < 3; ++k) {
      const std::string size_key = std::string(sizes[k].first) + "_size", seed_key = std::string(sizes[k].first) + "_seed";
      const auto size = section.get_or<std::int64_t>(size_key, sizes[k].second);
      const auto seed = section.get_or<std::int64_t>(seed_key, seeds[k]);
      if (size < 0) section.fail(size_key, fmt::format("expected a sample count ≥ 0, got {}", size));
      if (seed < 0 || seed > 0xFFFFFFFFll) section.fail(seed_key, "expected a seed in [0, 2³² − 1], as NumPy's RandomState");
      sets_[k] = {arma::uword(size), std::uint32_t(seed)};
    }
    if (sets_[0].size == 0) section.fail("train_size", "expected at least 1 training sample");
  }

  kooplab::LabeledData labeled(kooplab::Rng&) const override {
    kooplab::LabeledData data;
    data.classes = 3;
    data.train = generate(sets_[0]);
    data.validation = generate(sets_[1]);
    data.test = generate(sets_[2]);
    kooplab::scale_inputs(data, scaling_, false);
    return data;
  }

 private:
  struct SetSpec {
    arma::uword size = 0;
    std::uint32_t seed = 0;
  };

  // The reference's which_class, comparison by comparison.
  arma::uword which_class(double x, double y) const {
    const double d_right = std::sqrt((x - 1.5 * r_big_) * (x - 1.5 * r_big_) + (y - r_big_) * (y - r_big_));
    const double d_left = std::sqrt((x - 0.5 * r_big_) * (x - 0.5 * r_big_) + (y - r_big_) * (y - r_big_));
    const bool is_yin = d_right <= r_small_ || (d_left > r_small_ && d_left <= 0.5 * r_big_) ||
                        (y > r_big_ && d_right > 0.5 * r_big_);
    if (d_right < r_small_ || d_left < r_small_) return 2;
    return is_yin ? 1 : 0;
  }

  kooplab::LabeledSet generate(const SetSpec& spec) const {
    if (spec.size == 0) return {};
    LegacyNumpyStream stream(spec.seed);
    arma::mat inputs(4, spec.size);
    arma::uvec labels(spec.size);
    for (arma::uword j = 0; j < spec.size; ++j) {
      const arma::uword goal = stream.below(3);
      double x = 0.0, y = 0.0;
      while (true) {
        x = stream.uniform() * 2.0 * r_big_;
        y = stream.uniform() * 2.0 * r_big_;
        if (std::sqrt((x - r_big_) * (x - r_big_) + (y - r_big_) * (y - r_big_)) > r_big_) continue;
        if (which_class(x, y) == goal) break;
      }
      inputs.col(j) = arma::vec{x, y, 1.0 - x, 1.0 - y};
      labels(j) = goal;
    }
    return kooplab::classification_set(std::move(inputs), std::move(labels), 3, identity());
  }

  double r_big_, r_small_;
  kooplab::InputScaling scaling_;
  std::array<SetSpec, 3> sets_;
};

}  // namespace

KOOPLAB_PLUGIN(YinYang, kooplab::Dataset, "yinyang",
               "Yin-Yang classification (Kriener et al. 2021), bit-identical to the reference generator")
