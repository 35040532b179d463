// Estimator `dmdc`: DMD with control (Proctor, Brunton, Kutz 2016) on states
// that carry their inputs, [x_t; u_t] with the last `inputs` rows the input
// u_t; B known (input_matrix) or fitted with A. The model is the unforced
// system (predictions are the free response); kooplab/koopman/dmd_with_control.hpp
// has the algorithm, the data layout and the memory. Works on the state itself;
// an observable section, if any, is not used. Keys: `kooplab plugins dmdc`.
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/dmd_with_control.hpp"

namespace {

class Dmdc : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::DmdcOptions>& options() { return kooplab::DmdcOptions::options(); }
  explicit Dmdc(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    return kooplab::dmd_with_control(data, options_, identity()).model;
  }

 private:
  kooplab::DmdcOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(Dmdc, kooplab::Estimator, "dmdc",
               "DMD with control (Proctor et al. 2016): A from states with known inputs, B known or fitted")
