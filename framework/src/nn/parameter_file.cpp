#include "kooplab/nn/parameter_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>

#include "kooplab/data/npy_array.hpp"
#include "kooplab/data/zip_archive.hpp"
#include "kooplab/error.hpp"
#include "kooplab/util/npy.hpp"

namespace kooplab {
namespace {

// "fc1" and "weight" of "fc1.weight"; a name without a dot is a layer of its own with no role.
std::string layer_of(const std::string& name) { return name.substr(0, name.rfind('.')); }
std::string role_of(const std::string& name) {
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? std::string() : name.substr(dot + 1);
}

std::string listing(const std::vector<ParameterTensor>& tensors) {
  std::vector<std::string> entries;
  for (const ParameterTensor& tensor : tensors) entries.push_back(tensor.name + " " + shape_text(tensor.shape));
  return fmt::format("{}", fmt::join(entries, ", "));
}

// A tensor's values in C order from its slice of the flat vector, and back.
arma::vec c_order(const ParameterTensor& tensor, const arma::vec& slice) {
  if (!tensor.column_major) return slice;
  return arma::vectorise(arma::reshape(slice, tensor.shape[0], tensor.shape[1]).t());
}
arma::vec slice_of(const ParameterTensor& tensor, const arma::vec& c_order) {
  if (!tensor.column_major) return c_order;
  return arma::vectorise(arma::reshape(c_order, tensor.shape[1], tensor.shape[0]).t());
}

}  // namespace

void read_parameters(Network& network, const std::filesystem::path& file) {
  const std::vector<NamedNpyArray> arrays = read_npy_arrays(file);
  const std::vector<ParameterTensor> tensors = network.parameter_tensors();
  const std::string where = fmt::format("{}: parameters for {}", file.string(), network.identity());
  if (arrays.size() != tensors.size())
    throw DataError(fmt::format("{}: the file has {} arrays, the network's config {} tensors: {}", where, arrays.size(),
                                tensors.size(), listing(tensors)));
  arma::vec values(network.parameters().n_elem);
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const ParameterTensor& tensor = tensors[i];
    const std::string& name = arrays[i].name;
    const NpyArray& array = arrays[i].array;
    const std::string what = fmt::format("{}: array {} '{}' (the network's '{}')", where, i, name, tensor.name);
    if (const std::string role = role_of(tensor.name); !role.empty() && role_of(name) != role)
      throw DataError(fmt::format("{}: expected a {}, found '{}'", what, role, name));
    if (i > 0 &&
        (layer_of(tensor.name) == layer_of(tensors[i - 1].name)) != (layer_of(name) == layer_of(arrays[i - 1].name)))
      throw DataError(fmt::format("{}: the network's '{}' and '{}' are {}, the file's '{}' and '{}' are not", what,
                                  tensors[i - 1].name, tensor.name,
                                  layer_of(tensor.name) == layer_of(tensors[i - 1].name) ? "one layer" : "two layers",
                                  arrays[i - 1].name, name));
    if (array.shape() != tensor.shape) {
      const bool transposed = tensor.shape.size() == 2 && array.shape().size() == 2 &&
                              array.shape()[0] == tensor.shape[1] && array.shape()[1] == tensor.shape[0];
      throw DataError(fmt::format("{}: expected shape {} from the network's config, found {}{}", what,
                                  shape_text(tensor.shape), shape_text(array.shape()),
                                  transposed ? " (transposed: a dense weight is (outputs, inputs), as nn.Linear "
                                               "stores it)"
                                             : ""));
    }
    const arma::vec entries = array.c_order(0, tensor.size);
    if (!entries.is_finite()) throw DataError(fmt::format("{}: a value that is not finite", what));
    values.subvec(tensor.offset, tensor.offset + tensor.size - 1) = slice_of(tensor, entries);
  }
  network.set_parameters(values);
}

void write_parameters(const Network& network, const std::filesystem::path& file) {
  std::vector<std::pair<std::string, std::string>> members;
  const arma::vec& values = network.parameters();
  for (const ParameterTensor& tensor : network.parameter_tensors())
    members.emplace_back(
        tensor.name + ".npy",
        npy_bytes(c_order(tensor, values.subvec(tensor.offset, tensor.offset + tensor.size - 1)), tensor.shape));
  const std::filesystem::path partial = file.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary);
    out << zip_bytes(members, file.string());
    if (!out) throw DataError(fmt::format("cannot write {}", partial.string()));
  }
  std::filesystem::rename(partial, file);  // readers never see half a file
}

}  // namespace kooplab
