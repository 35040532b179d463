#include "kooplab/data/parameter_trajectory.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "kooplab/data/hdf5_array.hpp"
#include "kooplab/data/npy_array.hpp"
#include "kooplab/error.hpp"

namespace kooplab {
namespace {

void add_tensor(ParameterTrajectory& out, std::string name, std::vector<arma::uword> shape) {
  ParameterTensor tensor{std::move(name), std::move(shape), 0, 0};
  tensor.offset = out.layout.empty() ? 0 : out.layout.back().offset + out.layout.back().size;
  tensor.size = 1;
  for (const arma::uword size : tensor.shape) tensor.size *= size;
  out.layout.push_back(std::move(tensor));
}

// One .npz archive: each array (steps, *shape) is one tensor over the steps.
ParameterTrajectory read_archive(const std::filesystem::path& file) {
  const std::vector<NamedNpyArray> arrays = read_npy_arrays(file);
  ParameterTrajectory out;
  std::vector<arma::mat> rows;  // per tensor: its entries × steps
  for (const auto& [name, array] : arrays) {
    const auto& shape = array.shape();
    if (shape.empty())
      throw DataError(
          fmt::format("{}: a scalar; a tensor over the steps has shape (steps, *tensor shape)", array.where()));
    const arma::uword steps = shape[0];
    if (!out.layout.empty() && steps != out.snapshots.n_cols)
      throw DataError(
          fmt::format("{}: {} steps, the tensors before it have {}", array.where(), steps, out.snapshots.n_cols));
    add_tensor(out, name, std::vector<arma::uword>(shape.begin() + 1, shape.end()));
    const arma::uword size = out.layout.back().size;
    arma::mat entries(size, steps);
    for (arma::uword t = 0; t < steps; ++t) entries.col(t) = array.c_order(t * size, size);
    out.snapshots = arma::join_cols(out.snapshots, entries);
  }
  return out;
}

// An HDF5 file: `parameters` (steps, P) and the layout in `names` and
// `shapes` (tensors, largest rank), each shape padded with zeros.
ParameterTrajectory read_hdf5(const std::filesystem::path& file) {
  const Hdf5File hdf5(file);
  const Hdf5File::Dataset parameters = hdf5.dataset("parameters");
  if (parameters.shape().size() != 2)
    throw DataError(fmt::format("{}: shape {} where (steps, parameters) is expected", parameters.where(),
                                shape_text(parameters.shape())));
  ParameterTrajectory out;
  out.snapshots = parameters.matrix(0).t();
  const bool named = hdf5.has("names"), shaped = hdf5.has("shapes");
  if (named != shaped)
    throw DataError(fmt::format("{}: '{}' without '{}': the layout needs both (or neither)", file.string(),
                                named ? "names" : "shapes", named ? "shapes" : "names"));
  if (!named) {
    add_tensor(out, "parameters", {out.snapshots.n_rows});
    return out;
  }
  const std::vector<std::string> names = hdf5.strings("names");
  const arma::umat shapes = hdf5.integers("shapes");
  if (shapes.n_rows != names.size())
    throw DataError(
        fmt::format("{}: {} names but {} shapes (one row per tensor)", file.string(), names.size(), shapes.n_rows));
  for (std::size_t i = 0; i < names.size(); ++i) {
    const arma::urowvec row = shapes.row(i);
    const arma::uvec sizes = arma::find(row);
    const arma::uword rank = sizes.is_empty() ? 0 : sizes.max() + 1;
    if (rank > 0 && arma::any(row.head(rank) == 0))
      throw DataError(fmt::format("{}: the shape of '{}' has a 0 before its last size (pad with zeros at the end only)",
                                  file.string(), names[i]));
    add_tensor(out, names[i], std::vector<arma::uword>(row.begin(), row.begin() + rank));
  }
  const arma::uword total = out.layout.back().offset + out.layout.back().size;
  if (total != out.snapshots.n_rows)
    throw DataError(fmt::format("{}: the layout's tensors hold {} parameters, a step of 'parameters' {}", file.string(),
                                total, out.snapshots.n_rows));
  return out;
}

// A folder with one file per step.
ParameterTrajectory read_folder(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".npz" || extension == ".npy")) files.push_back(entry.path());
  }
  if (files.empty()) throw DataError(fmt::format("{}: no .npz or .npy files (one per step)", folder.string()));
  std::sort(files.begin(), files.end());
  ParameterTrajectory out;
  for (std::size_t step = 0; step < files.size(); ++step) {
    const std::vector<NamedNpyArray> arrays = read_npy_arrays(files[step]);
    const bool flat = files[step].extension() == ".npy";
    arma::vec column;
    for (std::size_t i = 0; i < arrays.size(); ++i) {
      const std::string name = flat ? "parameters" : arrays[i].name;
      const std::vector<arma::uword>& shape = arrays[i].array.shape();
      if (step == 0) {
        add_tensor(out, name, shape);
      } else if (i >= out.layout.size() || out.layout[i].name != name || out.layout[i].shape != shape) {
        throw DataError(fmt::format(
            "{}: tensor {} is '{}' of shape {}; the first step ({}) has {}", files[step].string(), i, name,
            shape_text(shape), files[0].filename().string(),
            i < out.layout.size() ? fmt::format("'{}' of shape {}", out.layout[i].name, shape_text(out.layout[i].shape))
                                  : std::string("no such tensor")));
      }
      column = arma::join_cols(column, arrays[i].array.c_order(0, arrays[i].array.header().elements));
    }
    if (step > 0 && arrays.size() != out.layout.size())
      throw DataError(fmt::format("{}: {} tensors, the first step ({}) has {}", files[step].string(), arrays.size(),
                                  files[0].filename().string(), out.layout.size()));
    if (step == 0) out.snapshots.set_size(column.n_elem, files.size());
    out.snapshots.col(step) = column;
  }
  return out;
}

// A tensor's layer: its name up to the last '.' (fc1 of fc1.weight).
std::string layer_of(const ParameterTensor& tensor) { return tensor.name.substr(0, tensor.name.rfind('.')); }

// The tensors of each layer, consecutive tensors of one layer together.
std::vector<std::vector<const ParameterTensor*>> layers(const std::vector<ParameterTensor>& layout) {
  std::vector<std::vector<const ParameterTensor*>> out;
  for (const ParameterTensor& tensor : layout) {
    if (out.empty() || layer_of(tensor) != layer_of(*out.back().front())) out.emplace_back();
    out.back().push_back(&tensor);
  }
  return out;
}

}  // namespace

ParameterTrajectorySource::~ParameterTrajectorySource() = default;

ParameterTrajectory read_parameter_trajectory(const std::filesystem::path& path) {
  const auto extension = path.extension();
  ParameterTrajectory out = std::filesystem::is_directory(path)                                 ? read_folder(path)
                            : extension == ".h5" || extension == ".hdf5" || extension == ".hdf" ? read_hdf5(path)
                                                                                                : read_archive(path);
  if (out.snapshots.n_cols < 2)
    throw DataError(
        fmt::format("{}: {} recorded step(s); a trajectory needs at least 2", path.string(), out.snapshots.n_cols));
  if (!out.snapshots.is_finite()) {
    const arma::uword index = arma::uvec(arma::find_nonfinite(out.snapshots)).front();
    const arma::uword parameter = index % out.snapshots.n_rows, step = index / out.snapshots.n_rows;
    const auto tensor = std::find_if(out.layout.begin(), out.layout.end(), [&](const ParameterTensor& candidate) {
      return parameter < candidate.offset + candidate.size;
    });
    throw DataError(fmt::format("{}: a non-finite value in '{}' at step {}", path.string(), tensor->name, step));
  }
  return out;
}

std::vector<ParameterBlock> parameter_blocks(const std::vector<ParameterTensor>& layout, BlockKind kind) {
  std::vector<ParameterBlock> out;
  const arma::uword total = layout.empty() ? 0 : layout.back().offset + layout.back().size;
  switch (kind) {
    case BlockKind::weight:
      for (arma::uword i = 0; i < total; ++i) out.push_back({fmt::format("weight {}", i), arma::uvec{i}});
      return out;
    case BlockKind::layer:
      for (const auto& tensors : layers(layout)) {
        ParameterBlock block{layer_of(*tensors.front()), {}};
        for (const ParameterTensor* tensor : tensors)
          block.indices = arma::join_cols(
              block.indices, arma::regspace<arma::uvec>(tensor->offset, tensor->offset + tensor->size - 1));
        out.push_back(std::move(block));
      }
      return out;
    case BlockKind::node:
      for (const auto& tensors : layers(layout)) {
        const arma::uword nodes = tensors.front()->shape.empty() ? 1 : tensors.front()->shape.front();
        for (const ParameterTensor* tensor : tensors)
          if ((tensor->shape.empty() ? 1 : tensor->shape.front()) != nodes)
            throw DataError(fmt::format(
                "node blocks: '{}' of shape {} and '{}' of shape {} do not share their first "
                "axis (the layer's outputs)",
                tensors.front()->name, shape_text(tensors.front()->shape), tensor->name, shape_text(tensor->shape)));
        for (arma::uword node = 0; node < nodes; ++node) {
          ParameterBlock block{fmt::format("{} node {}", layer_of(*tensors.front()), node), {}};
          for (const ParameterTensor* tensor : tensors) {
            const arma::uword width = tensor->size / nodes, first = tensor->offset + node * width;
            block.indices = arma::join_cols(block.indices, arma::regspace<arma::uvec>(first, first + width - 1));
          }
          out.push_back(std::move(block));
        }
      }
      return out;
  }
  return out;
}

ParameterTrajectory recorded_parameters(const Dataset& dataset, Rng& rng, const std::string& where) {
  if (const auto* source = dynamic_cast<const ParameterTrajectorySource*>(&dataset))
    return source->parameter_trajectory();
  Trajectories data = dataset.trajectories(rng);
  if (data.runs.size() != 1)
    throw DataError(fmt::format("{}: the dataset gives {} trajectories; recorded weights are one (parameters × steps)",
                                where, data.runs.size()));
  return {std::move(data.runs.front()), {}};
}

}  // namespace kooplab
