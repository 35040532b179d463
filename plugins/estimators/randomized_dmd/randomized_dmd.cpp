// Estimator `randomized_dmd`: exact DMD on a randomized SVD of the snapshots
// (Erichson et al. 2019), for tall data whose full SVD is too costly;
// kooplab/koopman/randomized_dmd.hpp has the algorithm, its residuals (against
// the full data), memory and cost. The sketch is drawn from the run's random
// stream. Works on the state itself; an observable section, if any, is not
// used. Keys: `kooplab plugins randomized_dmd`.
#include "kooplab/koopman/randomized_dmd.hpp"

#include "kooplab/estimator.hpp"
#include "kooplab/snapshot_pairs_view.hpp"

namespace {

class RandomizedDmd : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::RandomizedDmdOptions>& options() {
    return kooplab::RandomizedDmdOptions::options();
  }
  explicit RandomizedDmd(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng& rng) const override {
    data.validate(identity());
    const kooplab::SnapshotPairsView pairs(data);
    kooplab::KoopmanModel model =
        kooplab::randomized_dmd(pairs.x(), pairs.y(), data.runs.front().col(0), options_, rng, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::RandomizedDmdOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(RandomizedDmd, kooplab::Estimator, "randomized_dmd",
               "Randomized DMD (Erichson et al. 2019): exact DMD on a sketched SVD with oversampling and power "
               "iterations, for tall data")
