// Dataset `yinyang`: the Yin-Yang classification problem of Kriener, Göltz and
// Petrovici (2021), bit-identical to their reference generator. Points (x, y)
// in the big circle of radius r_big around (r_big, r_big) are classed as yin (0),
// yang (1) or one of the two dots (2); inputs are 4 × m: (x, y, 1 − x, 1 − y),
// targets one-hot 3 × m.
//
// Each set has its own MT19937 stream seeded like NumPy's RandomState(seed);
// per sample a goal class is drawn (randint(classes)) and points are drawn
// until one falls into that class, which balances the classes.
//
// `classes: 2` is the binary task of the layers-as-linear-operations authors
// (niniack/learningdynamics, YinYangBinaryDataset): the goal is drawn by
// randint(2), so points in the dots are always redrawn and the dots are left
// out; `mirrored: false` keeps the inputs (x, y) only, as they do.
//
// The reference draws 5000 training, 1000 validation and 1000 test samples
// with seeds 42, 41 and 40, the defaults here. Keys: `kooplab plugins yinyang`.
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <random>

#include "kooplab/data/labeled_data.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/memory_check.hpp"

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

// The sample count and the seed of one set.
struct SetSpec {
  arma::uword size = 0;
  std::uint32_t seed = 0;
};

struct Settings {
  SetSpec train{5000, 42}, validation{1000, 41}, test{1000, 40};
  double r_big = 0.5, r_small = 0.1;
  arma::uword classes = 3;
  bool mirrored = true;
  kooplab::InputNormalization normalize;
};

class YinYang : public kooplab::Dataset {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .include(&Settings::train, set_options("train", kooplab::at_least(1)))
            .include(&Settings::validation, set_options("validation", kooplab::at_least(0)))
            .include(&Settings::test, set_options("test", kooplab::at_least(0)))
            .add("r_big", &Settings::r_big, "radius of the symbol", kooplab::greater_than(0))
            .add("r_small", &Settings::r_small, "radius of the two dots, below r_big/2", kooplab::greater_than(0))
            .add("classes", &Settings::classes,
                 "3: yin, yang and the dots (Kriener et al.); 2: yin against yang, the dots left out",
                 kooplab::in_range(2, 3))
            .add("mirrored", &Settings::mirrored, "inputs (x, y, 1 − x, 1 − y); false: (x, y)")
            .include(&Settings::normalize, kooplab::InputNormalization::options());
    return options;
  }

  explicit YinYang(const Config& section) : settings_(options().read(section)) {
    if (!(settings_.r_small < 0.5 * settings_.r_big))
      section.fail("r_small", fmt::format("expected a radius below r_big/2 = {}, got {}", 0.5 * settings_.r_big,
                                          settings_.r_small));
    // A sample is at most 4 inputs, a label and a one-hot target of 3: 8 doubles and a label, about 72 bytes.
    for (const auto& [set, spec] : {std::pair{"train", settings_.train}, std::pair{"validation", settings_.validation},
                                    std::pair{"test", settings_.test}})
      kooplab::check_memory(section, std::string(set) + "_size", 72.0 * double(spec.size),
                            fmt::format("{} {} samples", spec.size, set));
  }

  kooplab::LabeledData labeled(kooplab::Rng&) const override {
    kooplab::LabeledData data;
    data.classes = settings_.classes;
    data.train = generate(settings_.train);
    data.validation = generate(settings_.validation);
    data.test = generate(settings_.test);
    kooplab::scale_inputs(data, settings_.normalize.scaling, false);
    return data;
  }

 private:
  // <set>_size and <set>_seed; 0 samples leave a set empty.
  static kooplab::Options<SetSpec> set_options(const std::string& set, kooplab::Check<arma::uword> size_check) {
    return kooplab::Options<SetSpec>()
        .add(set + "_size", &SetSpec::size, "samples in the " + set + " set", std::move(size_check))
        .add(set + "_seed", &SetSpec::seed,
             "seed of the " + set + " set's MT19937 stream, as NumPy's RandomState(seed)");
  }

  // The reference's which_class, comparison by comparison.
  arma::uword which_class(double x, double y) const {
    const double r_big = settings_.r_big, r_small = settings_.r_small;
    const double d_right = std::sqrt((x - 1.5 * r_big) * (x - 1.5 * r_big) + (y - r_big) * (y - r_big));
    const double d_left = std::sqrt((x - 0.5 * r_big) * (x - 0.5 * r_big) + (y - r_big) * (y - r_big));
    const bool is_yin =
        d_right <= r_small || (d_left > r_small && d_left <= 0.5 * r_big) || (y > r_big && d_right > 0.5 * r_big);
    if (d_right < r_small || d_left < r_small) return 2;
    return is_yin ? 1 : 0;
  }

  kooplab::LabeledSet generate(const SetSpec& spec) const {
    if (spec.size == 0) return {};
    const double r_big = settings_.r_big;
    LegacyNumpyStream stream(spec.seed);
    arma::mat inputs(settings_.mirrored ? 4 : 2, spec.size);
    arma::uvec labels(spec.size);
    for (arma::uword j = 0; j < spec.size; ++j) {
      const arma::uword goal = stream.below(std::uint32_t(settings_.classes));
      double x = 0.0, y = 0.0;
      while (true) {
        x = stream.uniform() * 2.0 * r_big;
        y = stream.uniform() * 2.0 * r_big;
        if (std::sqrt((x - r_big) * (x - r_big) + (y - r_big) * (y - r_big)) > r_big) continue;
        if (which_class(x, y) == goal) break;
      }
      inputs.col(j) = settings_.mirrored ? arma::vec{x, y, 1.0 - x, 1.0 - y} : arma::vec{x, y};
      labels(j) = goal;
    }
    return kooplab::classification_set(std::move(inputs), std::move(labels), settings_.classes, identity());
  }

  Settings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(YinYang, kooplab::Dataset, "yinyang",
               "Yin-Yang classification (Kriener et al. 2021), bit-identical to the reference generator")
