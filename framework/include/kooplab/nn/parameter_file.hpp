#pragma once
// A network's parameters trained elsewhere, e.g. by PyTorch, in one .npz
// archive: one array per tensor of Network::parameter_tensors(), in its order,
// each of the tensor's shape (PyTorch's: a dense weight is (outputs, inputs)
// as nn.Linear stores it, a convolution's (filters, channels, k, k)),
// float32 or float64. It is one step of the weight_trajectory format
// (data/parameter_trajectory.hpp): numpy.savez(path, **{name: p.detach().numpy()
// for name, p in model.named_parameters()}).
//
// The arrays are matched to the tensors by position; each array's name must
// end in the tensor's role (".weight", ".bias") and the arrays of one layer
// must share the part before it, so a file whose layers are shifted or whose
// weight and bias are swapped is refused rather than read into wrong places.
#include <filesystem>

#include "kooplab/network.hpp"

namespace kooplab {

// The doc of the `weights` key of the networks that read such a file.
inline constexpr const char* weights_doc =
    ".npz of trained parameters (relative to the config), loaded in place of the drawn ones wherever the network "
    "starts: one array per tensor in order, stage l's \"l.weight\" and \"l.bias\" in PyTorch's shapes (dense: "
    "(outputs, inputs))";

// Sets the network's parameters from `file`. Throws DataError naming the file,
// the parameter, and the expected and found shape (or name) for any mismatch
// with the network's config, and for a value that is not finite.
void read_parameters(Network& network, const std::filesystem::path& file);

// Writes the network's parameters in the layout read_parameters reads (float64,
// C order, stored .npz), so numpy.load and torch's load_state_dict read them.
void write_parameters(const Network& network, const std::filesystem::path& file);

}  // namespace kooplab
