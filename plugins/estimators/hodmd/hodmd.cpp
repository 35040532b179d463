// Estimator `hodmd`: higher-order DMD (Le Clainche & Vega 2017), exact DMD of
// a signal's delay windows truncated at ε₁ (`tolerance`, or a rank), its
// eigenpairs of small amplitude dropped (ε₂, `amplitude_tolerance`);
// kooplab/koopman/hodmd.hpp has the steps, what differs from the paper, and
// the memory. Works on the state itself; an observable section, if any, is
// not used. Keys: `kooplab plugins hodmd`.
#include "kooplab/koopman/hodmd.hpp"

#include "kooplab/estimator.hpp"

namespace {

class Hodmd : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::HodmdOptions>& options() { return kooplab::HodmdOptions::options(); }
  explicit Hodmd(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    return kooplab::hodmd(data, options_, identity());
  }

 private:
  kooplab::HodmdOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(Hodmd, kooplab::Estimator, "hodmd",
               "Higher-order DMD (Le Clainche & Vega 2017): delay-window DMD with tolerance and amplitude truncation")
