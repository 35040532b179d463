// Estimator `fbdmd`: forward-backward DMD (Dawson, Hemati, Williams, Rowley
// 2016), exact DMD with the bias of noisy snapshots cancelled to first order
// by the same fit read backwards; kooplab/koopman/forward_backward_dmd.hpp has
// the algorithm, its residuals and memory. Needs invertible dynamics (no
// eigenvalue 0). Works on the state itself; an observable section, if any, is
// not used. Keys: `kooplab plugins fbdmd` (the RankRule's).
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/forward_backward_dmd.hpp"
#include "kooplab/snapshot_pairs_view.hpp"

namespace {

class Fbdmd : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::RankRule>& options() { return kooplab::RankRule::options(); }
  explicit Fbdmd(const kooplab::Config& section) : rule_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::SnapshotPairsView pairs(data);
    kooplab::KoopmanModel model =
        kooplab::forward_backward_dmd(pairs.x(), pairs.y(), data.runs.front().col(0), rule_, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::RankRule rule_;
};

}  // namespace

KOOPLAB_PLUGIN(Fbdmd, kooplab::Estimator, "fbdmd",
               "Forward-backward DMD (Dawson et al. 2016): exact DMD debiased for noisy snapshots by the backward fit")
