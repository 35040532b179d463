// Estimator `bopdmd`: optimized DMD by variable projection (Askham, Kutz 2018)
// with bagging (Sashidhar, Kutz 2022): continuous-time rates fitted to all
// snapshots, then refitted on random subsets whose spread gives standard
// deviations of the eigenvalues, modes and amplitudes (diagnostics
// eigenvalue_std_i, mode_std_i, amplitude_std_i, which the spectrum
// application records as metrics); optional constraints keep the eigenvalues
// stable or in conjugate pairs. kooplab/koopman/bopdmd.hpp has the algorithm,
// its residuals, memory and cost. Snapshot j of every trajectory is at time
// j·Δt (Δt = 1 when the data have none); the trials draw from a stream split
// off the run's, so a seed gives the same numbers for any thread count. Works
// on the state itself; an observable section, if any, is not used. Keys:
// `kooplab plugins bopdmd`.
#include "kooplab/koopman/bopdmd.hpp"

#include "kooplab/estimator.hpp"

namespace {

class Bopdmd : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::BopDmdOptions>& options() { return kooplab::BopDmdOptions::options(); }
  explicit Bopdmd(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng& rng) const override {
    data.validate(identity());
    const double step = data.dt.value_or(1.0);
    std::vector<arma::vec> times;
    for (const arma::mat& run : data.runs) times.push_back(step * arma::regspace<arma::vec>(0, double(run.n_cols) - 1));
    kooplab::KoopmanModel model = kooplab::bopdmd(data.runs, times, step, options_, rng.split(), identity()).model;
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::BopDmdOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(Bopdmd, kooplab::Estimator, "bopdmd",
               "Optimized DMD by variable projection with bagging (Askham, Kutz 2018; Sashidhar, Kutz 2022): "
               "eigenvalue, mode and amplitude standard deviations, stable or conjugate-pair constraints")
