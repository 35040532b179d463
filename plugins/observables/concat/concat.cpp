// Observable `concat`: the dictionaries of several observables stacked, e.g.
//   parts: [{name: polynomial, degree: 2}, {name: rbf, centres: 10}]
// Each part is fitted on the training states; the history is the longest of
// the parts' (see kooplab::DelayedObservable). Keys: `kooplab plugins concat`.
#include <fmt/format.h>

#include "kooplab/koopman/dictionary.hpp"
#include "kooplab/registry.hpp"

namespace {

struct Settings {
  std::vector<kooplab::Config> parts;
  kooplab::DictionaryPrefix prefix;
};

class Concat : public kooplab::Observable, public kooplab::DelayedObservable {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .custom(
                {"parts", "list of observable sections", "required", "the observables stacked, each with its own keys"},
                [](const kooplab::Config& section, Settings& settings) {
                  settings.parts = section.items("parts");
                  if (settings.parts.empty()) section.fail("parts", "expected a non-empty list of observable sections");
                })
            .include(&Settings::prefix, kooplab::DictionaryPrefix::options());
    return options;
  }

  Concat(const kooplab::Config& section, const kooplab::Registry& registry) {
    const Settings settings = options().read(section);
    prefix_ = settings.prefix;
    for (const kooplab::Config& part : settings.parts) parts_.push_back(registry.create<kooplab::Observable>(part));
  }

  void fit(const arma::mat& states, kooplab::Rng& rng) override {
    for (const auto& part : parts_) part->fit(states, rng);
  }

  arma::mat evaluate(const arma::mat& states) const override {
    std::vector<arma::mat> blocks;
    arma::uword rows = 0;
    for (const auto& part : parts_) {
      blocks.push_back(part->evaluate(states));
      rows += blocks.back().n_rows;
    }
    arma::mat features(rows, states.n_cols);
    arma::uword row = 0;
    for (const auto& block : blocks) {
      if (block.n_cols != states.n_cols)
        throw kooplab::DataError(
            fmt::format("{}: a part returned {} columns for {} states", identity(), block.n_cols, states.n_cols));
      if (block.n_rows > 0) features.rows(row, row + block.n_rows - 1) = block;
      row += block.n_rows;
    }
    return prefix_.prepend(states, features);
  }

  arma::uword history() const override {
    arma::uword longest = 0;
    for (const auto& part : parts_) longest = std::max(longest, kooplab::observable_history(*part));
    return longest;
  }

 private:
  kooplab::DictionaryPrefix prefix_;
  std::vector<std::shared_ptr<kooplab::Observable>> parts_;
};

}  // namespace

KOOPLAB_PLUGIN(Concat, kooplab::Observable, "concat",
               "Several observables' dictionaries stacked, each fitted on the training states")
