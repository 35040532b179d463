#pragma once
// A training run's parameters recorded outside kooplab, e.g. by PyTorch (the
// README's snippet), so the Koopman analyses of training run on any network.
//
// Three layouts on disk:
//  - one .npz archive, one array per parameter tensor in the network's order
//    (model.named_parameters()), each of shape (steps, *tensor shape);
//  - one HDF5 file (.h5, .hdf5, .hdf) with the dataset `parameters` of shape
//    (steps, parameters), each row a step's flat vector, and optionally the
//    layout: `names` (1-D strings, one per tensor, in order) and `shapes`
//    (integers, tensors × the largest rank, each row a shape padded with
//    zeros at the end); without it the layout is one tensor "parameters";
//  - a folder with one file per step, sorted by file name (pad the step
//    numbers: 00012.npz): .npz archives holding each tensor of that step, or
//    .npy files holding the flat parameter vector
//    (torch.nn.utils.parameters_to_vector).
// The flat vector of a step is the tensors one after the other, each flattened
// in C order (row-major), which is PyTorch's parameters_to_vector order.
#include <armadillo>
#include <filesystem>
#include <string>
#include <vector>

#include "kooplab/api.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/network.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

struct ParameterTrajectory {
  arma::mat snapshots;                  // parameters × steps
  std::vector<ParameterTensor> layout;  // in order, covering the flat vector
};

// Reads either layout; throws DataError naming the file (and the tensor or
// step) for tensors whose step counts or shapes disagree, missing tensors,
// an empty folder and anything read_npy_arrays refuses.
ParameterTrajectory read_parameter_trajectory(const std::filesystem::path& path);

// The flat vector seen in blocks, as Network::blocks gives them for a network
// of kooplab's own: `layer` joins the tensors whose names share the part before
// the last '.' (fc1.weight, fc1.bias); `node` cuts each layer along the first
// axis of its tensors (the outputs: row i of the weight and bias i), which they
// must share; `weight` is every entry alone. Throws DataError otherwise.
std::vector<ParameterBlock> parameter_blocks(const std::vector<ParameterTensor>& layout, BlockKind kind);

// A dataset that knows the layout of the parameters it records gives it
// through this interface besides Dataset (applications ask with dynamic_cast).
class KOOPLAB_API ParameterTrajectorySource {
 public:
  virtual ~ParameterTrajectorySource();
  virtual ParameterTrajectory parameter_trajectory() const = 0;
};

// The weights an application analyses instead of training a network: the
// dataset's parameter_trajectory() when it is a ParameterTrajectorySource,
// else its one trajectory (parameters × steps) with an empty layout. Throws
// DataError (naming `where`) for a dataset with several trajectories.
ParameterTrajectory recorded_parameters(const Dataset& dataset, Rng& rng, const std::string& where);

}  // namespace kooplab
