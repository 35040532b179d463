// Estimator `centered_dmd`: exact DMD of the data with its mean subtracted.
// Each side of the snapshot pairs is centred on its own mean, so that for
// x_{t+1} = A x_t the deviations still obey y − ȳ = A (x − x̄): the eigenvalues
// are those of A, while modes, amplitudes and predictions describe the
// deviations from the mean, not the states.
//
// estimator:
//   name: centered_dmd
//   rank: full | auto | N      (see rank_rule.hpp; rank_rule, energy, tolerance)
#include "kooplab/estimator.hpp"
#include "kooplab/exact_dmd.hpp"

namespace {

class CenteredDmd : public kooplab::Estimator {
 public:
  // Read every key here: the registry rejects keys nobody asked for.
  explicit CenteredDmd(const kooplab::Config& section) : rule_(kooplab::RankRule::from_config(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    kooplab::SnapshotPairs pairs = data.pairs();
    pairs.x.each_col() -= arma::mean(pairs.x, 1);
    pairs.y.each_col() -= arma::mean(pairs.y, 1);
    kooplab::KoopmanModel model = kooplab::exact_dmd(pairs.x, pairs.y, pairs.x.col(0), rule_, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::RankRule rule_;
};

}  // namespace

KOOPLAB_PLUGIN(CenteredDmd, kooplab::Estimator, "centered_dmd", "Exact DMD of mean-subtracted data")
