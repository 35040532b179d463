// Estimator `havok`: HAVOK (Brunton et al. 2017), the delay windows of a
// signal in their SVD coordinates, the first `rank` linear and the next one a
// forcing input; the model is the unforced linear part, mapped back to the
// signal. kooplab/koopman/havok.hpp has the algorithm, its residuals and
// memory. Works on the state itself; an observable section, if any, is not
// used. Keys: `kooplab plugins havok`.
#include "kooplab/koopman/havok.hpp"

#include "kooplab/estimator.hpp"

namespace {

class Havok : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::HavokOptions>& options() { return kooplab::HavokOptions::options(); }
  explicit Havok(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    return kooplab::havok(data, options_, identity());
  }

 private:
  kooplab::HavokOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(Havok, kooplab::Estimator, "havok",
               "HAVOK (Brunton et al. 2017): delay coordinates of a signal, linear part forced by the next one")
