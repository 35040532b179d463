// Estimator `kernel_edmd`: kernel EDMD (Williams, Rowley, Kevrekidis 2015) with
// a Gaussian, Laplacian or polynomial kernel, truncated to the leading kernel
// principal components; kooplab/koopman/kernel_edmd.hpp has the algorithm,
// its residuals, memory and cost. Works on the state itself; an observable
// section, if any, is not used. Keys: `kooplab plugins kernel_edmd`.
#include "kooplab/koopman/kernel_edmd.hpp"

#include "kooplab/estimator.hpp"

namespace {

class KernelEdmd : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::KernelEdmdOptions>& options() { return kooplab::KernelEdmdOptions::options(); }
  explicit KernelEdmd(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::SnapshotPairs pairs = data.pairs();
    kooplab::KoopmanModel model =
        kooplab::kernel_edmd(pairs.x, pairs.y, data.runs.front().col(0), options_, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::KernelEdmdOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(KernelEdmd, kooplab::Estimator, "kernel_edmd",
               "Kernel EDMD (Williams et al. 2015): Gaussian, Laplacian or polynomial kernel, kernel-PCA truncation")
