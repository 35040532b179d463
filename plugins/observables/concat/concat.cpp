// Observable `concat`: the dictionaries of several observables stacked.
//
// observable:
//   name: concat
//   parts:                      a list of observable sections, each with its own keys
//     - {name: polynomial, degree: 2}
//     - {name: rbf, centres: 10}
//   constant: false             prepend 1
//   state: false                prepend x
// Each part is fitted on the training states; the history is the longest of
// the parts' (see kooplab::DelayedObservable).
#include <fmt/format.h>

#include "kooplab/koopman/dictionary.hpp"
#include "kooplab/registry.hpp"

namespace {

class Concat : public kooplab::Observable, public kooplab::DelayedObservable {
 public:
  Concat(const kooplab::Config& section, const kooplab::Registry& registry)
      : prefix_(kooplab::DictionaryPrefix::from_config(section)) {
    for (const kooplab::Config& part : section.items("parts")) parts_.push_back(registry.create<kooplab::Observable>(part));
    if (parts_.empty()) section.fail("parts", "expected a non-empty list of observable sections");
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
        throw kooplab::DataError(fmt::format("{}: a part returned {} columns for {} states", identity(), block.n_cols, states.n_cols));
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

KOOPLAB_PLUGIN(Concat, kooplab::Observable, "concat", "Several observables' dictionaries stacked, each fitted on the training states")
