// Estimator `dmd_rrr`: Refined Rayleigh–Ritz DMD (Drmač, Mezić, Mohr 2018):
// column scaling, refined Ritz vectors and a residual per eigenpair;
// kooplab/koopman/dmd_rrr.hpp has the algorithm, its memory (nothing n × n)
// and cost. Works on the state itself; an observable section, if any, is not
// used. Keys: `kooplab plugins dmd_rrr`.
#include "kooplab/koopman/dmd_rrr.hpp"

#include "kooplab/estimator.hpp"
#include "kooplab/snapshot_pairs_view.hpp"

namespace {

class DmdRrr : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::DmdRrrOptions>& options() { return kooplab::DmdRrrOptions::options(); }
  explicit DmdRrr(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::SnapshotPairsView pairs(data);
    kooplab::KoopmanModel model = kooplab::dmd_rrr(pairs.x(), pairs.y(), data.runs.front(), options_, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::DmdRrrOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(
    DmdRrr, kooplab::Estimator, "dmd_rrr",
    "Refined Rayleigh-Ritz DMD (Drmac, Mezic, Mohr 2018): column scaling, refined Ritz vectors, per-pair residuals")
