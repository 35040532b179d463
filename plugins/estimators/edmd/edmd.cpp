// Estimator `edmd`: Extended DMD (Williams, Kevrekidis, Rowley 2015) on the
// run's observable (the dictionary ψ); kooplab/koopman/edmd.hpp has the
// algebra, the two formulations (Gram sums or a thin SVD of ψ(X)) and their
// memory. The observable is fitted on all training states; a delay dictionary
// is evaluated trajectory by trajectory and its padded first columns are left
// out. A BlockEstimator: data read in blocks are fitted with the Gram sums
// (edmd_blocks). Keys: `kooplab plugins edmd`.
#include "kooplab/koopman/edmd.hpp"

#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/trajectory_blocks.hpp"

namespace {

class Edmd : public kooplab::Estimator, public kooplab::BlockEstimator {
 public:
  static const kooplab::Options<kooplab::EdmdOptions>& options() { return kooplab::EdmdOptions::options(); }
  explicit Edmd(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable* observable,
                            kooplab::Rng& rng) const override {
    return kooplab::edmd(data, dictionary(observable), rng, options_, identity());
  }

  kooplab::KoopmanModel fit_blocks(const kooplab::TrajectoryBlocks& data, kooplab::Observable* observable,
                                   kooplab::Rng& rng) const override {
    return kooplab::edmd_blocks(data, dictionary(observable), rng, options_, identity());
  }

 private:
  kooplab::Observable& dictionary(kooplab::Observable* observable) const {
    if (!observable) throw kooplab::ConfigError(identity() + " needs an observable section (the dictionary ψ)");
    return *observable;
  }

  kooplab::EdmdOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(Edmd, kooplab::Estimator, "edmd",
               "Extended DMD (Williams et al. 2015) on the observable's dictionary: Gram or thin-SVD form, rank "
               "truncation, Tikhonov")
