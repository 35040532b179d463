// Dataset `weight_trajectory`: a training run's parameters recorded outside
// kooplab (e.g. by PyTorch, the README's snippet) as one trajectory,
// parameters × steps, with the layout of the tensors, so spectrum_monitor,
// koopman_pruning and koopman_training analyse a network kooplab did not
// train. The formats are in kooplab/data/parameter_trajectory.hpp.
// Keys: `kooplab plugins weight_trajectory`.
#include "kooplab/data/parameter_trajectory.hpp"
#include "kooplab/dataset.hpp"

namespace {

struct Settings {
  std::filesystem::path path;
};

class WeightTrajectory : public kooplab::Dataset, public kooplab::ParameterTrajectorySource {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options = kooplab::Options<Settings>().require(
        "path", &Settings::path,
        "a .npz archive with one (steps, *shape) array per tensor, an HDF5 file (.h5) with `parameters` (steps, "
        "parameters) and the layout in `names` and `shapes`, or a folder with one .npz/.npy file per step "
        "(relative to the config file)");
    return options;
  }

  explicit WeightTrajectory(const kooplab::Config& section) : settings_(options().read(section)) {}

  kooplab::Trajectories trajectories(kooplab::Rng&) const override {
    kooplab::Trajectories data;
    data.runs.push_back(parameter_trajectory().snapshots);
    return data;
  }

  kooplab::ParameterTrajectory parameter_trajectory() const override {
    return kooplab::read_parameter_trajectory(settings_.path);
  }

 private:
  Settings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(WeightTrajectory, kooplab::Dataset, "weight_trajectory",
               "A training run's parameters recorded outside kooplab (PyTorch, NumPy): one trajectory with the layout")
