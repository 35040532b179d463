// Estimator `rrr`: reduced-rank regression of the Koopman operator on a
// kernel's feature space (Kostić et al. 2022), exact or with Nyström
// landmarks drawn from the run's random stream;
// kooplab/koopman/reduced_rank_regression.hpp has the algorithm, its
// residuals, memory and cost. Works on the state itself; an observable
// section, if any, is not used. Keys: `kooplab plugins rrr`.
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/reduced_rank_regression.hpp"

namespace {

class Rrr : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::RrrOptions>& options() { return kooplab::RrrOptions::options(); }
  explicit Rrr(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng& rng) const override {
    data.validate(identity());
    const kooplab::SnapshotPairs pairs = data.pairs();
    kooplab::KoopmanModel model =
        kooplab::reduced_rank_regression(pairs.x, pairs.y, data.runs.front().col(0), options_, rng, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::RrrOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(Rrr, kooplab::Estimator, "rrr",
               "Reduced-rank regression in a kernel's feature space (Kostic et al. 2022), exact or Nystrom")
