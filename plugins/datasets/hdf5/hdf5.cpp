// Dataset `hdf5`: trajectories from float32/float64 datasets of an HDF5 file,
// read a trajectory or a block of snapshots at a time through a hyperslab
// (chunked datasets read only the chunks they need; a BlockDataset). Each 2-D dataset is a trajectory, each 3-D one a
// stack along its first axis, a 1-D one a scalar signal; snapshots are rows
// or columns (`layout`). kooplab/data/hdf5_array.hpp reads them.
// Keys: `kooplab plugins hdf5`.
#include "kooplab/data/hdf5_array.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/trajectory_blocks.hpp"

namespace {

class Hdf5 : public kooplab::Dataset, public kooplab::BlockDataset {
 public:
  static const kooplab::Options<kooplab::ArrayFileSettings>& options() {
    static const auto options = kooplab::ArrayFileSettings::options(
        "the HDF5 file", "datasets", "the datasets to read (paths such as group/x), in this order",
        "those of the root group, by name");
    return options;
  }

  explicit Hdf5(const kooplab::Config& section) : settings_(options().read(section)) {}

  kooplab::Trajectories trajectories(kooplab::Rng&) const override {
    kooplab::Trajectories data = kooplab::hdf5_trajectories(settings_.path, settings_.names, settings_.layout);
    data.dt = settings_.dt;
    return data;
  }

  std::unique_ptr<kooplab::TrajectoryBlocks> trajectory_blocks(kooplab::Rng&) const override {
    return kooplab::hdf5_trajectory_blocks(settings_.path, settings_.names, settings_.layout, settings_.dt);
  }

 private:
  kooplab::ArrayFileSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(Hdf5, kooplab::Dataset, "hdf5",
               "Trajectories from HDF5 datasets (2-D: one trajectory, 3-D: a stack; float32/float64), read in chunks")
