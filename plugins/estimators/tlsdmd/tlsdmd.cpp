// Estimator `tlsdmd`: total-least-squares DMD (Hemati, Rowley, Deem,
// Cattafesta 2017), exact DMD of X and Y projected onto the leading right
// singular vectors of [X; Y], which removes the bias of noisy snapshots;
// kooplab/koopman/total_least_squares_dmd.hpp has the algorithm, its residuals
// and memory. The rank (RankRule on the singular values of [X; Y]) is at most
// the state dimension. Works on the state itself; an observable section, if
// any, is not used. Keys: `kooplab plugins tlsdmd` (the RankRule's).
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/total_least_squares_dmd.hpp"
#include "kooplab/snapshot_pairs_view.hpp"

namespace {

class Tlsdmd : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::RankRule>& options() { return kooplab::RankRule::options(); }
  explicit Tlsdmd(const kooplab::Config& section) : rule_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::SnapshotPairsView pairs(data);
    kooplab::KoopmanModel model =
        kooplab::total_least_squares_dmd(pairs.x(), pairs.y(), data.runs.front().col(0), rule_, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::RankRule rule_;
};

}  // namespace

KOOPLAB_PLUGIN(Tlsdmd, kooplab::Estimator, "tlsdmd",
               "Total-least-squares DMD (Hemati et al. 2017): exact DMD of X, Y projected onto the leading right "
               "singular vectors of [X; Y], debiased for noisy snapshots")
