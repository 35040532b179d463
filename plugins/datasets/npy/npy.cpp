// Dataset `npy`: trajectories from a NumPy .npy file or .npz archive, float32
// or float64 in either byte order and C or Fortran order, memory-mapped. Each
// 2-D array is a trajectory, each 3-D array a stack of trajectories along its
// first axis, a 1-D array a scalar signal; snapshots are rows or columns
// (`layout`). kooplab/data/array_trajectories.hpp reads them, whole or a block
// of snapshots at a time (a BlockDataset: files larger than memory).
// Keys: `kooplab plugins npy`.
#include "kooplab/data/array_trajectories.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/trajectory_blocks.hpp"

namespace {

class Npy : public kooplab::Dataset, public kooplab::BlockDataset {
 public:
  static const kooplab::Options<kooplab::ArrayFileSettings>& options() {
    static const auto options =
        kooplab::ArrayFileSettings::options("the .npy file or .npz archive", "arrays",
                                            "the .npz arrays to read, in this order", "all, in the archive's order");
    return options;
  }

  explicit Npy(const kooplab::Config& section) : settings_(options().read(section)) {}

  kooplab::Trajectories trajectories(kooplab::Rng&) const override {
    kooplab::Trajectories data = kooplab::npy_trajectories(settings_.path, settings_.names, settings_.layout);
    data.dt = settings_.dt;
    return data;
  }

  std::unique_ptr<kooplab::TrajectoryBlocks> trajectory_blocks(kooplab::Rng&) const override {
    return kooplab::npy_trajectory_blocks(settings_.path, settings_.names, settings_.layout, settings_.dt);
  }

 private:
  kooplab::ArrayFileSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(Npy, kooplab::Dataset, "npy",
               "Trajectories from NumPy .npy/.npz files (2-D: one trajectory, 3-D: a stack; float32/float64)")
