// Estimator `dmd_rrr`: Refined Rayleigh–Ritz DMD (Drmač, Mezić, Mohr 2018);
// see framework dmd_rrr.hpp for the algorithm.
//
// estimator:
//   name: dmd_rrr
//   rank: full | auto | N        (see rank_rule.hpp; rank_rule, energy, tolerance)
//   tolerance: 1e-12             σ_i/σ_1 of the column-scaled X below this count as zero
//   scale_columns: true          scale X (and Y) by the column norms of X
//   refine: true                 refined Ritz vectors (false: Ritz vectors)
//   refined_rayleigh: false      replace λ_i by the Rayleigh quotient of the refined vector
//   amplitudes: first_snapshot | trajectory   least squares against x_0 or the whole first trajectory
//   order: none | amplitude      sort eigenpairs by their share of the first snapshot
// Works on the state itself; an observable section, if any, is not used.
// Memory: 2nm (X, Y) + 2nk (U_k, B) + m·min(n, m) (V) + O(k²), for n states,
// m pairs, rank k; nothing n × n.
#include "kooplab/koopman/dmd_rrr.hpp"
#include "kooplab/estimator.hpp"

namespace {

class DmdRrr : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::DmdRrrOptions>& options() { return kooplab::DmdRrrOptions::options(); }
  explicit DmdRrr(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::SnapshotPairs pairs = data.pairs();
    kooplab::KoopmanModel model = kooplab::dmd_rrr(pairs.x, pairs.y, data.runs.front(), options_, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::DmdRrrOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(DmdRrr, kooplab::Estimator, "dmd_rrr",
               "Refined Rayleigh-Ritz DMD (Drmac, Mezic, Mohr 2018): column scaling, refined Ritz vectors, per-pair residuals")
