// Estimator `dmd`: exact DMD (Tu et al. 2014) with rank truncation.
//
// Keys: `kooplab plugins dmd` (the RankRule's). Works on the state itself; an
// observable section, if any, is not used.
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/exact_dmd.hpp"
#include "kooplab/snapshot_pairs_view.hpp"

namespace {

class Dmd : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::RankRule>& options() { return kooplab::RankRule::options(); }
  explicit Dmd(const kooplab::Config& section) : rule_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::SnapshotPairsView pairs(data);
    kooplab::KoopmanModel model = kooplab::exact_dmd(pairs.x(), pairs.y(), data.runs.front().col(0), rule_, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::RankRule rule_;
};

}  // namespace

KOOPLAB_PLUGIN(Dmd, kooplab::Estimator, "dmd",
               "Exact DMD (Tu et al. 2014) with rank truncation: full, N, or auto by energy or optimal hard threshold")
