#include "kooplab/koopman/rank_rule.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"

namespace kooplab {

const Options<RankRule>& RankRule::options() {
  static const auto options =
      Options<RankRule>()
          .custom({"rank", "full | auto | integer ≥ 1", "full",
                   "singular values kept: the numerical rank (full), the rank_rule (auto), or N"},
                  [](const Config& section, RankRule& rule) {
                    if (!section.has("rank") || section.is_word("rank", "full")) {
                      rule.kind = Kind::full;
                    } else if (section.is_word("rank", "auto")) {
                      rule.kind = Kind::automatic;
                    } else {
                      const int rank = section.get<int>("rank");
                      if (rank < 1) section.fail("rank", "expected a positive integer, 'auto' or 'full'");
                      rule.kind = Kind::fixed;
                      rule.fixed_rank = arma::uword(rank);
                    }
                  })
          .choice("rank_rule", &RankRule::automatic,
                  {{"energy", Automatic::energy}, {"hard_threshold", Automatic::hard_threshold}},
                  "the rule of rank: auto (hard_threshold: Gavish–Donoho for unknown noise)")
          .add("energy", &RankRule::energy, "fraction of Σσ² the energy rule keeps", in_left_open(0, 1))
          .add("tolerance", &RankRule::tolerance, "σ_i/σ_1 below this counts as zero (the numerical rank)",
               in_open(0, 1));
  return options;
}

arma::uword numerical_rank(const arma::vec& sigma, double tolerance) {
  if (sigma.is_empty() || !(sigma(0) > 0.0)) return 0;
  return arma::uword(arma::accu(sigma > tolerance * sigma(0)));
}

double optimal_hard_threshold(const arma::vec& sigma, arma::uword rows, arma::uword cols) {
  const double beta = double(std::min(rows, cols)) / double(std::max(rows, cols));
  const double omega = 0.56 * beta * beta * beta - 0.95 * beta * beta + 1.82 * beta + 1.43;
  return omega * arma::median(sigma);
}

arma::uword RankRule::select(const arma::vec& sigma, arma::uword rows, arma::uword cols,
                             const std::string& where) const {
  const arma::uword numerical = numerical_rank(sigma, tolerance);
  if (numerical == 0) throw NumericalError(where + ": the snapshot matrix is zero (rank 0); nothing to fit");
  switch (kind) {
    case Kind::full:
      return numerical;
    case Kind::fixed:
      if (fixed_rank > numerical)
        throw NumericalError(
            fmt::format("{}: rank {} requested but the data have numerical rank {} (σ_{}/σ_1 = {:.3g} "
                        "is below the tolerance {:.3g}); lower the rank or use rank: auto",
                        where, fixed_rank, numerical, numerical + 1,
                        numerical < sigma.n_elem ? sigma(numerical) / sigma(0) : 0.0, tolerance));
      return fixed_rank;
    case Kind::automatic: {
      if (automatic == Automatic::hard_threshold) {
        const double threshold = optimal_hard_threshold(sigma, rows, cols);
        return std::clamp<arma::uword>(arma::uword(arma::accu(sigma > threshold)), 1, numerical);
      }
      const arma::vec cumulative = arma::cumsum(arma::square(sigma));
      const double target = energy * cumulative(cumulative.n_elem - 1);
      arma::uword rank = 1;
      while (rank < cumulative.n_elem && cumulative(rank - 1) < target) ++rank;
      return std::min(rank, numerical);
    }
  }
  return numerical;
}

}  // namespace kooplab
